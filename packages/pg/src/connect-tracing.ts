import { afterSettled, isThenable, startClientSpan, type Span, type WrapperFactory } from '@jt/core';
import { bindToCaller } from './caller-context';
import type { OptionsRef } from './options';
import type { AnyFunction, PgClientShape, PgPoolShape } from './pg-shapes';
import { connectionTags, endSpan } from './span-tags';

/**
 * Wraps `Client.prototype.connect`: with `traceConnect`, a `pg.connect` span for opening
 * the connection. Always: the callback runs in the caller's context.
 */
export function clientConnectWrapper(ref: OptionsRef): WrapperFactory<AnyFunction> {
  return (original) =>
    function connect(this: PgClientShape, callback?: unknown): unknown {
      const options = ref.current;
      const span = options.traceConnect
        ? startClientSpan('pg.connect', {
            component: 'pg',
            tracer: options.tracer,
            childOf: checkoutInProgress,
            requireParent: options.requireParentSpan,
            tags: connectionTags(this, options),
          })
        : undefined;
      return callWithCompletion(original, this, arguments, span);
    };
}

/**
 * Wraps `Pool.prototype.connect` (also used by `Pool#query`). The pool calls a waiter back
 * from whatever context frees a client (another caller's query callback): binding the
 * callback here keeps each waiter, and the queries it then runs, in its own trace. With
 * `traceConnect`, a `pg-pool.connect` span covers the wait (and a new connection, whose
 * `pg.connect` span is its child), tagged with the pool's counts at the start.
 */
export function poolConnectWrapper(ref: OptionsRef): WrapperFactory<AnyFunction> {
  return (original) =>
    function connect(this: PgPoolShape, callback?: unknown): unknown {
      const options = ref.current;
      let span: Span | undefined;
      if (options.traceConnect) {
        span = startClientSpan('pg-pool.connect', {
          component: 'pg',
          tracer: options.tracer,
          requireParent: options.requireParentSpan,
          tags: connectionTags(this?.options, options),
        });
        if (span !== undefined && span.context().isSampled()) {
          for (const [tag, value] of [
            ['pg.pool.total', this?.totalCount],
            ['pg.pool.idle', this?.idleCount],
            ['pg.pool.waiting', this?.waitingCount],
          ] as const) {
            if (typeof value === 'number') span.setTag(tag, value);
          }
        }
      }
      // a pool opens a new connection synchronously inside connect(): make it this span's child
      const previous = checkoutInProgress;
      checkoutInProgress = span;
      try {
        return callWithCompletion(original, this, arguments, span);
      } finally {
        checkoutInProgress = previous;
      }
    };
}

/** The `pg-pool.connect` span whose synchronous part is running, if any. */
let checkoutInProgress: Span | undefined;

/**
 * Calls `original` with its callback (first argument) bound to the caller's context and
 * ending `span`; without a callback, ends `span` when the returned promise settles (the
 * caller gets a promise derived from it: same value, same error).
 */
function callWithCompletion(original: AnyFunction, self: unknown, argsLike: IArguments, span: Span | undefined): unknown {
  const args = Array.prototype.slice.call(argsLike) as unknown[];
  const callback = args[0];
  if (typeof callback === 'function') {
    const bound = bindToCaller(callback as AnyFunction);
    args[0] = function (this: unknown, err: unknown) {
      if (span !== undefined) endSpan(span, err);
      return bound.apply(this, arguments as unknown as unknown[]);
    };
    try {
      return original.apply(self, args);
    } catch (err) {
      if (span !== undefined) endSpan(span, err);
      throw err;
    }
  }
  let result: unknown;
  try {
    result = original.apply(self, args);
  } catch (err) {
    if (span !== undefined) endSpan(span, err);
    throw err;
  }
  if (span === undefined) return result;
  if (!isThenable(result)) {
    span.finish();
    return result;
  }
  return afterSettled(
    result,
    () => endSpan(span),
    (err) => endSpan(span, err),
  );
}
