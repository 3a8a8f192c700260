import { safeExecute, type HookDefinition, type Instrumentation } from '@jt/core';
import { addTracingHooks } from './hooks';
import { resolveOptions, type FastifyTracingOptions } from './options';
import type { FastifyInstanceLike } from './types';

type FastifyFactory = ((this: unknown, ...args: unknown[]) => FastifyInstanceLike) & Record<string, unknown>;

/** Properties the replacement factory gets from itself, not from the original. */
const OWN_KEYS = new Set<PropertyKey>(['fastify', 'default', 'length', 'name', 'prototype', 'caller', 'arguments']);

/**
 * The Fastify hook `@jt/auto` registers (`registerInstrumentations([fastifyInstrumentation()])`
 * before Fastify is required). It replaces the `fastify()` factory so every new instance gets
 * the tracing hooks first, as if `jaegerFastify` were its first plugin. fastify 4 and 5.
 */
export function fastifyInstrumentation(options: FastifyTracingOptions = {}): Instrumentation {
  const resolved = resolveOptions(options);
  const hook: HookDefinition<FastifyFactory> = {
    name: 'fastify',
    versions: '>=4 <6',
    patch(original) {
      if (typeof original !== 'function') return undefined;
      const factory = function fastify(this: unknown, ...args: unknown[]): FastifyInstanceLike {
        const instance = original.apply(this, args);
        if (resolved.enabled) safeExecute(() => addTracingHooks(instance, resolved));
        return instance;
      } as FastifyFactory;
      for (const key of Reflect.ownKeys(original)) {
        if (OWN_KEYS.has(key)) continue;
        const descriptor = Object.getOwnPropertyDescriptor(original, key);
        if (descriptor !== undefined) Object.defineProperty(factory, key, descriptor);
      }
      Object.defineProperty(factory, 'length', { value: original.length, configurable: true });
      // `require('fastify').fastify` and the ESM-interop `default` are the factory itself
      factory.fastify = factory;
      factory.default = factory;
      return factory;
    },
  };
  return {
    name: 'fastify',
    hooks: [hook],
    // the replaced factory cannot be put back into modules that hold it: it just stops tracing
    enable() {
      resolved.enabled = true;
    },
    disable() {
      resolved.enabled = false;
    },
  };
}
