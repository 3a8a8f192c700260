import { normalizeHexId } from '../ids';
import { DEBUG_FLAG, SAMPLED_FLAG, SpanContext } from '../span-context';
import type { TextMapGetter, TextMapSetter } from './carrier';
import type { Codec } from './codec';

const TRACE_ID = 'x-b3-traceid';
const SPAN_ID = 'x-b3-spanid';
const PARENT_ID = 'x-b3-parentspanid';
const SAMPLED = 'x-b3-sampled';
const FLAGS = 'x-b3-flags';

/** Reads B3's sampling state: `1`/`true` sampled, `d` (single form) or `X-B3-Flags: 1` debug. */
export function b3Flags(sampled: string | undefined, debug: boolean): number {
  if (debug) return SAMPLED_FLAG | DEBUG_FLAG;
  return sampled === '1' || sampled === 'true' ? SAMPLED_FLAG : 0;
}

/** Zipkin B3 in its multi-header form (`X-B3-TraceId`, `X-B3-SpanId`, ...). */
export class B3MultiCodec implements Codec {
  readonly name = 'b3';

  fields(): readonly string[] {
    return [TRACE_ID, SPAN_ID, PARENT_ID, SAMPLED, FLAGS];
  }

  inject(ctx: SpanContext, carrier: unknown, setter: TextMapSetter): void {
    if (!ctx.hasTrace()) return;
    setter(carrier, TRACE_ID, ctx.traceId);
    setter(carrier, SPAN_ID, ctx.spanId);
    if (ctx.parentId !== null) setter(carrier, PARENT_ID, ctx.parentId);
    if (ctx.isDebug()) setter(carrier, FLAGS, '1');
    else setter(carrier, SAMPLED, ctx.isSampled() ? '1' : '0');
  }

  extract(carrier: unknown, getter: TextMapGetter): SpanContext | null {
    const rawTrace = getter.get(carrier, TRACE_ID);
    const rawSpan = getter.get(carrier, SPAN_ID);
    if (rawTrace === undefined || rawSpan === undefined) return null;
    const traceId = normalizeHexId(rawTrace.trim(), 32);
    const spanId = normalizeHexId(rawSpan.trim(), 16);
    if (traceId === null || spanId === null) return null;
    const rawParent = getter.get(carrier, PARENT_ID);
    const parentId = rawParent === undefined ? null : normalizeHexId(rawParent.trim(), 16);
    const flags = b3Flags(getter.get(carrier, SAMPLED)?.trim(), getter.get(carrier, FLAGS)?.trim() === '1');
    return new SpanContext(traceId, spanId, parentId, flags);
  }
}
