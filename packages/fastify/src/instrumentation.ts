import * as diagnosticsChannel from 'node:diagnostics_channel';
import { safeExecute, type Instrumentation } from '@jt/core';
import { addTracingHooks } from './hooks';
import { resolveOptions, type FastifyTracingOptions } from './options';
import type { FastifyInstanceLike } from './types';

/** Published by the `fastify()` factory (fastify >= 3.25) with `{ fastify: instance }`. */
const INIT_CHANNEL = 'fastify.initialization';
const SUPPORTED_MAJORS = new Set([4, 5]);

/**
 * The Fastify hook `@jt/auto` registers (`registerInstrumentations([fastifyInstrumentation()])`).
 * Every Fastify instance created while it is registered gets the tracing hooks first, as if
 * `jaegerFastify` were its first plugin. It listens on the `fastify.initialization` diagnostics
 * channel Fastify publishes each new instance on, so it replaces nothing: it works for
 * `require` and `import` alike, also for a Fastify loaded before it was registered.
 * fastify 4 and 5 (other majors are left alone).
 */
export function fastifyInstrumentation(options: FastifyTracingOptions = {}): Instrumentation {
  const resolved = resolveOptions(options);
  const onInstance = (message: unknown): void => {
    if (!resolved.enabled) return;
    const instance = (message as { fastify?: FastifyInstanceLike & { version?: unknown } } | null)?.fastify;
    if (instance === undefined || instance === null || !SUPPORTED_MAJORS.has(majorOf(instance.version))) return;
    safeExecute(function addFastifyTracingHooks() {
      addTracingHooks(instance, resolved);
    });
  };
  let subscribed = false;
  return {
    name: 'fastify',
    hooks: [],
    enable() {
      resolved.enabled = true;
      if (!subscribed) diagnosticsChannel.subscribe(INIT_CHANNEL, onInstance);
      subscribed = true;
    },
    disable() {
      resolved.enabled = false;
      if (subscribed) diagnosticsChannel.unsubscribe(INIT_CHANNEL, onInstance);
      subscribed = false;
    },
  };
}

function majorOf(version: unknown): number {
  const match = typeof version === 'string' ? /^(\d+)\./.exec(version) : null;
  return match === null ? NaN : Number(match[1]);
}
