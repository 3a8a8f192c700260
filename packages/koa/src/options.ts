import type { PathMatcher, ServerSpanOptions, Span, Tracer } from '@jt/core';
import type { KoaContextLike } from './types';

/** Options of `jaegerMiddleware()` and `koaInstrumentation()`. */
export interface KoaTracingOptions {
  /** Tracer for the server span. Default: the global tracer (`getTracer()`), looked up per request. */
  tracer?: Tracer;
  /**
   * Requests to leave untraced: exact paths, `'/static/*'` prefixes, RegExps or predicates,
   * matched on the path without query. Default: none. When another hook (the http server hook)
   * already started the span, a match here drops it (`sampling.priority = 0`).
   */
  ignorePaths?: PathMatcher | readonly PathMatcher[];
  /** Called once per request when this package first sees it, with the server span and the context. */
  requestHook?(span: Span, ctx: KoaContextLike): void;
  /** Called once per request just before the server span finishes. */
  responseHook?(span: Span, ctx: KoaContextLike): void;
  /**
   * Name of the server span once @koa/router matched a route. Default:
   * `` `${ctx.method} ${route}` ``, e.g. `GET /users/:id`. Unmatched requests keep the method.
   */
  operationName?(ctx: KoaContextLike, route: string): string;
  /** Request headers recorded as `http.request.header.<name>` tags. Default: none. */
  captureRequestHeaders?: readonly string[];
  /** Response headers recorded as `http.response.header.<name>` tags. Default: none. */
  captureResponseHeaders?: readonly string[];
}

/** Options compiled once per middleware / instrumentation (the core caches by object identity). */
export interface ResolvedOptions {
  readonly user: KoaTracingOptions;
  readonly serverSpan: ServerSpanOptions;
  /** False once the instrumentation is unregistered (patched apps then pass straight through). */
  enabled: boolean;
}

export function resolveOptions(options: KoaTracingOptions = {}): ResolvedOptions {
  const user = options ?? {};
  return {
    user,
    serverSpan: {
      tracer: user.tracer,
      component: 'koa',
      ignorePaths: user.ignorePaths,
      captureRequestHeaders: user.captureRequestHeaders,
      captureResponseHeaders: user.captureResponseHeaders,
    },
    enabled: true,
  };
}
