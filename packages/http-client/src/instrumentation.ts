import { registerInstrumentations, type Instrumentation, type InstrumentationHandle, type Logger } from '@jt/core';
import { outgoingHttpHook } from './http-patch';
import type { HttpClientOptions } from './options';
import { subscribeUndici } from './undici';

/**
 * Client spans for outgoing `http`/`https` requests (patched when the modules load) and,
 * unless `undici: false`, for undici and Node's global `fetch` (diagnostics channels).
 * This is the definition `@jt/auto` registers, under the name `http-client`.
 */
export function httpClientInstrumentation(options: HttpClientOptions = {}): Instrumentation {
  let unsubscribe: (() => void) | undefined;
  return {
    name: 'http-client',
    hooks: [outgoingHttpHook('http', options), outgoingHttpHook('https', options)],
    enable() {
      if ((options.undici ?? true) && unsubscribe === undefined) unsubscribe = subscribeUndici(options);
    },
    disable() {
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}

/** Options of `instrumentHttpClient`. */
export interface InstrumentHttpClientOptions extends HttpClientOptions {
  /** Where failed patches and throwing hooks are logged (once each). */
  logger?: Logger;
}

/**
 * Turns client tracing on now, without `@jt/auto`: `http`/`https` are patched at once,
 * undici and `fetch` are followed through their channels. `unregister()` on the result
 * turns it off again.
 */
export function instrumentHttpClient(options: InstrumentHttpClientOptions = {}): InstrumentationHandle {
  return registerInstrumentations([httpClientInstrumentation(options)], { logger: options.logger });
}
