import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from '../span';

/**
 * One AsyncLocalStorage per process, shared through a global symbol so that two copies of
 * @jt/core (e.g. a nested install) still see the same active span.
 */
const KEY = Symbol.for('jt.core.activeSpanStorage');
type Holder = { [KEY]?: AsyncLocalStorage<Span> };
const holder = globalThis as Holder;
export const spanStorage: AsyncLocalStorage<Span> = (holder[KEY] ??= new AsyncLocalStorage<Span>());

/** The span active in the current async context, if any. */
export function activeSpan(): Span | undefined {
  return spanStorage.getStore();
}

/** Runs `fn` with `span` as the active span (for `fn` and all async work it starts). */
export function withSpan<T>(span: Span | undefined, fn: () => T): T {
  return spanStorage.run(span as Span, fn);
}

/**
 * `fn(...args)` with `span` active: `withSpan` for hot paths, where an arrow capturing the
 * caller's variables would make every call of the caller allocate a context.
 */
export function callWithSpan<A extends unknown[], R>(span: Span | undefined, fn: (...args: A) => R, ...args: A): R {
  return spanStorage.run(span as Span, fn, ...args);
}

/**
 * `fn.apply(self, args)` with `span` active: how a wrapper hands a call it intercepted
 * (`arguments` and all) on to the original, without a closure per call.
 */
export function applyWithSpan<R>(span: Span | undefined, fn: (...args: never[]) => R, self: unknown, args: ArrayLike<unknown>): R {
  return spanStorage.run(span as Span, applyTo, fn, self, args) as R;
}

function applyTo(fn: (...args: never[]) => unknown, self: unknown, args: ArrayLike<unknown>): unknown {
  return fn.apply(self, args as never[]);
}
