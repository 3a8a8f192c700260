import { normalizeHexId } from '../ids';
import { SpanContext } from '../span-context';
import { BaggageCollector } from './baggage-reader';
import type { TextMapGetter, TextMapSetter } from './carrier';
import type { Codec } from './codec';
import { safeDecodeURIComponent, safeEncodeURIComponent } from './uri-encoding';

/** Options of the Jaeger codec; the names match jaeger-client's tracer options. */
export interface JaegerCodecOptions {
  /** Header carrying `trace:span:parent:flags`. Default `uber-trace-id`. */
  contextKey?: string;
  /** Prefix of per-item baggage headers. Default `uberctx-`. */
  baggagePrefix?: string;
  /** URL-encode values on inject (and decode on extract). Default true. */
  urlEncoding?: boolean;
  maxBaggageItems?: number;
  maxBaggageValueLength?: number;
}

export const JAEGER_DEBUG_HEADER = 'jaeger-debug-id';
export const JAEGER_BAGGAGE_HEADER = 'jaeger-baggage';
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Jaeger's native format: `uber-trace-id`, `uberctx-*`, `jaeger-baggage`, `jaeger-debug-id`. */
export class JaegerCodec implements Codec {
  readonly name = 'jaeger';
  private readonly contextKey: string;
  private readonly baggagePrefix: string;
  private readonly urlEncoding: boolean;

  constructor(private readonly options: JaegerCodecOptions = {}) {
    this.contextKey = (options.contextKey ?? 'uber-trace-id').toLowerCase();
    this.baggagePrefix = (options.baggagePrefix ?? 'uberctx-').toLowerCase();
    this.urlEncoding = options.urlEncoding ?? true;
  }

  fields(): readonly string[] {
    return [this.contextKey, JAEGER_DEBUG_HEADER, JAEGER_BAGGAGE_HEADER];
  }

  fieldPrefixes(): readonly string[] {
    return [this.baggagePrefix];
  }

  inject(ctx: SpanContext, carrier: unknown, setter: TextMapSetter): void {
    if (ctx.hasTrace()) setter(carrier, this.contextKey, ctx.toString());
    const baggage = ctx.baggage;
    for (const key of Object.keys(baggage)) {
      // a key that is not an HTTP token would make Node reject the whole outgoing request;
      // such items still travel in W3C `baggage`, which percent-encodes keys
      if (!HTTP_TOKEN.test(key)) continue;
      const value = baggage[key]!;
      setter(carrier, this.baggagePrefix + key, this.urlEncoding ? safeEncodeURIComponent(value) : value);
    }
  }

  extract(carrier: unknown, getter: TextMapGetter): SpanContext | null {
    const header = getter.get(carrier, this.contextKey);
    const ids = header === undefined ? null : parseUberTraceId(this.urlEncoding ? safeDecodeURIComponent(header) : header);
    const baggage = new BaggageCollector(this.options.maxBaggageItems, this.options.maxBaggageValueLength);
    this.readBaggage(carrier, getter, baggage);
    if (ids !== null) {
      return new SpanContext(ids.traceId, ids.spanId, ids.parentId, ids.flags, baggage.result());
    }
    const debugId = getter.get(carrier, JAEGER_DEBUG_HEADER);
    const cleanDebugId = debugId === undefined ? '' : debugId.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 256);
    if (cleanDebugId === '' && baggage.isEmpty()) return null;
    return new SpanContext('', '', null, 0, baggage.result(), cleanDebugId);
  }

  private readBaggage(carrier: unknown, getter: TextMapGetter, baggage: BaggageCollector): void {
    const prefix = this.baggagePrefix;
    for (const key of getter.keys(carrier)) {
      if (key.length > prefix.length && key.toLowerCase().startsWith(prefix)) {
        const value = getter.get(carrier, key);
        if (value !== undefined) {
          baggage.add(key.slice(prefix.length), this.urlEncoding ? safeDecodeURIComponent(value) : value);
        }
      }
    }
    const list = getter.get(carrier, JAEGER_BAGGAGE_HEADER);
    if (list !== undefined) {
      for (const pair of list.split(',')) {
        const eq = pair.indexOf('=');
        if (eq <= 0) continue;
        const value = pair.slice(eq + 1).trim();
        baggage.add(pair.slice(0, eq).trim(), this.urlEncoding ? safeDecodeURIComponent(value) : value);
      }
    }
  }
}

interface ParsedIds {
  traceId: string;
  spanId: string;
  parentId: string | null;
  flags: number;
}

/** Parses `trace:span:parent:flags`; ids may be unpadded (other clients emit them so). */
export function parseUberTraceId(value: string): ParsedIds | null {
  const parts = value.trim().split(':');
  if (parts.length !== 4) return null;
  const traceId = normalizeHexId(parts[0]!, 32);
  const spanId = normalizeHexId(parts[1]!, 16);
  if (traceId === null || spanId === null) return null;
  const rawParent = parts[2]!;
  let parentId: string | null = null;
  if (rawParent !== '0' && rawParent !== '') {
    parentId = normalizeHexId(rawParent, 16);
    if (parentId === null && !/^0+$/.test(rawParent)) return null;
  }
  const rawFlags = parts[3]!;
  if (!/^[0-9a-fA-F]{1,2}$/.test(rawFlags)) return null;
  return { traceId, spanId, parentId, flags: parseInt(rawFlags, 16) };
}
