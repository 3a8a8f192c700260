import { activeSpan, safeExecute, withSpan } from '@jt/core';
import { JT_MIDDLEWARE } from './layer-tracking';
import { resolveOptions, type ExpressTracingOptions } from './options';
import { recordRequestError, requestState, traceRequest } from './request-state';
import type { ExpressRequest, ExpressResponse, NextFunction } from './types';

/** A middleware for `app.use(...)`. */
export type JaegerRequestHandler = (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => void;
/** An error middleware for `app.use(...)` (arity 4, as Express requires). */
export type JaegerErrorHandler = (err: unknown, req: ExpressRequest, res: ExpressResponse, next: NextFunction) => void;

/**
 * Traces every request with one server span: `app.use(jaegerMiddleware())` first, before the
 * routes. Continues an inbound trace (uber-trace-id, traceparent, b3, jaeger-debug-id), runs
 * the rest of the request with the span active, and names the span by the route template
 * (`GET /users/:id`) when the response finishes. Works alone (no `-r`), with the auto hook,
 * or under the http server hook: a request always has exactly one server span.
 */
export function jaegerMiddleware(options: ExpressTracingOptions = {}): JaegerRequestHandler {
  const resolved = resolveOptions(options);
  const middleware = function jaegerMiddleware(req: ExpressRequest, res: ExpressResponse, next: NextFunction): void {
    const state = safeExecute(() => traceRequest(req, res, resolved));
    if (state === undefined || activeSpan() === state.span) {
      next();
      return;
    }
    withSpan(state.span, () => next());
  };
  Object.defineProperty(middleware, JT_MIDDLEWARE, { value: true });
  return middleware;
}

/**
 * Records the error of a failed request on its server span, then passes it on unchanged:
 * `app.use(jaegerErrorMiddleware())` after the routes (before your own error handlers). Only
 * needed without the auto hook, which sees every `next(err)` and thrown error by itself.
 */
export function jaegerErrorMiddleware(): JaegerErrorHandler {
  const middleware = function jaegerErrorMiddleware(
    err: unknown,
    req: ExpressRequest,
    _res: ExpressResponse,
    next: NextFunction,
  ): void {
    const state = requestState(req);
    if (state !== undefined) safeExecute(() => recordRequestError(req, err));
    next(err);
  };
  Object.defineProperty(middleware, JT_MIDDLEWARE, { value: true });
  return middleware;
}
