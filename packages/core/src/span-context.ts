import type { TraceIdWords } from './trace-id-words';

/** Jaeger trace flags. */
export const SAMPLED_FLAG = 0x01;
export const DEBUG_FLAG = 0x02;
export const FIREHOSE_FLAG = 0x08;

/** Baggage: string keys to string values, shared between contexts until one changes it. */
export type Baggage = Readonly<Record<string, string>>;

export const EMPTY_BAGGAGE: Baggage = Object.freeze({});

/**
 * The propagated part of a span. Ids are fixed-width lowercase hex strings: `traceId` is 32
 * chars (128-bit) or 16 (64-bit, kept as such when it came in that way), `spanId` 16,
 * `parentId` 16 or `null` for a root.
 *
 * A context extracted from a carrier that held only `jaeger-debug-id` or baggage has
 * empty ids (`hasTrace()` is false): a span started from it becomes a new root that
 * inherits the baggage and, with a debug id, is forced sampled and debug.
 */
export class SpanContext {
  constructor(
    public traceId: string,
    public spanId: string,
    public parentId: string | null,
    public flags: number,
    public baggage: Baggage = EMPTY_BAGGAGE,
    /** Value of an inbound `jaeger-debug-id` header (only on id-less extracted contexts). */
    public debugId = '',
    /** W3C `tracestate`, passed through unchanged. */
    public traceState = '',
    /**
     * The trace id's integer words when the id was made here (see `TraceIdWords`).
     * @internal for the encoders
     */
    public traceIdWords: TraceIdWords | undefined = undefined,
  ) {}

  isSampled(): boolean {
    return (this.flags & SAMPLED_FLAG) !== 0;
  }

  isDebug(): boolean {
    return (this.flags & DEBUG_FLAG) !== 0;
  }

  isFirehose(): boolean {
    return (this.flags & FIREHOSE_FLAG) !== 0;
  }

  /** True when the context carries trace and span ids (not a debug-id/baggage-only one). */
  hasTrace(): boolean {
    return this.traceId !== '';
  }

  /** OpenTracing 0.14 accessor. */
  toTraceId(): string {
    return this.traceId;
  }

  /** OpenTracing 0.14 accessor. */
  toSpanId(): string {
    return this.spanId;
  }

  /** `trace:span:parent:flags`, the uber-trace-id form (also what jaeger-client's toString gave). */
  toString(): string {
    return `${this.traceId}:${this.spanId}:${this.parentId ?? '0'}:${this.flags.toString(16)}`;
  }

  /** The same ids with baggage replaced (contexts are otherwise shared between spans). */
  withBaggage(baggage: Baggage): SpanContext {
    return new SpanContext(this.traceId, this.spanId, this.parentId, this.flags, baggage, this.debugId, this.traceState, this.traceIdWords);
  }
}
