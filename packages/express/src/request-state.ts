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
import { routeFromRequest } from './route-template';
import type { ExpressRequest, ExpressResponse } from './types';

/** A router layer being run: the template it adds and `req.baseUrl` once it was entered. */
export interface Frame {
  template: string;
  baseUrl: string;
}

/** What this package knows about one traced request (shared by middleware and auto hook). */
export interface RequestState {
  readonly span: Span;
  readonly options: ResolvedOptions;
  /** Layers entered and not yet left (auto hook): their templates make the route. */
  readonly frames: Frame[];
  /** True once a route layer named the span (the explicit fallback then stays quiet). */
  routeNamed: boolean;
  /** Errors already recorded (one error travels through many `next(err)` calls). */
  errors: Set<unknown> | undefined;
  /** Middleware/handler child spans still open (auto hook with `middlewareSpans`). */
  openSpans: Set<Span> | undefined;
  ended: boolean;
}

// Shared by every copy of @jt/express, so middleware and hook from two copies still agree.
const KEY = Symbol.for('jt.express.requests');
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
export function traceRequest(req: ExpressRequest, res: ExpressResponse, options: ResolvedOptions): RequestState | undefined {
  const known = states.get(req);
  if (known !== undefined) return known ?? undefined;
  const startedElsewhere = getServerSpan(req) !== undefined;
  const span = getOrStartServerSpan(req, res, options.serverSpan);
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
  const state: RequestState = {
    span,
    options,
    frames: [],
    routeNamed: false,
    errors: undefined,
    openSpans: undefined,
    ended: false,
  };
  states.set(req, state);
  bindRequestEvents(req, span);
  const hook = options.user.requestHook;
  if (hook !== undefined) safeExecute(function requestHook() { hook(span, req); });
  const onEnd = (): void => endRequest(state, req, res);
  // before the core's own listener, which finishes the span
  res.prependOnceListener('finish', onEnd);
  res.prependOnceListener('close', onEnd);
  return state;
}

/**
 * Names the server span from a route template: `GET /users/:id` (or the user's
 * `operationName`), with `http.route` set to the template.
 */
export function nameRoute(state: RequestState, req: ExpressRequest, route: string): void {
  const custom = state.options.user.operationName;
  let name: unknown;
  if (custom !== undefined) name = safeExecute(function operationName() { return custom(req, route); });
  if (typeof name !== 'string' || name === '') name = `${req.method ?? 'GET'} ${route}`;
  setServerSpanRoute(req, name as string, route);
}

/**
 * Records an error on the server span once. Errors that carry a 4xx status (`http-errors`,
 * `err.status = 404`) are the client's fault: logged, but the span is not marked as an error
 * (as the response status would not mark it either).
 */
export function recordRequestError(state: RequestState, err: unknown): void {
  if (err === undefined || err === null || err === 'route' || err === 'router') return;
  const seen = (state.errors ??= new Set());
  if (seen.has(err)) return;
  seen.add(err);
  recordOn(state.span, err);
}

function recordOn(span: Span, err: unknown): void {
  const status = httpStatusOf(err);
  if (status !== undefined && status < 500) {
    const error = err as { name?: unknown; message?: unknown };
    span.log({ event: 'error', 'error.kind': String(error.name ?? 'Error'), message: String(error.message ?? err) });
  } else {
    span.recordError(err);
  }
}

function httpStatusOf(err: unknown): number | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const { status, statusCode } = err as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && value >= 400 && value < 600 ? value : undefined;
}

/**
 * Body parsers call `next()` from the request's `data`/`end` events, which run in the
 * socket's async context, not the request's: emitting those events with the server span
 * active keeps the handlers after them inside the trace.
 */
function bindRequestEvents(req: IncomingMessage, span: Span): void {
  const emit = req.emit;
  if (typeof emit !== 'function') return;
  req.emit = function emitInSpan(this: IncomingMessage, ...args: Parameters<IncomingMessage['emit']>): boolean {
    if (activeSpan() === span) return emit.apply(this, args);
    return withSpan(span, () => emit.apply(this, args));
  } as IncomingMessage['emit'];
}

function endRequest(state: RequestState, req: ExpressRequest, res: ExpressResponse): void {
  if (state.ended) return;
  state.ended = true;
  if (state.openSpans !== undefined) {
    for (const child of state.openSpans) child.finish();
    state.openSpans.clear();
  }
  // explicit middleware alone (no hook saw the layers): name from what Express left on req
  if (!state.routeNamed) {
    const route = safeExecute(() => routeFromRequest(req));
    if (route !== undefined) nameRoute(state, req, route);
  }
  const hook = state.options.user.responseHook;
  if (hook !== undefined) safeExecute(function responseHook() { hook(state.span, res); });
}
