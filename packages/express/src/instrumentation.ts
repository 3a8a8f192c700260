import { activeSpan, applyWithSpan, reportHookError, unwrap, wrap, type HookDefinition, type Instrumentation } from '@jt/core';
import { recordMountPaths, trackHandleError, trackHandleRequest } from './layer-tracking';
import { resolveOptions, type ExpressInstrumentationOptions, type ResolvedOptions } from './options';
import { traceRequest, type RequestState } from './request-state';
import type { ExpressRequest, ExpressResponse } from './types';

type AppHandle = (this: unknown, req: ExpressRequest, res: ExpressResponse, ...rest: unknown[]) => unknown;

interface ExpressExports {
  application?: { handle?: AppHandle };
  Router?: { use?: unknown };
}

interface LayerClass {
  prototype: Record<string, unknown>;
}

/**
 * The Express hook `@jt/auto` registers (`registerInstrumentations([expressInstrumentation()])`
 * before Express is required). It names the request's server span by the matched route
 * template through nested routers, mounted apps, arrays of paths and params
 * (`GET /api/users/:id`), records errors passed to `next(err)` or thrown (and rejected, in
 * express 5) on it, keeps it active in every handler, and can add middleware spans.
 * express 4 (`lib/router/layer.js`) and express 5 (the `router` package, `lib/layer.js`).
 */
export function expressInstrumentation(options: ExpressInstrumentationOptions = {}): Instrumentation {
  const resolved = resolveOptions(options);
  const express: HookDefinition<ExpressExports> = {
    name: 'express',
    versions: '>=4 <6',
    patch(exports) {
      if (exports.application !== undefined) wrap(exports.application, 'handle', (original) => tracedAppHandle(original as AppHandle, resolved));
      // express 4 has its router inside; express 5 uses the `router` package (hooked below)
      if (exports.Router !== undefined && Object.prototype.hasOwnProperty.call(exports.Router, 'use')) {
        wrap(exports.Router as Record<string, unknown>, 'use', recordMountPaths as never);
      }
    },
    unpatch(exports) {
      if (exports.application !== undefined) unwrap(exports.application, 'handle');
      if (exports.Router !== undefined) unwrap(exports.Router as Record<string, unknown>, 'use');
    },
  };
  const router: HookDefinition<{ prototype?: Record<string, unknown> }> = {
    name: 'router',
    versions: '>=2 <3',
    patch(exports) {
      if (exports.prototype !== undefined) wrap(exports.prototype, 'use', recordMountPaths as never);
    },
    unpatch(exports) {
      if (exports.prototype !== undefined) unwrap(exports.prototype, 'use');
    },
  };
  return {
    name: 'express',
    hooks: [
      express,
      layerHook('express', 'lib/router/layer.js', '>=4 <5', 'handle_request', 'handle_error', resolved),
      router,
      layerHook('router', 'lib/layer.js', '>=2 <3', 'handleRequest', 'handleError', resolved),
    ],
    enable() {
      resolved.enabled = true;
    },
    disable() {
      resolved.enabled = false;
    },
  };
}

function layerHook(
  name: string,
  file: string,
  versions: string,
  requestMethod: string,
  errorMethod: string,
  options: ResolvedOptions,
): HookDefinition<LayerClass> {
  return {
    name,
    file,
    versions,
    patch(Layer) {
      wrap(Layer.prototype, requestMethod, (original) => trackHandleRequest(original as never, options) as never);
      wrap(Layer.prototype, errorMethod, (original) => trackHandleError(original as never, options) as never);
    },
    unpatch(Layer) {
      unwrap(Layer.prototype, requestMethod);
      unwrap(Layer.prototype, errorMethod);
    },
  };
}

/** `app.handle`: the request gets its server span as soon as the app sees it (404s too). */
function tracedAppHandle(original: AppHandle, options: ResolvedOptions): AppHandle {
  return function handle(this: unknown, req: ExpressRequest, res: ExpressResponse): unknown {
    // eslint-disable-next-line prefer-rest-params
    const args = arguments as unknown as Parameters<AppHandle>;
    let state: RequestState | undefined;
    if (options.enabled) {
      try {
        state = traceRequest(req, res, options);
      } catch (err) {
        reportHookError('traceRequest', err);
      }
    }
    const entry = activeSpan();
    if (state === undefined || (entry !== undefined && entry.traceId === state.span.traceId)) {
      return original.apply(this, args);
    }
    return applyWithSpan(state.span, original, this, args);
  } as AppHandle;
}
