import fastifyPlugin from 'fastify-plugin';
import { safeExecute } from '@jt/core';
import { addTracingHooks } from './hooks';
import { resolveOptions, type FastifyTracingOptions } from './options';
import type { FastifyInstanceLike } from './types';

/** The plugin's type: a Fastify callback plugin taking `FastifyTracingOptions`. */
export type JaegerFastifyPlugin = (
  instance: FastifyInstanceLike,
  options: FastifyTracingOptions,
  done: (err?: Error) => void,
) => void;

function jaegerFastifyPlugin(instance: FastifyInstanceLike, options: FastifyTracingOptions, done: (err?: Error) => void): void {
  safeExecute(() => addTracingHooks(instance, resolveOptions(options)));
  done();
}

/**
 * Traces every request of the app with one server span: `app.register(jaegerFastify, options?)`.
 * Wrapped with fastify-plugin, so its hooks apply to the whole app (every route, also those of
 * plugins registered later, and 404s). Continues inbound traces (uber-trace-id, traceparent, b3,
 * jaeger-debug-id), names the span by the route template (`GET /users/:id`), records errors
 * (onError). With the auto hook or the http server hook active it adds nothing twice: a request
 * always has exactly one server span.
 */
export const jaegerFastify: JaegerFastifyPlugin = fastifyPlugin(jaegerFastifyPlugin as never, {
  name: '@jt/fastify',
  fastify: '4.x || 5.x',
}) as unknown as JaegerFastifyPlugin;
