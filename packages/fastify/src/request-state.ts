import type { IncomingMessage } from 'node:http';
import {
  getOrStartServerSpan,
  getServerSpan,
  requestPath,
  safeExecute,
  setServerSpanRoute,
  Tags,
  type Span,
} from '@jt/core';
import type { ResolvedOptions } from './options';
import type { FastifyReplyLike, FastifyRequestLike } from './types';

/** What this package knows about one traced request (shared by plugin and auto hook). */
export interface RequestState {
  readonly span: Span;
  readonly options: ResolvedOptions;
  /** Errors already recorded (one error can reach onError of two registrations). */
  errors: Set<unknown> | undefined;
  ended: boolean;
}

// Shared by every copy of @jt/fastify, so plugin and hook from two copies still agree.
const KEY = Symbol.for('jt.fastify.requests');
type Holder = { [KEY]?: WeakMap<IncomingMessage, RequestState | null> };
const holder = globalThis as Holder;
const states: WeakMap<IncomingMessage, RequestState | null> = (holder[KEY] ??= new WeakMap());

/** The request's state if it is traced, without starting anything. */
export function requestState(req: IncomingMessage): RequestState | undefined {
  return states.get(req) ?? undefined;
}

/**
 * Gets or starts the request's one server span (the http hook may have made it already) and
 * this package's state for it; `undefined` when the request is not traced (ignored paths).
 * The first caller's options apply to the request.
 */
export function traceRequest(request: FastifyRequestLike, reply: FastifyReplyLike, options: ResolvedOptions): RequestState | undefined {
  const req = request.raw;
  const known = states.get(req);
  if (known !== undefined) return known ?? undefined;
  const startedElsewhere = getServerSpan(req) !== undefined;
  const span = getOrStartServerSpan(req, reply.raw, options.serverSpan);
  if (span === undefined) {
    states.set(req, null);
    return undefined;
  }
  if (startedElsewhere && options.ignore !== undefined && safeExecute(() => options.ignore!(requestPath(req.url), req))) {
    // someone else traced a path the user asked us to ignore: drop the whole trace
    span.setTag(Tags.SAMPLING_PRIORITY, 0);
    states.set(req, null);
    return undefined;
  }
  const state: RequestState = { span, options, errors: undefined, ended: false };
  states.set(req, state);
  const hook = options.user.requestHook;
  if (hook !== undefined) safeExecute(function requestHook() { hook(span, request); });
  const onEnd = (): void => {
    if (state.ended) return;
    state.ended = true;
    const onResponse = options.user.responseHook;
    if (onResponse !== undefined) safeExecute(function responseHook() { onResponse(span, reply); });
  };
  // before the core's own listener, which finishes the span
  reply.raw.prependOnceListener('finish', onEnd);
  reply.raw.prependOnceListener('close', onEnd);
  return state;
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
  let name: unknown;
  if (custom !== undefined) name = safeExecute(function operationName() { return custom(request, route); });
  if (typeof name !== 'string' || name === '') name = `${request.method ?? request.raw.method ?? 'GET'} ${route}`;
  setServerSpanRoute(request.raw, name as string, route);
}

/**
 * Records an error on the server span once. Errors with a 4xx status (validation errors,
 * `httpErrors.notFound()`) are the client's fault: logged, but the span is not marked as an
 * error (as the response status would not mark it either).
 */
export function recordRequestError(state: RequestState, err: unknown): void {
  if (err === undefined || err === null) return;
  const seen = (state.errors ??= new Set());
  if (seen.has(err)) return;
  seen.add(err);
  const status = httpStatusOf(err);
  if (status !== undefined && status < 500) {
    const error = err as { name?: unknown; message?: unknown };
    state.span.log({ event: 'error', 'error.kind': String(error.name ?? 'Error'), message: String(error.message ?? err) });
  } else {
    state.span.recordError(err);
  }
}

function httpStatusOf(err: unknown): number | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const { status, statusCode } = err as { status?: unknown; statusCode?: unknown };
  const value = typeof statusCode === 'number' ? statusCode : status;
  return typeof value === 'number' && value >= 400 && value < 600 ? value : undefined;
}
