import type { PathMatcher, ServerSpanOptions, Span, Tracer } from '@jt/core';
import type { FastifyReplyLike, FastifyRequestLike } from './types';

/** Options of the `jaegerFastify` plugin and of `fastifyInstrumentation()`. */
export interface FastifyTracingOptions {
  /** Tracer for the server span. Default: the global tracer (`getTracer()`), looked up per request. */
  tracer?: Tracer;
  /**
   * Requests to leave untraced: exact paths, `'/static/*'` prefixes, RegExps or predicates,
   * matched on the path without query. Default: none. When another hook (the http server hook)
   * already started the span, a match here drops it (`sampling.priority = 0`).
   */
  ignorePaths?: PathMatcher | readonly PathMatcher[];
  /** Called once per request when this package first sees it, with the server span. */
  requestHook?(span: Span, request: FastifyRequestLike): void;
  /** Called once per request just before the server span finishes. */
  responseHook?(span: Span, reply: FastifyReplyLike): void;
  /**
   * Name of the server span once the route is known. Default: `` `${request.method} ${route}` ``,
   * e.g. `GET /users/:id`. Requests no route matched (404) keep the method.
   */
  operationName?(request: FastifyRequestLike, route: string): string;
  /** Request headers recorded as `http.request.header.<name>` tags. Default: none. */
  captureRequestHeaders?: readonly string[];
  /** Response headers recorded as `http.response.header.<name>` tags. Default: none. */
  captureResponseHeaders?: readonly string[];
}

/** Options compiled once per plugin registration / instrumentation (the core caches by identity). */
export interface ResolvedOptions {
  readonly user: FastifyTracingOptions;
  readonly serverSpan: ServerSpanOptions;
  /** False once the instrumentation is unregistered (patched apps then pass straight through). */
  enabled: boolean;
}

export function resolveOptions(options: FastifyTracingOptions = {}): ResolvedOptions {
  const user = options ?? {};
  return {
    user,
    serverSpan: {
      tracer: user.tracer,
      component: 'fastify',
      ignorePaths: user.ignorePaths,
      captureRequestHeaders: user.captureRequestHeaders,
      captureResponseHeaders: user.captureResponseHeaders,
    },
    enabled: true,
  };
}
