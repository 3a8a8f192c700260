import { normalizeHexId } from '../ids';
import { SpanContext } from '../span-context';
import { b3Flags } from './b3-multi-codec';
import type { TextMapGetter, TextMapSetter } from './carrier';
import type { Codec } from './codec';

const B3 = 'b3';

/** Zipkin B3 single header: `b3: {traceId}-{spanId}-{1|0|d}-{parentSpanId}`. */
export class B3SingleCodec implements Codec {
  readonly name = 'b3-single';

  fields(): readonly string[] {
    return [B3];
  }

  inject(ctx: SpanContext, carrier: unknown, setter: TextMapSetter): void {
    if (!ctx.hasTrace()) return;
    const sampling = ctx.isDebug() ? 'd' : ctx.isSampled() ? '1' : '0';
    const parent = ctx.parentId === null ? '' : `-${ctx.parentId}`;
    setter(carrier, B3, `${ctx.traceId}-${ctx.spanId}-${sampling}${parent}`);
  }

  extract(carrier: unknown, getter: TextMapGetter): SpanContext | null {
    const header = getter.get(carrier, B3);
    if (header === undefined) return null;
    const parts = header.trim().split('-');
    if (parts.length < 2 || parts.length > 4) return null;
    const traceId = normalizeHexId(parts[0]!, 32);
    const spanId = normalizeHexId(parts[1]!, 16);
    if (traceId === null || spanId === null) return null;
    const sampling = parts[2];
    if (sampling !== undefined && sampling !== '0' && sampling !== '1' && sampling !== 'd') return null;
    let parentId: string | null = null;
    if (parts[3] !== undefined) {
      parentId = normalizeHexId(parts[3], 16);
      if (parentId === null) return null;
    }
    return new SpanContext(traceId, spanId, parentId, b3Flags(sampling, sampling === 'd'));
  }
}
