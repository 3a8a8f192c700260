import type { Reporter } from './reporter';

/** Discards spans: the reporter of a disabled tracer. */
export class NoopReporter implements Reporter {
  report(): void {}

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
