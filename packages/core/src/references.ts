import { REFERENCE_CHILD_OF, REFERENCE_FOLLOWS_FROM } from './formats';
import { SpanContext } from './span-context';
import type { ReferenceType, SpanReferenceData } from './span-data';

/** An OpenTracing reference: ours (`{type, referencedContext}`) or an `opentracing.Reference`. */
export type ReferenceLike =
  | { type: ReferenceType | string; referencedContext: unknown }
  | { type(): string; referencedContext(): unknown };

/**
 * Accepts a span, a span context, or a look-alike from another copy of @jt/core.
 * Anything else (a foreign tracer's context) gives `null`.
 */
export function toSpanContext(value: unknown): SpanContext | null {
  if (value === null || typeof value !== 'object') return null;
  if (value instanceof SpanContext) return value;
  const maybeSpan = value as { context?: unknown };
  if (typeof maybeSpan.context === 'function') return toSpanContext((maybeSpan.context as () => unknown).call(value));
  const c = value as Partial<SpanContext>;
  if (typeof c.traceId === 'string' && typeof c.spanId === 'string' && typeof c.flags === 'number') {
    return new SpanContext(c.traceId, c.spanId, c.parentId ?? null, c.flags, c.baggage ?? undefined, c.debugId ?? '');
  }
  return null;
}

function readReference(ref: ReferenceLike): { type: string; context: SpanContext | null } {
  const type = typeof ref.type === 'function' ? (ref.type as () => string)() : ref.type;
  const target =
    typeof ref.referencedContext === 'function'
      ? (ref.referencedContext as () => unknown)()
      : (ref as { referencedContext: unknown }).referencedContext;
  return { type, context: toSpanContext(target) };
}

/**
 * Picks the parent among references (first `child_of`, else first `follows_from`); the
 * rest are kept as the span's extra references.
 */
export function parentFromReferences(refs: readonly ReferenceLike[]): {
  parent: SpanContext | null;
  others: SpanReferenceData[];
} {
  const read = refs.filter((r) => r !== null && typeof r === 'object').map(readReference);
  const valid = read.filter((r) => r.context !== null && r.context.hasTrace());
  const primary = valid.find((r) => r.type === REFERENCE_CHILD_OF) ?? valid.find((r) => r.type === REFERENCE_FOLLOWS_FROM);
  const others = valid
    .filter((r) => r !== primary)
    .map((r) => ({
      type: (r.type === REFERENCE_FOLLOWS_FROM ? REFERENCE_FOLLOWS_FROM : REFERENCE_CHILD_OF) as ReferenceType,
      traceId: r.context!.traceId,
      spanId: r.context!.spanId,
    }));
  // an id-less reference (debug id / baggage only) still counts as the parent for a new root
  const parent = primary?.context ?? read.find((r) => r.context !== null)?.context ?? null;
  return { parent, others };
}
