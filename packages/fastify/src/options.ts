import { frameworkServerSpanOptions, type FrameworkTracingOptions, type ServerSpanOptions } from '@jt/core';
import type { FastifyReplyLike, FastifyRequestLike } from './types';

/**
 * Options of the `jaegerFastify` plugin and of `fastifyInstrumentation()`: `tracer`,
 * `ignorePaths`, `requestHook(span, request)`, `responseHook(span, reply)`,
 * `operationName(request, route)` and header capture.
 */
export interface FastifyTracingOptions extends FrameworkTracingOptions<FastifyRequestLike, FastifyReplyLike> {}

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
    serverSpan: frameworkServerSpanOptions('fastify', user),
    enabled: true,
  };
}
