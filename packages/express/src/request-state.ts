import type { IncomingMessage } from 'node:http';
import {
  bindOperationName,
  nameServerSpanByRoute,
  onServerSpanEnd,
  recordServerError,
  runFrameworkSpanHooks,
  safeExecute,
  ServerRequestStates,
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
  /** Middleware/handler child spans still open (auto hook with `middlewareSpans`). */
  openSpans: Set<Span> | undefined;
  /** Set as a layer is entered: the span to run it under, when not the active one (auto hook). */
  runIn: Span | undefined;
  /** The last `next` wrapper handed out, reused by sibling layers (auto hook). */
  leave: { next: unknown; depth: number; wrapper: (err?: unknown) => unknown } | undefined;
}

const requests = new ServerRequestStates<RequestState>('jt.express.requests');

/** The request's state if it is traced, without starting anything. */
export function requestState(req: IncomingMessage): RequestState | undefined {
  return requests.get(req);
}

/**
 * Gets or starts the request's one server span (the http hook may have made it already) and
 * this package's state for it; `undefined` when the request is not traced (ignored paths).
 * The first caller's options apply to the request.
 */
export function traceRequest(req: ExpressRequest, res: ExpressResponse, options: ResolvedOptions): RequestState | undefined {
  // runs for every layer: the closure below is made once per request, in its own function
  const known = requests.peek(req);
  return known !== undefined ? (known ?? undefined) : startRequestState(req, res, options);
}

function startRequestState(req: ExpressRequest, res: ExpressResponse, options: ResolvedOptions): RequestState | undefined {
  return requests.join(req, res, options.serverSpan, (span) => {
    const state: RequestState = { span, options, frames: [], routeNamed: false, openSpans: undefined, runIn: undefined, leave: undefined };
    // registered first, so it runs before the user's responseHook: the hook sees the route name
    onServerSpanEnd(req, function endExpressRequest() {
      endRequest(state, req);
    });
    runFrameworkSpanHooks(req, span, options.user, req, res);
    return state;
  });
}

/**
 * Names the server span from a route template: `GET /users/:id` (or the user's
 * `operationName`), with `http.route` set to the template.
 */
export function nameRoute(state: RequestState, req: ExpressRequest, route: string): void {
  const custom = state.options.user.operationName;
  nameServerSpanByRoute(req, route, req.method, custom === undefined ? undefined : bindOperationName(custom, req));
}

/**
 * Records an error on the request's server span once (4xx errors logged, not marked as an
 * error: see `recordServerError`). `next('route')` and `next('router')` are Express's control
 * flow, not errors.
 */
export function recordRequestError(req: IncomingMessage, err: unknown): void {
  if (err === 'route' || err === 'router') return;
  recordServerError(req, err);
}

/** Just before the span finishes: close child spans, name the route if no hook saw it. */
function endRequest(state: RequestState, req: ExpressRequest): void {
  if (state.openSpans !== undefined) {
    for (const child of state.openSpans) child.finish();
    state.openSpans.clear();
  }
  // explicit middleware alone (no hook saw the layers): name from what Express left on req
  if (!state.routeNamed) {
    const route = safeExecute(() => routeFromRequest(req));
    if (route !== undefined) nameRoute(state, req, route);
  }
}
