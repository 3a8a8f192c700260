import type { Logger } from '../logger';
import type { SpanData } from '../span-data';
import type { Reporter } from './reporter';

/** Logs one line per finished span (`reporter.logSpans: true`), as jaeger-client did. */
export class LoggingReporter implements Reporter {
  constructor(private readonly logger: Logger = console) {}

  report(span: SpanData): void {
    try {
      const parent = span.parentId ?? '0';
      this.logger.info(
        `Reporting span ${span.traceId}:${span.spanId}:${parent}:${span.flags.toString(16)} ${span.operationName} ${span.duration}us`,
      );
    } catch {
      // a broken logger must not break the app
    }
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
