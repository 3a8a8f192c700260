import type * as http from 'node:http';
import { spanStorage } from '../context/async-context';
import type { Span } from '../span';
import { reportHookError } from './safe-execute';
import { getOrStartServerSpan, type ServerSpanOptions } from './server-span';
import type { HookDefinition, Instrumentation } from './types';
import { unwrap, wrap } from './wrap';

/** Options of the http/https server hook: the server-span options (ignorePaths, hooks, ...). */
export type HttpServerInstrumentationOptions = ServerSpanOptions;

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;

/**
 * Traces every inbound request of `http` and `https` servers: the `request` event is
 * emitted with the request's server span active, so handlers and everything they call
 * are its children. Frameworks then rename the same span by route.
 */
export function httpServerInstrumentation(options: HttpServerInstrumentationOptions = {}): Instrumentation {
  const makeEmit = (original: Emit): Emit =>
    function emit(this: http.Server, event: string | symbol): boolean {
      // every server event passes here: forward `arguments` as is, allocating nothing
      // eslint-disable-next-line prefer-rest-params
      const args = arguments as unknown as [string | symbol, ...unknown[]];
      if (event !== 'request') return original.apply(this, args);
      const req = args[1] as http.IncomingMessage;
      const res = args[2] as http.ServerResponse;
      let span: Span | undefined;
      try {
        span = getOrStartServerSpan(req, res, options);
      } catch (err) {
        reportHookError('getOrStartServerSpan', err);
      }
      if (span === undefined) return original.apply(this, args);
      // `run` passes the arguments on: no closure per request
      return spanStorage.run(span, emitRequestInSpan, span, original, this, args);
    };
  const serverHook = (name: 'http' | 'https'): HookDefinition<typeof http> => ({
    name,
    versions: '*',
    patch(exports) {
      wrap(exports.Server.prototype, 'emit', makeEmit as never);
    },
    unpatch(exports) {
      unwrap(exports.Server.prototype, 'emit');
    },
  });
  return { name: 'http', hooks: [serverHook('http'), serverHook('https')] };
}

function emitRequestInSpan(span: Span, original: Emit, server: http.Server, args: [string | symbol, ...unknown[]]): boolean {
  try {
    return original.apply(server, args);
  } catch (err) {
    // the app's error still propagates unchanged; the span says what happened
    span.recordError(err);
    throw err;
  }
}
