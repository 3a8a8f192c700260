import { activeSpan, getTracer, requestPath, safeExecute, withSpan, type Span } from '@jt/core';
import type { ResolvedOptions } from './options';
import { nameRoute, recordRequestError, traceRequest, type Frame, type RequestState } from './request-state';
import { chooseTemplate, joinTemplates, layerClassOf } from './route-template';
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
    const state = options.enabled && typeof next === 'function' ? safeExecute(() => traceRequest(req, res, options)) : undefined;
    if (state === undefined) return original.call(this, req, res, next);
    return enterLayer(this, state, req, res, next, false, (wrapped) => original.call(this, req, res, wrapped));
  };
}

/** Wraps `Layer#handle_error` (express 4) / `Layer#handleError` (router 2). */
export function trackHandleError(original: HandleError, options: ResolvedOptions): HandleError {
  return function handleError(this: LayerLike, err, req, res, next) {
    const state = options.enabled && typeof next === 'function' ? safeExecute(() => traceRequest(req, res, options)) : undefined;
    if (state === undefined) return original.call(this, err, req, res, next);
    recordRequestError(req, err);
    return enterLayer(this, state, req, res, next, true, (wrapped) => original.call(this, err, req, res, wrapped));
  };
}

function enterLayer(
  layer: LayerLike,
  state: RequestState,
  req: ExpressRequest,
  res: ExpressResponse,
  next: NextFunction,
  isError: boolean,
  run: (next: NextFunction) => unknown,
): unknown {
  const frames = state.frames;
  const depth = frames.length;
  const template = safeExecute(() => layerTemplate(layer, req, frames)) ?? '';
  frames.push({ template, baseUrl: typeof req.baseUrl === 'string' ? req.baseUrl : '' });
  if (!isError && layer.route !== undefined && layer.route !== null) {
    state.routeNamed = true;
    const route = joinTemplates(frames.map((frame) => frame.template));
    safeExecute(() => nameRoute(state, req, route));
  }

  // handlers run with the request's span active, also when a callback lost the context
  const entry = activeSpan();
  const parent = entry !== undefined && entry.traceId === state.span.traceId ? entry : state.span;
  const child = state.options.middlewareSpans ? safeExecute(() => startLayerSpan(layer, state, parent, frames, isError)) : undefined;

  const leave = function leaveLayer(this: unknown, err?: unknown): unknown {
    if (frames.length > depth) frames.length = depth;
    if (err !== undefined && err !== null) recordRequestError(req, err);
    if (child !== undefined) finishLayerSpan(state, child, err);
    // the layers after this one are siblings of its span, not children
    if (child !== undefined || parent !== entry) return withSpan(parent, () => (next as AnyFunction).apply(this, arguments as never));
    return (next as AnyFunction).apply(this, arguments as never);
  };
  const active = child ?? parent;
  if (active === entry) return run(leave);
  return withSpan(active, () => run(leave));
}

/** The template this layer adds: its route's path, its mount path, or nothing (route internals). */
function layerTemplate(layer: LayerLike, req: ExpressRequest, frames: readonly Frame[]): string {
  const route = layer.route;
  if (route !== undefined && route !== null) {
    return chooseTemplate(route, route.path, requestPath(req.url), true, layerClassOf(layer));
  }
  const stored = (layer as Record<PropertyKey, unknown>)[MOUNT_PATH];
  // router >= 2.3 keeps the path itself; layers inside a Route (they have `method`) add nothing
  const mount = stored !== undefined ? stored : 'method' in layer ? undefined : layer.rawPath;
  if (mount === undefined) return '';
  if (!Array.isArray(mount)) return chooseTemplate(layer, mount, '', false, undefined);
  // the part of the path this mount matched: what it added to req.baseUrl
  const parentBase = frames.length === 0 ? '' : frames[frames.length - 1]!.baseUrl;
  const baseUrl = typeof req.baseUrl === 'string' ? req.baseUrl : '';
  const matched = baseUrl.startsWith(parentBase) ? baseUrl.substring(parentBase.length) : baseUrl;
  return chooseTemplate(layer, mount, matched === '' ? '/' : matched, false, layerClassOf(layer));
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
  } else if ('method' in layer) {
    operation = `request handler - ${joinTemplates(frames.map((frame) => frame.template))}`;
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
