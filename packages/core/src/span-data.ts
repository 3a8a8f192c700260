import type { TraceIdWords } from './trace-id-words';

/**
 * The read-only view of a finished span that reporters and encoders consume.
 * `Span` implements it directly, so reporting never copies a span.
 */

/** A tag or log-field value as users set it. Encoders map each JS type to a Jaeger tag type. */
export type TagValue = string | number | boolean | bigint | Buffer | Error | null | undefined | object;

export interface Tag {
  key: string;
  value: TagValue;
}

export interface LogRecord {
  /** Microseconds since the Unix epoch. */
  timestamp: number;
  fields: Tag[];
}

export type ReferenceType = 'child_of' | 'follows_from';

export interface SpanReferenceData {
  type: ReferenceType;
  /** Fixed-width lowercase hex (16 or 32 chars). */
  traceId: string;
  /** Fixed-width lowercase hex (16 chars). */
  spanId: string;
}

export interface SpanData {
  /** Fixed-width lowercase hex: 32 chars for 128-bit traces, 16 for 64-bit ones. */
  readonly traceId: string;
  /**
   * The trace id's integer words, when it was made by this process; encoders use them only
   * while `words.hex === traceId`, and parse `traceId` otherwise.
   * @internal for the encoders
   */
  readonly traceIdWords?: TraceIdWords;
  /** Fixed-width lowercase hex, 16 chars. */
  readonly spanId: string;
  /** Fixed-width lowercase hex, 16 chars; `null` for a root span. */
  readonly parentId: string | null;
  /** Jaeger flags: 1 sampled, 2 debug, 8 firehose. */
  readonly flags: number;
  readonly operationName: string;
  /** Microseconds since the Unix epoch (microsecond precision, not ms * 1000). */
  readonly startTime: number;
  /** Microseconds. */
  readonly duration: number;
  /** The tags in the order they were set (a `Span` builds this list from `tagPairs` on each read). */
  readonly tags: readonly Tag[];
  /**
   * The same tags flat, key then value (see `TagPairs`), when the span keeps them so; encoders
   * read these instead of `tags`.
   * @internal for the encoders
   */
  readonly tagPairs?: readonly unknown[];
  readonly logs: readonly LogRecord[];
  /** References other than the primary parent (Jaeger's `references` list); often empty. */
  readonly references: readonly SpanReferenceData[];
}

/** The reporting process: Jaeger's `Process{serviceName, tags}`. */
export interface ProcessData {
  serviceName: string;
  tags: Tag[];
}
