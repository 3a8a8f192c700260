import { DEFAULT_MAX_BAGGAGE_VALUE_LENGTH, type BaggageLimits } from './baggage';
import { millisToMicros, nowMicros } from './clock';
import { activeSpan, withSpan } from './context/async-context';
import { FORMAT_BINARY, FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP, REFERENCE_FOLLOWS_FROM } from './formats';
import { newSpanId, newTraceId, wordsOfNewTraceId } from './ids';
import { OnceLogger, silentLogger, type Logger } from './logger';
import { createNoopMetrics, type Metrics } from './metrics/metrics';
import { buildProcessTags } from './process-tags';
import { decodeBinaryContext, encodeBinaryContext } from './propagation/binary-codec';
import { lowerCaseHeaders, textMapGetter, textMapSetter } from './propagation/carrier';
import type { PropagationName } from './propagation/codec';
import { CompositePropagator } from './propagation/propagator';
import { NoopReporter } from './reporters/noop-reporter';
import type { Reporter } from './reporters/reporter';
import { ConstSampler } from './samplers/const-sampler';
import type { Sampler } from './samplers/sampler';
import { NO_REFERENCES, Span } from './span';
import { DEBUG_FLAG, SAMPLED_FLAG, SpanContext } from './span-context';
import type { ProcessData, ReferenceType, SpanReferenceData } from './span-data';
import { JAEGER_DEBUG_HEADER_TAG } from './tags';
import { parentFromReferences, toSpanContext, type ReferenceLike } from './references';

/** Options of `new Tracer(...)`; the jaeger-client names, plus jt's additions. */
export interface TracerOptions {
  /** Counters and gauges (see `createPromMetrics`). Default: none recorded. */
  metrics?: Metrics;
  /** Where tracing problems are logged (once each). Default: silent. */
  logger?: Logger;
  /** Process tags added to every batch (`JAEGER_TAGS` lands here too). */
  tags?: Record<string, unknown>;
  /** 128-bit trace ids (default true); `false` gives 64-bit ids as old Jaeger clients made. */
  traceId128bit?: boolean;
  /** Header carrying the Jaeger context. Default `uber-trace-id`. */
  contextKey?: string;
  /** Prefix of Jaeger baggage headers. Default `uberctx-`. */
  baggagePrefix?: string;
  /** URL-encode Jaeger baggage values. Default: true for HTTP headers, false for text maps (as jaeger-client). */
  urlEncoding?: boolean;
  /** Formats written on inject and read on extract. Default: jaeger+w3c written, all read. */
  propagation?: readonly PropagationName[];
  /** Baggage size limits. */
  baggage?: BaggageLimits;
}

/** Options of `tracer.startSpan`, the OpenTracing 0.14 shape. */
export interface SpanOptions {
  /** The parent: a span or a span context. Default: the active span. */
  childOf?: Span | SpanContext | null;
  /** OpenTracing references; the first `child_of` (else first `follows_from`) is the parent. */
  references?: readonly ReferenceLike[];
  tags?: Record<string, unknown>;
  /** Milliseconds since epoch (fractions allowed). Default: now, in microseconds. */
  startTime?: number;
  /** Start a new trace even if a span is active. */
  root?: boolean;
}

/**
 * A Jaeger-native OpenTracing 0.14 tracer with async context: `startSpan` with no parent
 * given parents on the active span, and `trace`/`withSpan` make spans active for async work.
 */
export class Tracer {
  readonly serviceName: string;
  readonly metrics: Metrics;
  readonly maxBaggageValueLength: number;
  private readonly reporter: Reporter;
  private readonly sampler: Sampler;
  private readonly logger: OnceLogger;
  private readonly use128bit: boolean;
  /** HTTP headers URL-encode Jaeger values; text maps do not (as jaeger-client does). */
  private readonly headerPropagator: CompositePropagator;
  private readonly textMapPropagator: CompositePropagator;
  private readonly process: ProcessData;
  private closing: Promise<void> | null = null;

  constructor(
    serviceName: string,
    reporter: Reporter = new NoopReporter(),
    sampler: Sampler = new ConstSampler(false),
    options: TracerOptions = {},
  ) {
    this.serviceName = serviceName;
    this.reporter = reporter;
    this.sampler = sampler;
    this.metrics = options.metrics ?? createNoopMetrics();
    this.logger = new OnceLogger(options.logger ?? silentLogger);
    this.use128bit = options.traceId128bit ?? true;
    this.maxBaggageValueLength = options.baggage?.maxValueLength ?? DEFAULT_MAX_BAGGAGE_VALUE_LENGTH;
    const propagation = {
      propagation: options.propagation,
      contextKey: options.contextKey,
      baggagePrefix: options.baggagePrefix,
      maxBaggageItems: options.baggage?.maxItems,
      maxBaggageValueLength: this.maxBaggageValueLength,
    };
    this.headerPropagator = new CompositePropagator({ ...propagation, urlEncoding: options.urlEncoding ?? true });
    this.textMapPropagator = new CompositePropagator({ ...propagation, urlEncoding: options.urlEncoding ?? false });
    this.process = { serviceName, tags: buildProcessTags(options.tags) };
    try {
      reporter.setProcess?.(this.process);
    } catch (err) {
      this.logger.errorOnce('setProcess', `reporter.setProcess failed: ${String(err)}`);
    }
  }

  /** The process (service name and tags) this tracer reports as. */
  processData(): ProcessData {
    return this.process;
  }

  startSpan(operationName: string, options?: SpanOptions): Span {
    const name = typeof operationName === 'string' ? operationName : String(operationName);
    let parent: SpanContext | null = null;
    let references: readonly SpanReferenceData[] = NO_REFERENCES;
    if (options === undefined) {
      const active = activeSpan();
      if (active !== undefined) parent = active.context();
    } else if (options.childOf != null) {
      parent = toSpanContext(options.childOf);
    } else if (options.references !== undefined && options.references.length > 0) {
      const resolved = parentFromReferences(options.references);
      parent = resolved.parent;
      references = resolved.others;
    } else if (options.root !== true) {
      const active = activeSpan();
      if (active !== undefined) parent = active.context();
    }
    const span =
      parent !== null && parent.hasTrace()
        ? this.startChild(name, parent, references)
        : this.startRoot(name, parent, references);
    // unsampled spans are never reported, so they skip the clock (see Span.startTime)
    if (typeof options?.startTime === 'number') span.startTime = millisToMicros(options.startTime);
    else if (span.context().isSampled()) span.startTime = nowMicros();
    if (options?.tags !== undefined) span.addTags(options.tags);
    return span;
  }

  private startChild(name: string, parent: SpanContext, references: readonly SpanReferenceData[]): Span {
    const ctx = new SpanContext(
      parent.traceId,
      newSpanId(),
      parent.spanId,
      parent.flags,
      parent.baggage,
      '',
      parent.traceState,
      parent.traceIdWords,
    );
    if (ctx.isSampled()) this.metrics.spansStartedSampled.increment(1);
    else this.metrics.spansStartedNotSampled.increment(1);
    return new Span(this, ctx, name, 0, references);
  }

  /** A new trace. `carrierOnly` is an id-less extracted context (debug id and/or baggage). */
  private startRoot(name: string, carrierOnly: SpanContext | null, references: readonly SpanReferenceData[]): Span {
    const traceId = newTraceId(this.use128bit);
    // Jaeger convention: a root's span id is the low half of its trace id
    const spanId = traceId.length === 32 ? traceId.substring(16) : traceId;
    const debugId = carrierOnly?.debugId ?? '';
    let flags = 0;
    let decisionTags = null;
    if (debugId !== '') {
      flags = SAMPLED_FLAG | DEBUG_FLAG;
    } else {
      const decision = this.decide(name, traceId);
      if (decision !== null && decision.sampled) {
        flags = SAMPLED_FLAG;
        decisionTags = decision.tags;
      }
    }
    // a trace not sampled now is rarely encoded (only if sampling.priority promotes it later:
    // then its id is parsed), so only a sampled one takes its id's words
    const words = flags !== 0 ? wordsOfNewTraceId(traceId) : undefined;
    const ctx = new SpanContext(traceId, spanId, null, flags, carrierOnly?.baggage, '', '', words);
    const span = new Span(this, ctx, name, 0, references);
    if (flags !== 0) {
      this.metrics.tracesStartedSampled.increment(1);
      this.metrics.spansStartedSampled.increment(1);
      if (debugId !== '') span.setTag(JAEGER_DEBUG_HEADER_TAG, debugId);
      if (decisionTags !== null) for (const tag of decisionTags) span.setTag(tag.key, tag.value);
    } else {
      this.metrics.tracesStartedNotSampled.increment(1);
      this.metrics.spansStartedNotSampled.increment(1);
    }
    return span;
  }

  private decide(name: string, traceId: string) {
    try {
      return this.sampler.sample(name, traceId);
    } catch (err) {
      this.logger.errorOnce('sampler', `sampler threw, trace not sampled: ${String(err)}`);
      return null;
    }
  }

  /**
   * Writes the context into `carrier` in every configured format. Never throws: a carrier
   * that refuses writes is logged once.
   */
  inject(spanOrContext: Span | SpanContext, format: string, carrier: unknown): void {
    try {
      const ctx = toSpanContext(spanOrContext);
      if (ctx === null || carrier === null || typeof carrier !== 'object') return;
      if (format === FORMAT_HTTP_HEADERS || format === FORMAT_TEXT_MAP) {
        const propagator = format === FORMAT_HTTP_HEADERS ? this.headerPropagator : this.textMapPropagator;
        propagator.inject(ctx, carrier, textMapSetter as (c: unknown, k: string, v: string) => void);
      } else if (format === FORMAT_BINARY) {
        (carrier as { buffer?: unknown }).buffer = encodeBinaryContext(ctx);
      } else {
        this.logger.errorOnce(`inject:${format}`, `inject: unsupported format ${String(format)}`);
      }
    } catch (err) {
      this.logger.errorOnce('inject', `inject failed: ${String(err)}`);
    }
  }

  /**
   * Reads a context from `carrier`; `null` when it holds none. Never throws: garbage is
   * counted as a decoding error and yields `null`.
   */
  extract(format: string, carrier: unknown): SpanContext | null {
    if (carrier === null || carrier === undefined) return null;
    try {
      if (format === FORMAT_HTTP_HEADERS || format === FORMAT_TEXT_MAP) {
        if (typeof carrier !== 'object') return null;
        const propagator = format === FORMAT_HTTP_HEADERS ? this.headerPropagator : this.textMapPropagator;
        // keys are matched case-insensitively in both formats, as jaeger-client does
        return propagator.extract(lowerCaseHeaders(carrier as Record<string, unknown>), textMapGetter as never);
      }
      if (format === FORMAT_BINARY) {
        const bytes = binaryBytes(carrier);
        return bytes === null ? null : decodeBinaryContext(bytes);
      }
      this.logger.errorOnce(`extract:${format}`, `extract: unsupported format ${String(format)}`);
      return null;
    } catch (err) {
      return this.extractFailed(err);
    }
  }

  /**
   * `extract(FORMAT_HTTP_HEADERS, headers)` for headers whose names are lower-case already
   * (Node's `IncomingMessage#headers`): skips the per-request case check. Never throws.
   * @internal for the kit's server spans
   */
  extractIncomingHeaders(headers: Record<string, unknown>): SpanContext | null {
    try {
      return this.headerPropagator.extractLowerCase(headers, textMapGetter as never);
    } catch (err) {
      return this.extractFailed(err);
    }
  }

  /** A carrier that made a codec throw: counted, logged once, no context. */
  private extractFailed(err: unknown): null {
    this.metrics.decodingErrors.increment(1);
    this.logger.errorOnce('extract', `extract failed: ${String(err)}`);
    return null;
  }

  /** Header names this tracer writes on inject (e.g. for CORS `Access-Control-Allow-Headers`). */
  propagationFields(): string[] {
    return this.headerPropagator.fields();
  }

  /** The span active in the current async context. */
  activeSpan(): Span | undefined {
    return activeSpan();
  }

  /** Runs `fn` with `span` active: spans started inside (also after `await`) are its children. */
  withSpan<T>(span: Span | undefined, fn: () => T): T {
    return withSpan(span, fn);
  }

  /**
   * Runs `fn(span)` with a new span active, finishes it when `fn` returns or its promise
   * settles, and records a thrown or rejected error on it (the error still propagates).
   */
  trace<T>(name: string, fn: (span: Span) => T): T;
  trace<T>(name: string, options: SpanOptions | undefined, fn: (span: Span) => T): T;
  trace<T>(name: string, optionsOrFn: SpanOptions | undefined | ((span: Span) => T), maybeFn?: (span: Span) => T): T {
    const fn = (typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn) as (span: Span) => T;
    const options = typeof optionsOrFn === 'function' ? undefined : optionsOrFn;
    const span = this.startSpan(name, options);
    let result: T;
    try {
      result = withSpan(span, () => fn(span));
    } catch (err) {
      span.recordError(err);
      span.finish();
      throw err;
    }
    // only native promises are chained: a lazy thenable (a query builder) must come back
    // unchanged and unexecuted, so its span covers the call that built it
    if (result instanceof Promise) {
      return result.then(
        (value) => {
          span.finish();
          return value;
        },
        (err: unknown) => {
          span.recordError(err);
          span.finish();
          throw err;
        },
      ) as T;
    }
    span.finish();
    return result;
  }

  /** @internal called by `Span.finish`. */
  onSpanFinished(span: Span): void {
    this.metrics.spansFinished.increment(1);
    if (!span.context().isSampled() || this.closing !== null) return;
    try {
      this.reporter.report(span);
    } catch (err) {
      this.logger.errorOnce('report', `reporter.report threw: ${String(err)}`);
    }
  }

  /**
   * Sends every finished span still queued. Never rejects. The process is kept alive until
   * it settles (senders' own timers are unref'd, and a short script awaiting `flush()` must
   * not exit half-way through a retry); senders' timeouts and retries bound the wait.
   */
  flush(): Promise<void> {
    return keepProcessAliveUntil(
      this.reporter.flush().catch((err: unknown) => {
        this.logger.errorOnce('flush', `flush failed: ${String(err)}`);
      }),
    );
  }

  /** Flushes, stops the sampler and reporter; idempotent (returns the same promise). */
  close(): Promise<void> {
    this.closing ??= keepProcessAliveUntil((async () => {
      try {
        this.sampler.close();
      } catch (err) {
        this.logger.errorOnce('sampler.close', `sampler.close failed: ${String(err)}`);
      }
      await this.reporter.close().catch((err: unknown) => {
        this.logger.errorOnce('close', `reporter.close failed: ${String(err)}`);
      });
    })());
    return this.closing;
  }
}

/** Holds a referenced timer until `work` settles, so the event loop cannot run dry under it. */
function keepProcessAliveUntil(work: Promise<void>): Promise<void> {
  const keepAlive = setInterval(() => {}, 60_000);
  return work.finally(() => clearInterval(keepAlive));
}

function binaryBytes(carrier: unknown): Uint8Array | null {
  if (carrier instanceof Uint8Array) return carrier;
  const inner = (carrier as { buffer?: unknown }).buffer;
  if (inner instanceof Uint8Array) return inner;
  if (Array.isArray(inner)) return Uint8Array.from(inner.map((n) => Number(n) & 0xff));
  return null;
}

export type { ReferenceType };
export { REFERENCE_FOLLOWS_FROM };
