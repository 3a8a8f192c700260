import { activeSpan, applyWithSpan, callWithSpan, getTracer, reportHookError, requestPath, safeExecute, type Span } from '@jt/core';
import type { ResolvedOptions } from './options';
import { nameRoute, recordRequestError, traceRequest, type Frame, type RequestState } from './request-state';
import { appendTemplate, chooseTemplate, layerClassOf } from './route-template';
import type { ExpressRequest, ExpressResponse, LayerLike, NextFunction } from './types';

/**
 * The auto hook's view of routing: each router layer entered pushes the path template it
 * was mounted with; calling `next` leaves the layer again. When a route layer is entered,
 * the templates on the stack are the route (`/api` + `/users/:id`), whatever the nesting.
 */

/** The path a `router.use(path, ...)` layer was created with (stored by `recordMountPaths`). */
export const MOUNT_PATH = Symbol.for('jt.express.mountPath');
/** Marks this package's own middleware, which gets no child span. */
export const JT_MIDDLEWARE = Symbol.for('jt.express.middleware');

type AnyFunction = (...args: unknown[]) => unknown;

/** Express's own layers: sub-app mounts, and express 4's built-in `query` and `expressInit`. */
const EXPRESS_INTERNALS = new Set(['mounted_app', 'query', 'expressInit']);
type Use = (this: { stack?: unknown }, ...args: unknown[]) => unknown;
type HandleRequest = (this: LayerLike, req: ExpressRequest, res: ExpressResponse, next: NextFunction) => unknown;
type HandleError = (this: LayerLike, err: unknown, req: ExpressRequest, res: ExpressResponse, next: NextFunction) => unknown;

/** Wraps `Router#use` so each layer it adds remembers its mount path. */
export function recordMountPaths(original: Use): Use {
  return function use(this: { stack?: unknown }, ...args: unknown[]): unknown {
    const stack = this?.stack;
    const before = Array.isArray(stack) ? stack.length : -1;
    const result = original.apply(this, args);
    if (before >= 0) {
      safeExecute(function storeMountPath() {
        const path = mountPathArgument(args[0]);
        const layers = stack as Array<Record<PropertyKey, unknown>>;
        for (let i = before; i < layers.length; i++) {
          if (layers[i] !== null && typeof layers[i] === 'object') layers[i]![MOUNT_PATH] = path;
        }
      });
    }
    return result;
  };
}

/** The path argument of `use(...)`, decided as Express decides it (a leading function means `/`). */
function mountPathArgument(first: unknown): unknown {
  let arg = first;
  while (Array.isArray(arg) && arg.length !== 0) arg = arg[0];
  return typeof arg === 'function' ? '/' : first;
}

/** Wraps `Layer#handle_request` (express 4) / `Layer#handleRequest` (router 2). */
export function trackHandleRequest(original: HandleRequest, options: ResolvedOptions): HandleRequest {
  return function handleRequest(this: LayerLike, req, res, next) {
    if ((this as Record<PropertyKey, unknown>)[UNTRACKED] === true) return original.call(this, req, res, next);
    const state = layerState(req, res, next, options);
    if (state === undefined) return original.call(this, req, res, next);
    const leave = enterLayer(this, state, req, next, false);
    const active = state.runIn;
    if (active === undefined) return original.call(this, req, res, leave);
    state.runIn = undefined;
    return callWithSpan(active, callLayer, original, this, req, res, leave);
  };
}

/** Wraps `Layer#handle_error` (express 4) / `Layer#handleError` (router 2). */
export function trackHandleError(original: HandleError, options: ResolvedOptions): HandleError {
  return function handleError(this: LayerLike, err, req, res, next) {
    const state = layerState(req, res, next, options);
    if (state === undefined) return original.call(this, err, req, res, next);
    recordRequestError(req, err);
    const leave = enterLayer(this, state, req, next, true);
    const active = state.runIn;
    if (active === undefined) return original.call(this, err, req, res, leave);
    state.runIn = undefined;
    return callWithSpan(active, callErrorLayer, original, this, err, req, res, leave);
  };
}

// Module-level, not arrows: a closure would make every call allocate a context for its captures.
function callLayer(original: HandleRequest, layer: LayerLike, req: ExpressRequest, res: ExpressResponse, next: NextFunction): unknown {
  return original.call(layer, req, res, next);
}

function callErrorLayer(
  original: HandleError,
  layer: LayerLike,
  err: unknown,
  req: ExpressRequest,
  res: ExpressResponse,
  next: NextFunction,
): unknown {
  return original.call(layer, err, req, res, next);
}

/** The request's state when this layer call is to be tracked (every layer runs this: no closures). */
function layerState(req: ExpressRequest, res: ExpressResponse, next: unknown, options: ResolvedOptions): RequestState | undefined {
  if (!options.enabled || typeof next !== 'function') return undefined;
  try {
    return traceRequest(req, res, options);
  } catch (err) {
    reportHookError('traceRequest', err);
    return undefined;
  }
}

/**
 * Bookkeeping as a layer is entered: pushes the template it adds, names the route when it is
 * a route layer, opens its middleware span if asked. Returns the `next` to hand the layer
 * (leaving the layer again when called) and leaves in `state.runIn` the span to run the
 * layer under, if it is not the active one already. On the common path (no middleware span,
 * the request's span active) nothing is allocated but one `next` per router level.
 */
function enterLayer(layer: LayerLike, state: RequestState, req: ExpressRequest, next: NextFunction, isError: boolean): NextFunction {
  const frames = state.frames;
  const depth = frames.length;
  const template = layerTemplate(layer, req, frames);
  // layers that add nothing to the path (plain middleware, a Route's handlers) push no frame
  if (template !== '' && template !== '/') frames.push({ template, baseUrl: typeof req.baseUrl === 'string' ? req.baseUrl : '' });
  if (!isError && layer.route !== undefined && layer.route !== null) {
    state.routeNamed = true;
    try {
      nameRoute(state, req, routeOf(frames));
    } catch (err) {
      reportHookError('nameRoute', err);
    }
  }

  // handlers run with the request's span active, also when a callback lost the context
  const entry = activeSpan();
  const parent = entry !== undefined && entry.traceId === state.span.traceId ? entry : state.span;
  const child = state.options.middlewareSpans ? layerSpan(layer, state, parent, isError) : undefined;
  if (child === undefined && parent === entry) {
    state.runIn = undefined;
    // a Route's own handler pushes no frame, and an error it passes on
    // reaches the route layer's `next` (or a later handler's `handle_error`), which records it:
    // nothing is left for a wrapper to do
    if (depth === frames.length && isRouteOwnLayer(layer)) return next;
    return plainLeave(state, req, next, depth);
  }
  state.runIn = child ?? parent;
  return spanLeave(state, req, next, depth, parent, child);
}

/** The layer's middleware span, if it gets one; never throws. */
function layerSpan(layer: LayerLike, state: RequestState, parent: Span, isError: boolean): Span | undefined {
  try {
    return startLayerSpan(layer, state, parent, state.frames, isError);
  } catch (err) {
    reportHookError('startLayerSpan', err);
    return undefined;
  }
}

/**
 * The `next` for a layer run under its own middleware span or a restored context: also ends
 * that span, and runs the layers after it under `parent` (they are siblings of its span).
 */
function spanLeave(state: RequestState, req: ExpressRequest, next: NextFunction, depth: number, parent: Span, child: Span | undefined): NextFunction {
  const frames = state.frames;
  return function leaveLayer(this: unknown, err?: unknown): unknown {
    leaveFrames(frames, depth, req, err);
    if (child !== undefined) finishLayerSpan(state, child, err);
    // eslint-disable-next-line prefer-rest-params
    return applyWithSpan(parent, next as AnyFunction, this, arguments);
  };
}

/**
 * The `next` for a layer that changes no context: pops the frames pushed since `depth` and
 * records an error passed on. Sibling layers of one router get the same `next` at the same
 * depth, so one wrapper is kept and reused.
 */
function plainLeave(state: RequestState, req: ExpressRequest, next: NextFunction, depth: number): NextFunction {
  const cached = state.leave;
  if (cached !== undefined && cached.next === next && cached.depth === depth) return cached.wrapper;
  return newPlainLeave(state, req, next, depth);
}

// Apart from `plainLeave`: a function that creates a closure allocates its context on every
// call, so the cache hit above would pay for it too.
function newPlainLeave(state: RequestState, req: ExpressRequest, next: NextFunction, depth: number): NextFunction {
  const frames = state.frames;
  const wrapper = function leaveLayer(this: unknown, err?: unknown): unknown {
    leaveFrames(frames, depth, req, err);
    // Express's `next` takes at most the error: a direct call is cheaper than `apply(arguments)`
    if (arguments.length <= 1) return arguments.length === 0 ? (next as AnyFunction).call(this) : (next as AnyFunction).call(this, err);
    // eslint-disable-next-line prefer-rest-params
    return (next as AnyFunction).apply(this, arguments as never);
  };
  state.leave = { next, depth, wrapper };
  return wrapper;
}

/** Leaving a layer: pops the frames pushed since it was entered, records an error passed on. */
function leaveFrames(frames: Frame[], depth: number, req: ExpressRequest, err: unknown): void {
  if (frames.length > depth) frames.length = depth;
  if (err !== undefined && err !== null) recordRequestError(req, err);
}

/** The route the frames make, as `joinTemplates` of their templates (no array per call). */
function routeOf(frames: readonly Frame[]): string {
  let out = '';
  for (let i = 0; i < frames.length; i++) out = appendTemplate(out, frames[i]!.template);
  return out === '' ? '/' : out;
}

/** A layer of a Route's own stack (a handler for one method, or `all`): it has `method`, set even when undefined. */
function isRouteOwnLayer(layer: LayerLike): boolean {
  return 'method' in layer;
}

/** Layers whose template does not depend on the request remember it here. */
const TEMPLATE = Symbol('jt.express.template');

/** `layerTemplate` for this request, never throwing (a failure is logged once and adds nothing). */
function layerTemplate(layer: LayerLike, req: ExpressRequest, frames: readonly Frame[]): string {
  const cached = (layer as Record<PropertyKey, unknown>)[TEMPLATE];
  if (typeof cached === 'string') return cached;
  try {
    return computeTemplate(layer, req, frames);
  } catch (err) {
    reportHookError('layerTemplate', err);
    return '';
  }
}

/**
 * The template this layer adds: its route's path, its mount path, or nothing (route
 * internals). Remembered on the layer when it cannot vary (no array of paths).
 */
function computeTemplate(layer: LayerLike, req: ExpressRequest, frames: readonly Frame[]): string {
  const route = layer.route;
  if (route !== undefined && route !== null) {
    const template = chooseTemplate(route, route.path, requestPath(req.url), true, layerClassOf(layer));
    if (!Array.isArray(route.path)) remember(layer, template);
    return template;
  }
  const stored = (layer as Record<PropertyKey, unknown>)[MOUNT_PATH];
  // router >= 2.3 keeps the path itself; a Route's own layers add nothing
  const mount = stored !== undefined ? stored : isRouteOwnLayer(layer) ? undefined : layer.rawPath;
  if (mount === undefined) return remember(layer, '');
  if (!Array.isArray(mount)) return rememberPlain(layer, chooseTemplate(layer, mount, '', false, undefined));
  // the part of the path this mount matched: what it added to req.baseUrl
  const parentBase = frames.length === 0 ? '' : frames[frames.length - 1]!.baseUrl;
  const baseUrl = typeof req.baseUrl === 'string' ? req.baseUrl : '';
  const matched = baseUrl.startsWith(parentBase) ? baseUrl.substring(parentBase.length) : baseUrl;
  return chooseTemplate(layer, mount, matched === '' ? '/' : matched, false, layerClassOf(layer));
}

/**
 * Express 4's own `query` and `expressInit` layers, once seen: later requests pass them
 * untracked. They add no template, name no route, call `next` synchronously and get no
 * middleware span (see `startLayerSpan`), so tracking them only cost two wrapper runs per
 * request. An app's middleware of the same name stays tracked: the source must be Express's.
 */
const UNTRACKED = Symbol('jt.express.untracked');
/** Express 4's own init middleware by name, with a fragment of its source (as in 4.22; one whose source differs stays tracked, only slower). */
const EXPRESS_INIT_SOURCES: ReadonlyMap<string, string> = new Map([
  ['query', 'queryparse('],
  ['expressInit', 'app.request'],
]);

/** `remember` for a layer mounted at one path; also marks Express's own init layers untracked. */
function rememberPlain(layer: LayerLike, template: string): string {
  if ((template === '' || template === '/') && isExpressInitMiddleware(layer.handle)) {
    (layer as Record<PropertyKey, unknown>)[UNTRACKED] = true;
  }
  return remember(layer, template);
}

function isExpressInitMiddleware(fn: unknown): boolean {
  if (typeof fn !== 'function') return false;
  const fragment = EXPRESS_INIT_SOURCES.get(fn.name);
  return fragment !== undefined && Function.prototype.toString.call(fn).includes(fragment);
}

function remember(layer: LayerLike, template: string): string {
  (layer as Record<PropertyKey, unknown>)[TEMPLATE] = template;
  return template;
}

function startLayerSpan(
  layer: LayerLike,
  state: RequestState,
  parent: Span,
  frames: readonly Frame[],
  isError: boolean,
): Span | undefined {
  const fn = layer.handle as (AnyFunction & { stack?: unknown; handle?: unknown }) | undefined;
  if (typeof fn !== 'function' || (fn as unknown as Record<PropertyKey, unknown>)[JT_MIDDLEWARE] === true) return undefined;
  // routers, mounted apps and route dispatchers are structure, not work
  if (layer.route !== undefined && layer.route !== null) return undefined;
  if (Array.isArray(fn.stack) && typeof fn.handle === 'function') return undefined;
  if (EXPRESS_INTERNALS.has(fn.name)) return undefined;
  // layers Express skips without calling: error handlers on the request path and vice versa
  if (isError ? fn.length !== 4 : fn.length > 3) return undefined;
  const name = layer.name || fn.name || '<anonymous>';
  let operation: string;
  let type: string;
  if (isError) {
    operation = `error handler - ${name}`;
    type = 'error_handler';
  } else if (isRouteOwnLayer(layer)) {
    operation = `request handler - ${routeOf(frames)}`;
    type = 'request_handler';
  } else {
    operation = `middleware - ${name}`;
    type = 'middleware';
  }
  const tracer = state.options.user.tracer ?? getTracer();
  const span = tracer.startSpan(operation, {
    childOf: parent,
    tags: { component: 'express', 'express.type': type, 'express.name': name },
  });
  (state.openSpans ??= new Set()).add(span);
  return span;
}

function finishLayerSpan(state: RequestState, span: Span, err: unknown): void {
  if (!state.openSpans?.delete(span)) return;
  if (err !== undefined && err !== null && err !== 'route' && err !== 'router') span.recordError(err);
  span.finish();
}
