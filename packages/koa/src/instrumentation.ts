import { unwrap, wrap, type HookDefinition, type Instrumentation } from '@jt/core';
import { resolveOptions, type KoaTracingOptions } from './options';
import { runTraced } from './trace-request';
import type { KoaContextLike } from './types';

type ComposedMiddleware = (ctx: KoaContextLike) => Promise<unknown>;
type HandleRequest = (this: unknown, ctx: KoaContextLike, fnMiddleware: ComposedMiddleware) => unknown;

/**
 * The Koa hook `@jt/auto` registers (`registerInstrumentations([koaInstrumentation()])` before
 * Koa is required). It wraps `Application#handleRequest`, so every app traces as if
 * `jaegerMiddleware()` were its first middleware: one server span per request, active in all
 * middleware, errors recorded, named by the @koa/router route. koa 2 and 3.
 */
export function koaInstrumentation(options: KoaTracingOptions = {}): Instrumentation {
  const resolved = resolveOptions(options);
  const koa: HookDefinition<{ prototype?: { handleRequest?: HandleRequest } }> = {
    name: 'koa',
    versions: '>=2 <4',
    patch(Application) {
      if (Application.prototype === undefined) return;
      wrap(Application.prototype, 'handleRequest', (original) =>
        function handleRequest(this: unknown, ctx: KoaContextLike, fnMiddleware: ComposedMiddleware): unknown {
          if (!resolved.enabled || typeof fnMiddleware !== 'function') return original!.call(this, ctx, fnMiddleware);
          const traced: ComposedMiddleware = (context) => runTraced(context, () => fnMiddleware(context), resolved);
          return original!.call(this, ctx, traced);
        },
      );
    },
    unpatch(Application) {
      if (Application.prototype !== undefined) unwrap(Application.prototype, 'handleRequest');
    },
  };
  return {
    name: 'koa',
    hooks: [koa],
    enable() {
      resolved.enabled = true;
    },
    disable() {
      resolved.enabled = false;
    },
  };
}
