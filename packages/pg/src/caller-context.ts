import { AsyncResource } from 'node:async_hooks';

/**
 * Binds `fn` to the whole async context of the caller (active span, suppressed tracing, and
 * any other AsyncLocalStorage). pg calls callbacks from its connection's context, and a
 * pool hands a freed client to the next waiter from the context of the query that freed it:
 * without this, a callback would run in (and its spans join) someone else's trace. Unlike
 * binding only the active span, this also restores "no span" for a caller that had none.
 */
export function bindToCaller<F extends (...args: never[]) => unknown>(fn: F): F {
  const resource = new AsyncResource('jt.pg.callback', { requireManualDestroy: false });
  const bound = function (this: unknown, ...args: unknown[]): unknown {
    return resource.runInAsyncScope(fn as unknown as (...a: unknown[]) => unknown, this, ...args);
  };
  Object.defineProperty(bound, 'length', { value: fn.length, configurable: true });
  return bound as unknown as F;
}
