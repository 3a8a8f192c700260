import type { PathMatcher, ServerSpanOptions, Span, Tracer } from '@jt/core';
import type { ExpressRequest, ExpressResponse } from './types';

/** Options of `jaegerMiddleware()` (and the base of the auto hook's options). */
export interface ExpressTracingOptions {
  /** Tracer for the server span. Default: the global tracer (`getTracer()`), looked up per request. */
  tracer?: Tracer;
  /**
   * Requests to leave untraced: exact paths, `'/static/*'` prefixes, RegExps or predicates,
   * matched on the path without query. Default: none. When another hook (the http server hook)
   * already started the span, a match here drops it (`sampling.priority = 0`).
   */
  ignorePaths?: PathMatcher | readonly PathMatcher[];
  /** Called once per request when this package first sees it, with the server span. */
  requestHook?(span: Span, req: ExpressRequest): void;
  /** Called once per request just before the server span finishes. */
  responseHook?(span: Span, res: ExpressResponse): void;
  /**
   * Name of the server span once the route is known. Default: `` `${req.method} ${route}` ``,
   * e.g. `GET /users/:id`. Requests that match no route keep the method as their name.
   */
  operationName?(req: ExpressRequest, route: string): string;
  /** Request headers recorded as `http.request.header.<name>` tags. Default: none. */
  captureRequestHeaders?: readonly string[];
  /** Response headers recorded as `http.response.header.<name>` tags. Default: none. */
  captureResponseHeaders?: readonly string[];
}

/** Options of `expressInstrumentation()`, the hook `@jt/auto` registers. */
export interface ExpressInstrumentationOptions extends ExpressTracingOptions {
  /**
   * Also make a child span for each middleware and route handler (`middleware - <name>`,
   * `request handler - <route>`), active while it runs. Default: false (only the server span).
   */
  middlewareSpans?: boolean;
}

/** Options compiled once per middleware / instrumentation (the core caches by object identity). */
export interface ResolvedOptions {
  readonly user: ExpressInstrumentationOptions;
  readonly serverSpan: ServerSpanOptions;
  readonly middlewareSpans: boolean;
  /**
   * False once the instrumentation is unregistered: functions Express copied from the patched
   * prototypes (every app gets its own `handle`) then pass straight through.
   */
  enabled: boolean;
}

export function resolveOptions(options: ExpressInstrumentationOptions = {}): ResolvedOptions {
  const user = options ?? {};
  return {
    user,
    serverSpan: {
      tracer: user.tracer,
      component: 'express',
      ignorePaths: user.ignorePaths,
      captureRequestHeaders: user.captureRequestHeaders,
      captureResponseHeaders: user.captureResponseHeaders,
    },
    middlewareSpans: user.middlewareSpans ?? false,
    enabled: true,
  };
}
