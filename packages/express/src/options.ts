import { frameworkServerSpanOptions, type FrameworkTracingOptions, type ServerSpanOptions } from '@jt/core';
import type { ExpressRequest, ExpressResponse } from './types';

/**
 * Options of `jaegerMiddleware()` (and the base of the auto hook's options): `tracer`,
 * `ignorePaths`, `requestHook(span, req)`, `responseHook(span, res)`,
 * `operationName(req, route)` and header capture.
 */
export interface ExpressTracingOptions extends FrameworkTracingOptions<ExpressRequest, ExpressResponse> {}

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
    serverSpan: frameworkServerSpanOptions('express', user),
    middlewareSpans: user.middlewareSpans ?? false,
    enabled: true,
  };
}
