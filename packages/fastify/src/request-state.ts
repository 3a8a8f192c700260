import type { IncomingMessage } from 'node:http';
import { bindOperationName, nameServerSpanByRoute, recordServerError, runFrameworkSpanHooks, ServerRequestStates, type Span } from '@jt/core';
import type { ResolvedOptions } from './options';
import type { FastifyReplyLike, FastifyRequestLike } from './types';

/** What this package knows about one traced request (shared by plugin and auto hook). */
export interface RequestState {
  readonly span: Span;
  readonly options: ResolvedOptions;
}

const requests = new ServerRequestStates<RequestState>('jt.fastify.requests');

/** The request's state if it is traced, without starting anything. */
export function requestState(req: IncomingMessage): RequestState | undefined {
  return requests.get(req);
}

/**
 * Gets or starts the request's one server span (the http hook may have made it already) and
 * this package's state for it; `undefined` when the request is not traced (ignored paths).
 * The first caller's options apply to the request.
 */
export function traceRequest(request: FastifyRequestLike, reply: FastifyReplyLike, options: ResolvedOptions): RequestState | undefined {
  return requests.join(request.raw, reply.raw, options.serverSpan, (span) => {
    runFrameworkSpanHooks(request.raw, span, options.user, request, reply);
    return { span, options };
  });
}

/** The matched route's template: `routeOptions.url`, or `routerPath` on fastify 4 before 4.10. */
export function routeOf(request: FastifyRequestLike): string | undefined {
  // reading routerPath where routeOptions exists would print a deprecation warning
  const url = 'routeOptions' in request ? request.routeOptions?.url : request.routerPath;
  return typeof url === 'string' && url !== '' ? url : undefined;
}

/** Names the server span after the matched route (`GET /users/:id`); 404s keep the method. */
export function nameFromRoute(state: RequestState, request: FastifyRequestLike): void {
  const route = routeOf(request);
  if (route === undefined) return;
  const custom = state.options.user.operationName;
  nameServerSpanByRoute(request.raw, route, request.method, custom === undefined ? undefined : bindOperationName(custom, request));
}

const FASTIFY_STATUS = { statusProperty: 'statusCode' } as const;

/**
 * Records an error on the server span once; errors with a 4xx status (validation errors,
 * `httpErrors.notFound()`) are logged, not marked as an error (see `recordServerError`).
 * Fastify answers by `err.statusCode` first, so that is read first here too.
 */
export function recordRequestError(request: FastifyRequestLike, err: unknown): void {
  recordServerError(request.raw, err, FASTIFY_STATUS);
}
