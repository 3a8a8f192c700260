import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A flag in async context meaning "do not trace": the tracer's own exports (collector,
 * OTLP, sampling requests) run inside it so they never make spans about themselves.
 * One storage per process (a global symbol), shared by every copy of @jt/core. It costs
 * nothing until first used: AsyncLocalStorage only hooks async work once `run` is called.
 */
const KEY = Symbol.for('jt.core.suppressTracingStorage');
type Holder = { [KEY]?: AsyncLocalStorage<boolean> };
const holder = globalThis as Holder;
const suppressed: AsyncLocalStorage<boolean> = (holder[KEY] ??= new AsyncLocalStorage<boolean>());

/** Runs `fn` (and all async work it starts) with tracing suppressed. */
export function runWithoutTracing<T>(fn: () => T): T {
  return suppressed.run(true, fn);
}

/** True inside `runWithoutTracing`: instrumentations then make no spans and inject nothing. */
export function isTracingSuppressed(): boolean {
  return suppressed.getStore() === true;
}
