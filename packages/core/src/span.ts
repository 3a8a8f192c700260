import { millisToMicros, nowMicros } from './clock';
import { limitBaggageItem, normalizeBaggageKey } from './baggage';
import { DEBUG_FLAG, SAMPLED_FLAG, SpanContext } from './span-context';
import type { LogRecord, SpanData, SpanReferenceData, Tag, TagValue } from './span-data';
import { flattenTags, tagsOfPairs, type TagPairs } from './tag-pairs';
import { Tags } from './tags';
import type { TraceIdWords } from './trace-id-words';
import type { Tracer } from './tracer';

/** Unsampled spans keep no tags: this shared empty array stands in (never pushed to). */
const NO_TAG_PAIRS: TagPairs = [];
const EMPTY_LOGS: LogRecord[] = [];
export const NO_REFERENCES: readonly SpanReferenceData[] = Object.freeze([]) as readonly SpanReferenceData[];

/**
 * A span in the OpenTracing 0.14 shape. Unsampled spans keep no tags or logs, so they cost
 * little more than their ids. The span itself is the `SpanData` reporters encode.
 */
export class Span implements SpanData {
  /**
   * Microseconds since epoch. An unsampled span never reads the clock (it is not reported);
   * if `sampling.priority` later samples it, its clock starts then.
   */
  startTime: number;
  /** Microseconds; set by `finish`. */
  duration = 0;
  /** @internal tags flat, key then value (see `TagPairs`); read `tags` for `{key, value}` objects */
  tagPairs: TagPairs;
  logs: LogRecord[] = EMPTY_LOGS;
  private finished = false;

  constructor(
    private readonly owner: Tracer,
    private readonly ctx: SpanContext,
    public operationName: string,
    startTime: number,
    public readonly references: readonly SpanReferenceData[] = NO_REFERENCES,
  ) {
    this.startTime = startTime;
    this.tagPairs = ctx.isSampled() ? [] : NO_TAG_PAIRS;
  }

  /** The tags set so far, as `{ key, value }` objects in the order set (a new array on each read). */
  get tags(): readonly Tag[] {
    return tagsOfPairs(this.tagPairs);
  }

  get traceId(): string {
    return this.ctx.traceId;
  }

  /** @internal the context's id words, for the encoders */
  get traceIdWords(): TraceIdWords | undefined {
    return this.ctx.traceIdWords;
  }

  get spanId(): string {
    return this.ctx.spanId;
  }

  get parentId(): string | null {
    return this.ctx.parentId;
  }

  get flags(): number {
    return this.ctx.flags;
  }

  context(): SpanContext {
    return this.ctx;
  }

  tracer(): Tracer {
    return this.owner;
  }

  /** True once `finish` has run; later calls to mutators are ignored. */
  isFinished(): boolean {
    return this.finished;
  }

  setOperationName(name: string): this {
    this.operationName = String(name);
    return this;
  }

  /**
   * Sets a tag. `sampling.priority` > 0 forces the trace sampled and debug, 0 unsamples it
   * (only before the span finishes).
   */
  setTag(key: string, value: unknown): this {
    if (key === Tags.SAMPLING_PRIORITY) this.applySamplingPriority(value);
    if (this.finished || !this.ctx.isSampled()) return this;
    // a span sampled after it started (sampling.priority, or flags set on its public context)
    // gets an array of its own here: the shared empty one is never filled
    if (this.tagPairs === NO_TAG_PAIRS) this.tagPairs = [];
    this.tagPairs.push(key, value);
    return this;
  }

  addTags(keyValues: Record<string, unknown>): this {
    if (keyValues === null || typeof keyValues !== 'object') return this;
    for (const key of Object.keys(keyValues)) this.setTag(key, keyValues[key]);
    return this;
  }

  /** Adds a log record; `timestamp` in milliseconds since epoch as in OpenTracing. */
  log(fields: Record<string, unknown>, timestamp?: number): this {
    if (this.finished || !this.ctx.isSampled() || fields === null || typeof fields !== 'object') return this;
    const list: Tag[] = [];
    for (const key of Object.keys(fields)) list.push({ key, value: fields[key] as TagValue });
    if (this.logs === EMPTY_LOGS) this.logs = [];
    this.logs.push({ timestamp: typeof timestamp === 'number' ? millisToMicros(timestamp) : nowMicros(), fields: list });
    return this;
  }

  /** Deprecated OpenTracing form of `log({ event, payload })`. */
  logEvent(event: string, payload?: unknown): this {
    return this.log(payload === undefined ? { event } : { event, payload });
  }

  /**
   * Records an error: `error=true` plus a log `{event:'error', 'error.kind', message, stack}`.
   * Non-Error values are recorded by their string form.
   */
  recordError(err: unknown): this {
    this.setTag(Tags.ERROR, true);
    if (err instanceof Error) {
      // not the Error itself: a queued span would keep its whole object graph alive
      this.log({ event: 'error', 'error.kind': err.name, message: err.message, stack: err.stack });
    } else {
      this.log({ event: 'error', 'error.kind': typeof err, message: String(err) });
    }
    return this;
  }

  setBaggageItem(key: string, value: string): this {
    const write = limitBaggageItem(key, value, this.owner.maxBaggageValueLength, this.owner.metrics);
    const ctx = this.ctx;
    const previous = ctx.baggage[write.key];
    ctx.baggage = { ...ctx.baggage, [write.key]: write.value };
    if (ctx.isSampled() && !this.finished) {
      const fields: Record<string, unknown> = { event: 'baggage', key: write.key, value: write.value };
      if (write.truncated) fields.truncated = true;
      if (previous !== undefined) fields.override = true;
      this.log(fields);
    }
    return this;
  }

  getBaggageItem(key: string): string | undefined {
    return this.ctx.baggage[key] ?? this.ctx.baggage[normalizeBaggageKey(String(key))];
  }

  /** Finishes the span once; `finishTime` in milliseconds since epoch as in OpenTracing. */
  finish(finishTime?: number): void {
    if (this.finished) return;
    this.finished = true;
    // an unsampled span is never reported: skip the clock read
    if (this.ctx.isSampled()) {
      const end = typeof finishTime === 'number' ? millisToMicros(finishTime) : nowMicros();
      this.duration = end > this.startTime ? end - this.startTime : 0;
    }
    this.owner.onSpanFinished(this);
  }

  private applySamplingPriority(value: unknown): void {
    if (this.finished) return;
    const priority = Number(value);
    if (!Number.isFinite(priority)) return;
    const ctx = this.ctx;
    if (priority > 0) {
      // its tags get an array of their own at the next setTag
      if (!ctx.isSampled() && this.startTime === 0) this.startTime = nowMicros();
      ctx.flags |= SAMPLED_FLAG | DEBUG_FLAG;
    } else {
      ctx.flags &= ~(SAMPLED_FLAG | DEBUG_FLAG);
    }
  }
}

/**
 * A span's tags as flat pairs, as the encoders read them: the span's own array when it is
 * exactly a `Span`; for anything else (a plain `SpanData`, a subclass or a wrapper such as
 * `Object.create(span, { tags })` that may present other tags) its `tags`, flattened.
 */
export function tagPairsOf(span: SpanData): readonly unknown[] {
  const pairs = span.tagPairs;
  if (pairs !== undefined && Object.getPrototypeOf(span) === Span.prototype) return pairs;
  return flattenTags(span.tags);
}
