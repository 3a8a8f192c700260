import { isZeroId } from '../ids';
import { SAMPLED_FLAG, SpanContext } from '../span-context';
import type { TextMapGetter, TextMapSetter } from './carrier';
import type { Codec } from './codec';

const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';
const TRACEPARENT_FORM = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const MAX_TRACESTATE_LENGTH = 512;

/**
 * W3C Trace Context (`traceparent`, `tracestate`). 64-bit trace ids go out left-padded to
 * 128 bits, as the spec requires; `tracestate` is passed through unchanged.
 */
export class W3CTraceContextCodec implements Codec {
  readonly name = 'w3c';

  fields(): readonly string[] {
    return [TRACEPARENT, TRACESTATE];
  }

  inject(ctx: SpanContext, carrier: unknown, setter: TextMapSetter): void {
    if (!ctx.hasTrace()) return;
    const traceId = ctx.traceId.length === 32 ? ctx.traceId : ctx.traceId.padStart(32, '0');
    setter(carrier, TRACEPARENT, `00-${traceId}-${ctx.spanId}-${ctx.isSampled() ? '01' : '00'}`);
    if (ctx.traceState !== '') setter(carrier, TRACESTATE, ctx.traceState);
  }

  extract(carrier: unknown, getter: TextMapGetter): SpanContext | null {
    const header = getter.get(carrier, TRACEPARENT);
    if (header === undefined) return null;
    const match = TRACEPARENT_FORM.exec(header.trim());
    if (match === null) return null;
    const [, version, traceId, spanId, flags, rest] = match;
    // version ff is forbidden; version 00 has exactly four fields
    if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
    if (isZeroId(traceId!) || isZeroId(spanId!)) return null;
    const sampled = (parseInt(flags!, 16) & 1) === 1 ? SAMPLED_FLAG : 0;
    return new SpanContext(traceId!, spanId!, null, sampled, undefined, '', readTraceState(getter.get(carrier, TRACESTATE)));
  }
}

function readTraceState(value: string | undefined): string {
  if (value === undefined) return '';
  const trimmed = value.trim();
  if (trimmed.length > MAX_TRACESTATE_LENGTH || /[^\x20-\x7e]/.test(trimmed)) return '';
  return trimmed;
}
