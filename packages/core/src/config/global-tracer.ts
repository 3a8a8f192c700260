import { Tracer } from '../tracer';

const KEY = Symbol.for('jt.core.globalTracer');
type Holder = { [KEY]?: Tracer };
const holder = globalThis as Holder;

/**
 * The process-wide tracer set by `initTracer` / `initTracerFromEnv`. Before either runs it
 * is a tracer that samples nothing and reports nowhere, but still propagates context.
 */
export function getTracer(): Tracer {
  return (holder[KEY] ??= new Tracer('unknown-service'));
}

/** Replaces the global tracer (`initTracer` calls this). */
export function setGlobalTracer(tracer: Tracer): void {
  holder[KEY] = tracer;
}
