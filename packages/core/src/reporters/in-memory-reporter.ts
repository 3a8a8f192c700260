import type { SpanData } from '../span-data';
import type { Span } from '../span';
import type { Reporter } from './reporter';

/** Keeps every reported span in memory: for users' own tests. */
export class InMemoryReporter implements Reporter {
  /** Finished, sampled spans in the order they finished. */
  readonly spans: Span[] = [];

  report(span: SpanData): void {
    this.spans.push(span as Span);
  }

  /** Forgets the spans collected so far. */
  clear(): void {
    this.spans.length = 0;
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
