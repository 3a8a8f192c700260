import { resolveOptions, type KoaTracingOptions } from './options';
import { runTraced } from './trace-request';
import type { KoaContextLike, KoaNext } from './types';

/** A Koa middleware for `app.use(...)`. */
export type JaegerKoaMiddleware = (ctx: KoaContextLike, next: KoaNext) => Promise<unknown>;

/**
 * Traces every request with one server span: `app.use(jaegerMiddleware())` first, before the
 * router. Continues an inbound trace (uber-trace-id, traceparent, b3, jaeger-debug-id), runs
 * the rest of the chain with the span active, records errors thrown down the chain (Koa still
 * answers them as before) and names the span by the @koa/router template (`GET /users/:id`).
 * Works alone (no `-r`), with the auto hook, or under the http server hook: a request always
 * has exactly one server span.
 */
export function jaegerMiddleware(options: KoaTracingOptions = {}): JaegerKoaMiddleware {
  const resolved = resolveOptions(options);
  return function jaegerMiddleware(ctx: KoaContextLike, next: KoaNext): Promise<unknown> {
    return runTraced(ctx, next, resolved);
  };
}
