import type { IncomingMessage } from 'node:http';
import {
  activeSpan,
  getOrStartServerSpan,
  getServerSpan,
  requestPath,
  safeExecute,
  setServerSpanRoute,
  Tags,
  withSpan,
  type Span,
} from '@jt/core';
import type { ResolvedOptions } from './options';
import type { KoaContextLike } from './types';

/** What this package knows about one traced request (shared by middleware and auto hook). */
export interface RequestState {
  readonly span: Span;
  readonly options: ResolvedOptions;
  /** Errors already recorded: middleware and hook both see an error on its way out. */
  errors: Set<unknown> | undefined;
  ended: boolean;
}

// Shared by every copy of @jt/koa, so middleware and hook from two copies still agree.
const KEY = Symbol.for('jt.koa.requests');
type Holder = { [KEY]?: WeakMap<IncomingMessage, RequestState | null> };
const holder = globalThis as Holder;
const states: WeakMap<IncomingMessage, RequestState | null> = (holder[KEY] ??= new WeakMap());

/**
 * Gets or starts the request's one server span (the http hook may have made it already) and
 * this package's state for it; `undefined` when the request is not traced (ignored paths).
 * The first caller's options apply to the request.
 */
export function traceRequest(ctx: KoaContextLike, options: ResolvedOptions): RequestState | undefined {
  const req = ctx.req;
  const known = states.get(req);
  if (known !== undefined) return known ?? undefined;
  const startedElsewhere = getServerSpan(req) !== undefined;
  const span = getOrStartServerSpan(req, ctx.res, options.serverSpan);
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
  bindRequestEvents(req, span);
  const hook = options.user.requestHook;
  if (hook !== undefined) safeExecute(function requestHook() { hook(span, ctx); });
  const onEnd = (): void => {
    if (state.ended) return;
    state.ended = true;
    const onResponse = options.user.responseHook;
    if (onResponse !== undefined) safeExecute(function responseHook() { onResponse(span, ctx); });
  };
  // before the core's own listener, which finishes the span
  ctx.res.prependOnceListener('finish', onEnd);
  ctx.res.prependOnceListener('close', onEnd);
  return state;
}

/** Names the server span after the route @koa/router matched (`GET /users/:id`), if any. */
export function nameFromRouter(state: RequestState, ctx: KoaContextLike): void {
  const matched = ctx._matchedRoute;
  if (matched === undefined || matched === null || matched === '') return;
  const route = typeof matched === 'string' ? matched : String(matched);
  const custom = state.options.user.operationName;
  let name: unknown;
  if (custom !== undefined) name = safeExecute(function operationName() { return custom(ctx, route); });
  if (typeof name !== 'string' || name === '') name = `${ctx.method ?? ctx.req.method ?? 'GET'} ${route}`;
  setServerSpanRoute(ctx.req, name as string, route);
}

/**
 * Records an error on the server span once. Errors that carry a 4xx status (`ctx.throw(404)`)
 * are the client's fault: logged, but the span is not marked as an error (as the response
 * status would not mark it either).
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
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && value >= 400 && value < 600 ? value : undefined;
}

/**
 * Body parsers read the request in its `data`/`end` events, which run in the socket's async
 * context: emitting them with the server span active keeps what follows inside the trace.
 */
function bindRequestEvents(req: IncomingMessage, span: Span): void {
  const emit = req.emit;
  if (typeof emit !== 'function') return;
  req.emit = function emitInSpan(this: IncomingMessage, ...args: Parameters<IncomingMessage['emit']>): boolean {
    if (activeSpan() === span) return emit.apply(this, args);
    return withSpan(span, () => emit.apply(this, args));
  } as IncomingMessage['emit'];
}
