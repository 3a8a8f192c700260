import type { ProcessData, SpanData } from '../span-data';

/** Jaeger's `ClientStats`, carried in every thrift `Batch`. Cumulative since start. */
export interface ClientStats {
  fullQueueDroppedSpans: number;
  tooLargeDroppedSpans: number;
  failedToEmitSpans: number;
}

export interface BatchMeta {
  /** Increments by one per batch sent (thrift `Batch.seqNo`). */
  seqNo: number;
  stats: ClientStats;
}

export interface SendResult {
  /** Spans that went out. */
  sent: number;
  /** Spans lost (too large, send failed); the sender has already counted them in its own stats. */
  failed: number;
  error?: Error;
}

/**
 * Turns spans into bytes on a transport (UDP agent, HTTP collector, OTLP, a file).
 * `send` never rejects: failures come back in the result.
 */
export interface Sender {
  setProcess(process: ProcessData): void;
  send(spans: readonly SpanData[], meta: BatchMeta): Promise<SendResult>;
  close(): Promise<void>;
}
