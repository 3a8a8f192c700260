import { activeSpan } from '../context/async-context';
import { getTracer } from '../config/global-tracer';
import type { Span } from '../span';
import type { SpanContext } from '../span-context';
import { Tags } from '../tags';
import type { Tracer } from '../tracer';
import { isTracingSuppressed } from './suppress-tracing';

/** Options of `startClientSpan`. */
export interface ClientSpanOptions {
  /** The `component` tag, e.g. `http`, `ioredis`, `pg`. */
  component: string;
  /** More tags (`peer.hostname`, `db.statement`, ...). */
  tags?: Record<string, unknown>;
  /** Default: the global tracer (`getTracer()`), looked up on each call. */
  tracer?: Tracer;
  /** Parent; default: the active span. */
  childOf?: Span | SpanContext | null;
  /** Make no span when there is no parent (no active span and no `childOf`). Default false. */
  requireParent?: boolean;
  /** `span.kind`; default `client` (`producer` for message publishers). */
  kind?: string;
  /** Milliseconds since epoch; default now. */
  startTime?: number;
}

/**
 * Starts an outgoing-call span: a child of the active span (or a new trace), tagged
 * `span.kind=client` and `component`. Returns `undefined` when tracing is suppressed (the
 * tracer's own exports) or when `requireParent` is set and there is no parent. The caller
 * finishes it; errors go on it with `span.recordError(err)`.
 */
export function startClientSpan(name: string, options: ClientSpanOptions): Span | undefined {
  if (isTracingSuppressed()) return undefined;
  const parent = options.childOf ?? activeSpan();
  if (options.requireParent === true && parent == null) return undefined;
  const tracer = options.tracer ?? getTracer();
  const span = tracer.startSpan(name, { childOf: parent, startTime: options.startTime });
  if (span.context().isSampled()) {
    span.setTag(Tags.SPAN_KIND, options.kind ?? Tags.SPAN_KIND_RPC_CLIENT);
    span.setTag(Tags.COMPONENT, options.component);
    if (options.tags !== undefined) span.addTags(options.tags);
  }
  return span;
}
