import type { SpanData } from '../span-data';

/**
 * Receives finished, sampled spans. `report` must never throw and must not block:
 * network reporters queue and send in the background.
 */
export interface Reporter {
  report(span: SpanData): void;
  /** Sends whatever is queued; resolves when done (never rejects). */
  flush(): Promise<void>;
  /** Flushes and releases resources; idempotent, never rejects. */
  close(): Promise<void>;
  /** Called by the tracer with its process description before the first report. */
  setProcess?(process: import('../span-data').ProcessData): void;
}
