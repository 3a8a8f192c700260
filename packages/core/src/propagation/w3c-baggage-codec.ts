import type { SpanContext } from '../span-context';
import { SpanContext as Context } from '../span-context';
import { BaggageCollector } from './baggage-reader';
import type { TextMapGetter, TextMapSetter } from './carrier';
import type { Codec } from './codec';
import { safeDecodeURIComponent, safeEncodeURIComponent } from './uri-encoding';

const BAGGAGE = 'baggage';
const MAX_HEADER_LENGTH = 8192;

/** W3C Baggage: `baggage: k1=v1,k2=v2;property` with percent-encoded values. */
export class W3CBaggageCodec implements Codec {
  readonly name = 'w3c-baggage';

  constructor(
    private readonly maxItems?: number,
    private readonly maxValueLength?: number,
  ) {}

  fields(): readonly string[] {
    return [BAGGAGE];
  }

  inject(ctx: SpanContext, carrier: unknown, setter: TextMapSetter): void {
    const entries: string[] = [];
    let length = 0;
    for (const key in ctx.baggage) {
      const entry = `${safeEncodeURIComponent(key)}=${safeEncodeURIComponent(ctx.baggage[key]!)}`;
      if (length + entry.length + 1 > MAX_HEADER_LENGTH) break;
      entries.push(entry);
      length += entry.length + 1;
    }
    if (entries.length > 0) setter(carrier, BAGGAGE, entries.join(','));
  }

  /** Returns a baggage-only context (no ids), or `null`. */
  extract(carrier: unknown, getter: TextMapGetter): SpanContext | null {
    const header = getter.get(carrier, BAGGAGE);
    if (header === undefined || header.length > MAX_HEADER_LENGTH) return null;
    const baggage = new BaggageCollector(this.maxItems, this.maxValueLength);
    for (const member of header.split(',')) {
      const pair = member.split(';', 1)[0]!;
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      baggage.add(safeDecodeURIComponent(pair.slice(0, eq).trim()), safeDecodeURIComponent(pair.slice(eq + 1).trim()));
    }
    return baggage.isEmpty() ? null : new Context('', '', null, 0, baggage.result());
  }
}
