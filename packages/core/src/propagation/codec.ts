import type { SpanContext } from '../span-context';
import type { TextMapGetter, TextMapSetter } from './carrier';

/** Names accepted in `propagation: [...]` and `JAEGER_PROPAGATION`. */
export type PropagationName = 'jaeger' | 'b3' | 'b3-single' | 'w3c';

/**
 * A propagation format. `extract` returns `null` when the carrier holds nothing it
 * understands, and never throws; `inject` writes its headers and never throws on any context.
 */
export interface Codec {
  readonly name: string;
  inject(ctx: SpanContext, carrier: unknown, setter: TextMapSetter): void;
  extract(carrier: unknown, getter: TextMapGetter): SpanContext | null;
  /** Header names this codec reads and writes (baggage prefixes excluded). */
  fields(): readonly string[];
  /** Prefixes of further names it reads (e.g. `uberctx-`), lower-case. Default: none. */
  fieldPrefixes?(): readonly string[];
}
