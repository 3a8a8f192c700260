import { activeSpan, recordServerError, safeExecute, withSpan } from '@jt/core';
import type { ResolvedOptions } from './options';
import { nameFromRouter, traceRequest, type RequestState } from './request-state';
import type { KoaContextLike, KoaNext } from './types';

/**
 * Runs the rest of the chain (`next`) for one request under its server span: active while
 * it runs, errors thrown down the chain recorded and rethrown unchanged (so Koa answers as it
 * always does), and the span named by the @koa/router route once the chain is done.
 */
export function runTraced(ctx: KoaContextLike, next: KoaNext, options: ResolvedOptions): Promise<unknown> {
  const state = options.enabled ? safeExecute(() => traceRequest(ctx, options)) : undefined;
  if (state === undefined) return next();
  let pending: Promise<unknown>;
  try {
    const entry = activeSpan();
    pending = entry !== undefined && entry.traceId === state.span.traceId ? next() : withSpan(state.span, next);
  } catch (err) {
    settle(state, ctx, err);
    throw err;
  }
  return Promise.resolve(pending).then(
    (value) => {
      settle(state, ctx, undefined);
      return value;
    },
    (err: unknown) => {
      settle(state, ctx, err);
      throw err;
    },
  );
}

function settle(state: RequestState, ctx: KoaContextLike, err: unknown): void {
  safeExecute(function recordKoaOutcome() {
    // once per error; a 4xx error (`ctx.throw(404)`) is logged, not marked as an error
    if (err !== undefined) recordServerError(ctx.req, err);
    nameFromRouter(state, ctx);
  });
}
