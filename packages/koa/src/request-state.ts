import { bindOperationName, nameServerSpanByRoute, runFrameworkSpanHooks, ServerRequestStates, type Span } from '@jt/core';
import type { ResolvedOptions } from './options';
import type { KoaContextLike } from './types';

/** What this package knows about one traced request (shared by middleware and auto hook). */
export interface RequestState {
  readonly span: Span;
  readonly options: ResolvedOptions;
}

const requests = new ServerRequestStates<RequestState>('jt.koa.requests');

/**
 * Gets or starts the request's one server span (the http hook may have made it already) and
 * this package's state for it; `undefined` when the request is not traced (ignored paths).
 * The first caller's options apply to the request.
 */
export function traceRequest(ctx: KoaContextLike, options: ResolvedOptions): RequestState | undefined {
  return requests.join(ctx.req, ctx.res, options.serverSpan, (span) => {
    runFrameworkSpanHooks(ctx.req, span, options.user, ctx, ctx);
    return { span, options };
  });
}

/** Names the server span after the route @koa/router matched (`GET /users/:id`), if any. */
export function nameFromRouter(state: RequestState, ctx: KoaContextLike): void {
  const matched = ctx._matchedRoute;
  if (matched === undefined || matched === null || matched === '') return;
  const route = typeof matched === 'string' ? matched : String(matched);
  const custom = state.options.user.operationName;
  nameServerSpanByRoute(ctx.req, route, ctx.method, custom === undefined ? undefined : bindOperationName(custom, ctx));
}
