import { SpanContext } from '../span-context';
import type { Baggage } from '../span-context';
import { DEFAULT_MAX_BAGGAGE_ITEMS } from '../baggage';
import { B3MultiCodec } from './b3-multi-codec';
import { B3SingleCodec } from './b3-single-codec';
import type { TextMapGetter, TextMapSetter } from './carrier';
import type { Codec, PropagationName } from './codec';
import { JaegerCodec, type JaegerCodecOptions } from './jaeger-codec';
import { W3CBaggageCodec } from './w3c-baggage-codec';
import { W3CTraceContextCodec } from './w3c-trace-context-codec';

export const PROPAGATION_NAMES: readonly PropagationName[] = ['jaeger', 'b3', 'b3-single', 'w3c'];
/** What is written when the user names nothing: Jaeger's own headers and W3C. */
export const DEFAULT_INJECT: readonly PropagationName[] = ['jaeger', 'w3c'];

export interface PropagatorOptions extends JaegerCodecOptions {
  /** Formats written on inject (and read on extract). Default: jaeger and w3c written, all read. */
  propagation?: readonly PropagationName[];
}

/** Checks and normalises a propagation list (from code or `JAEGER_PROPAGATION`). */
export function parsePropagationNames(names: readonly string[] | string, source = 'propagation'): PropagationName[] {
  const list = typeof names === 'string' ? names.split(',') : [...names];
  const result: PropagationName[] = [];
  for (const raw of list) {
    const name = String(raw).trim().toLowerCase();
    if (name === '') continue;
    const canonical = name === 'tracecontext' || name === 'w3c-tracecontext' ? 'w3c' : name === 'b3multi' ? 'b3' : name;
    if (!(PROPAGATION_NAMES as readonly string[]).includes(canonical)) {
      throw new Error(`${source}: unknown propagation format "${raw}" (expected one of ${PROPAGATION_NAMES.join(', ')})`);
    }
    if (!result.includes(canonical as PropagationName)) result.push(canonical as PropagationName);
  }
  return result;
}

/**
 * Tries every configured format on extract (the first context with ids wins; baggage is
 * merged from all) and writes every configured format on inject.
 */
export class CompositePropagator {
  private readonly injectors: Codec[];
  private readonly extractors: Codec[];
  private readonly maxBaggageItems: number;
  /** Every key some extractor reads, and the prefixes of the others (`uberctx-`). */
  private readonly readKeys: ReadonlySet<string>;
  private readonly readPrefixes: readonly string[];

  constructor(options: PropagatorOptions = {}) {
    const named = options.propagation;
    const injectNames = named === undefined || named.length === 0 ? DEFAULT_INJECT : named;
    const extractNames = named === undefined || named.length === 0 ? PROPAGATION_NAMES : named;
    this.injectors = injectNames.flatMap((n) => makeCodecs(n, options));
    this.extractors = extractNames.flatMap((n) => makeCodecs(n, options));
    this.maxBaggageItems = options.maxBaggageItems ?? DEFAULT_MAX_BAGGAGE_ITEMS;
    this.readKeys = new Set(this.extractors.flatMap((c) => c.fields()).map((k) => k.toLowerCase()));
    this.readPrefixes = [...new Set(this.extractors.flatMap((c) => c.fieldPrefixes?.() ?? []).map((p) => p.toLowerCase()))];
  }

  /**
   * `extract` for a carrier whose keys are all lower-case (Node's `IncomingMessage#headers`):
   * returns `null` at once when no key is one any codec reads, as for most requests that
   * enter a system from outside, without running every codec.
   */
  extractLowerCase(carrier: Record<string, unknown>, getter: TextMapGetter): SpanContext | null {
    // for-in reads the map's enum cache instead of making a key array as Object.keys does (while
    // the headers object has fast properties; one with many headers may not, then both allocate)
    for (const key in carrier) {
      if (this.isReadKey(key)) return this.extract(carrier, getter);
    }
    return null;
  }

  private isReadKey(key: string): boolean {
    if (this.readKeys.has(key)) return true;
    const prefixes = this.readPrefixes;
    for (let i = 0; i < prefixes.length; i++) if (key.startsWith(prefixes[i]!)) return true;
    return false;
  }

  fields(): string[] {
    return [...new Set(this.injectors.flatMap((c) => c.fields()))];
  }

  inject(ctx: SpanContext, carrier: unknown, setter: TextMapSetter): void {
    for (const codec of this.injectors) codec.inject(ctx, carrier, setter);
  }

  extract(carrier: unknown, getter: TextMapGetter): SpanContext | null {
    let found: SpanContext | null = null;
    let traceState = '';
    let debugId = '';
    let baggage: Record<string, string> | null = null;
    for (const codec of this.extractors) {
      const ctx = codec.extract(carrier, getter);
      if (ctx === null) continue;
      if (ctx.hasTrace()) {
        if (found === null) found = ctx;
        if (ctx.traceState !== '' && sameTrace(found, ctx)) traceState = ctx.traceState;
      } else if (ctx.debugId !== '' && debugId === '') {
        debugId = ctx.debugId;
      }
      baggage = mergeBaggage(baggage, ctx.baggage, this.maxBaggageItems);
    }
    if (found !== null) {
      if (traceState !== '') found.traceState = traceState;
      if (baggage !== null) found.baggage = baggage;
      return found;
    }
    if (debugId === '' && baggage === null) return null;
    return new SpanContext('', '', null, 0, baggage ?? undefined, debugId);
  }
}

function makeCodecs(name: PropagationName, options: PropagatorOptions): Codec[] {
  switch (name) {
    case 'jaeger':
      return [new JaegerCodec(options)];
    case 'b3':
      return [new B3MultiCodec()];
    case 'b3-single':
      return [new B3SingleCodec()];
    case 'w3c':
      return [new W3CTraceContextCodec(), new W3CBaggageCodec(options.maxBaggageItems, options.maxBaggageValueLength)];
  }
}

function sameTrace(a: SpanContext, b: SpanContext): boolean {
  return a.traceId.padStart(32, '0') === b.traceId.padStart(32, '0');
}

/** Union of baggage from several formats: the first format to carry a key wins; at most `limit` keys. */
function mergeBaggage(into: Record<string, string> | null, from: Baggage, limit: number): Record<string, string> | null {
  let merged = into;
  for (const key of Object.keys(from)) {
    merged ??= Object.create(null) as Record<string, string>;
    if (Object.hasOwn(merged, key)) continue;
    if (Object.keys(merged).length >= limit) break;
    merged[key] = from[key]!;
  }
  return merged === null ? null : { ...merged };
}
