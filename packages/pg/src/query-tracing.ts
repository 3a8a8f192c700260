import { afterSettled, isThenable, safeExecute, startClientSpan, Tags, type Span, type WrapperFactory } from '@jt/core';
import { bindToCaller } from './caller-context';
import type { OptionsRef, ResolvedPgOptions } from './options';
import type { AnyFunction, PgClientShape, QueryConfigShape } from './pg-shapes';
import { connectionTags, endSpan, recordPgError } from './span-tags';
import { describeQuery, querySpanName, statementText, type QueryDescription } from './statement';

/**
 * Wraps `Client.prototype.query` (also what `Pool#query` calls): a client span per query,
 * for every form: text, text + values, config object, prepared statement (`name`),
 * callback or promise, and Submittables (pg `Query`, pg-cursor, pg-query-stream).
 *
 * The span ends when the query completes: in the callback, when the promise settles, or
 * for a Submittable when pg hands it ReadyForQuery or an error. Callbacks are bound to the
 * caller's async context (pg calls them from the connection's). Promise continuations
 * already run in the caller's context. Return values are the original ones, except that
 * the promise form returns a promise derived from pg's (same value, same error).
 */
export function queryWrapper(ref: OptionsRef): WrapperFactory<AnyFunction> {
  return (original) =>
    function query(this: PgClientShape, config: unknown, values?: unknown, callback?: unknown): unknown {
      if (config === null || (typeof config !== 'string' && typeof config !== 'object')) {
        return original.apply(this, arguments as unknown as unknown[]);
      }
      const client = this;
      const options = ref.current;
      const description = describeQuery(config);
      const span = safeExecute(function startPgQuerySpan() {
        return startQuerySpan(client, description, options);
      });
      const args = Array.prototype.slice.call(arguments) as unknown[];
      const submittable = description.submittable;
      let hasCallback = true;
      if (typeof values === 'function') {
        args[1] = completionCallback(values as AnyFunction, submittable ? undefined : span);
      } else if (typeof callback === 'function') {
        args[2] = completionCallback(callback as AnyFunction, submittable ? undefined : span);
      } else if (!submittable && typeof (config as QueryConfigShape).callback === 'function') {
        // pg lets a callback in the third argument override the config's own
        args[1] = values;
        args[2] = completionCallback((config as QueryConfigShape).callback as AnyFunction, span);
      } else {
        hasCallback = false;
      }
      if (submittable) {
        safeExecute(function hookPgSubmittable() {
          bindOwnCallback(config as QueryConfigShape);
          if (span !== undefined) endWithSubmittable(config as QueryConfigShape, span);
        });
      }
      let result: unknown;
      try {
        result = original.apply(this, args);
      } catch (err) {
        if (span !== undefined) endSpan(span, err);
        throw err;
      }
      if (span === undefined || submittable || hasCallback || !isThenable(result)) return result;
      return afterSettled(
        result,
        () => endSpan(span),
        (err) => endSpan(span, err),
      );
    };
}

function startQuerySpan(client: PgClientShape, query: QueryDescription, options: ResolvedPgOptions): Span | undefined {
  const span = startClientSpan(querySpanName(query), {
    component: 'pg',
    tracer: options.tracer,
    requireParent: options.requireParentSpan,
  });
  if (span === undefined || !span.context().isSampled()) return span;
  span.addTags(connectionTags(client, options));
  if (query.text !== undefined && query.text !== '') span.setTag(Tags.DB_STATEMENT, statementText(query.text, options));
  if (query.name !== undefined) span.setTag('pg.statement_name', query.name);
  return span;
}

/** The user's callback bound to the caller's context, ending `span` first (when given). */
function completionCallback(callback: AnyFunction, span: Span | undefined): AnyFunction {
  const bound = bindToCaller(callback);
  if (span === undefined) return bound;
  return function (this: unknown, err: unknown) {
    endSpan(span, err);
    return bound.apply(this, arguments as unknown as unknown[]);
  };
}

/** A Submittable's own `callback` (e.g. `new Query(text, values, cb)`) runs in the caller's context. */
function bindOwnCallback(query: QueryConfigShape): void {
  if (typeof query.callback === 'function') query.callback = bindToCaller(query.callback as AnyFunction);
}

/**
 * A Submittable is done when pg calls its `handleError` or `handleReadyForQuery` (for a
 * cursor: once it is closed or exhausted). The span ends first, so it is complete when the
 * Submittable calls back or emits `end`/`error`.
 */
function endWithSubmittable(query: QueryConfigShape, span: Span): void {
  const handleError = query.handleError;
  const handleReadyForQuery = query.handleReadyForQuery;
  if (typeof handleError === 'function') {
    query.handleError = function (this: QueryConfigShape, err: unknown) {
      // pg's Query reports a row-parsing error it met earlier instead of the one passed
      recordPgError(span, this?._canceledDueToError ? this._canceledDueToError : err);
      span.finish();
      return handleError.apply(this, arguments as unknown as unknown[]);
    };
  }
  if (typeof handleReadyForQuery === 'function') {
    query.handleReadyForQuery = function (this: QueryConfigShape) {
      // with an error pending, pg's Query goes on to handleError, which ends the span
      if (!this?._canceledDueToError) span.finish();
      return handleReadyForQuery.apply(this, arguments as unknown as unknown[]);
    };
  }
}
