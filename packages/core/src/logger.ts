/** jaeger-client's logger shape: anything with `info` and `error` (console works). */
export interface Logger {
  info(message: string): void;
  error(message: string): void;
}

/** Logs nothing; the default where the user gives no logger and tracing must stay silent. */
export const silentLogger: Logger = { info() {}, error() {} };

/**
 * Wraps a logger so each distinct `key` is logged at most once: a failing exporter or a
 * full queue must not flood the app's logs (the count goes to metrics instead).
 */
export class OnceLogger {
  private readonly seen = new Set<string>();
  constructor(private readonly logger: Logger) {}

  errorOnce(key: string, message: string): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    try {
      this.logger.error(`[jt] ${message}`);
    } catch {
      // a broken user logger must not break tracing
    }
  }
}
