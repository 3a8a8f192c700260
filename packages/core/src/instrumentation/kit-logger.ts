import { OnceLogger, silentLogger, type Logger } from '../logger';

/**
 * The instrumentation kit's logger: every distinct problem is logged once. Instrumentation
 * runs inside the app's own calls, so a broken hook must never flood (or break) its logs.
 */
export class KitLogger {
  private readonly errors: OnceLogger;
  private readonly seenInfo = new Set<string>();

  constructor(private readonly logger: Logger = silentLogger) {
    this.errors = new OnceLogger(logger);
  }

  errorOnce(key: string, message: string): void {
    this.errors.errorOnce(key, message);
  }

  infoOnce(key: string, message: string): void {
    if (this.seenInfo.has(key)) return;
    this.seenInfo.add(key);
    try {
      this.logger.info(`[jt] ${message}`);
    } catch {
      // a broken user logger must not break tracing
    }
  }
}

const KEY = Symbol.for('jt.core.instrumentationLogger');
type Holder = { [KEY]?: KitLogger };
const holder = globalThis as Holder;

/** The process-wide kit logger (silent until `setInstrumentationLogger` or a registry logger). */
export function kitLogger(): KitLogger {
  return (holder[KEY] ??= new KitLogger());
}

/** Sends the kit's once-only messages (failed patches, throwing hooks) to `logger`. */
export function setInstrumentationLogger(logger: Logger): void {
  holder[KEY] = new KitLogger(logger);
}
