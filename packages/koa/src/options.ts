import { frameworkServerSpanOptions, type FrameworkTracingOptions, type ServerSpanOptions } from '@jt/core';
import type { KoaContextLike } from './types';

/**
 * Options of `jaegerMiddleware()` and `koaInstrumentation()`: `tracer`, `ignorePaths`,
 * `requestHook(span, ctx)`, `responseHook(span, ctx)`, `operationName(ctx, route)` (once
 * @koa/router matched a route) and header capture.
 */
export interface KoaTracingOptions extends FrameworkTracingOptions<KoaContextLike, KoaContextLike> {}

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
    serverSpan: frameworkServerSpanOptions('koa', user),
    enabled: true,
  };
}
