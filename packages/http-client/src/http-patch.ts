import type * as http from 'node:http';
import { isTracingSuppressed, safeExecute, unwrap, wrap, type HookDefinition } from '@jt/core';
import type { HttpClientOptions } from './options';
import { OutgoingSpan } from './outgoing-span';
import { describeRequest, withExtraHeaders, type RequestArgs } from './request-args';

type RequestFn = (this: unknown, ...args: RequestArgs) => http.ClientRequest;

/**
 * True while one of our wrappers runs the original: a `get` that calls a patched `request`
 * (or an agent that makes a request while one is being built) must not make a second span.
 */
let building = false;

/** The hook definition patching `request` and `get` of `http` or `https`. */
export function outgoingHttpHook(library: 'http' | 'https', options: HttpClientOptions): HookDefinition<typeof http> {
  const wrapper = (original: RequestFn): RequestFn =>
    function (this: unknown, ...args: RequestArgs): http.ClientRequest {
      if (building || isTracingSuppressed()) return original.apply(this, args);
      const info = safeExecute(function describeOutgoingRequest() {
        return describeRequest(args, library);
      });
      const outgoing = info === undefined ? undefined : OutgoingSpan.start(info, options);
      if (outgoing === undefined) return original.apply(this, args);
      const finalArgs =
        safeExecute(function injectOutgoingHeaders() {
          return withExtraHeaders(args, outgoing.propagationHeaders());
        }) ?? args;
      let req: http.ClientRequest;
      building = true;
      try {
        req = original.apply(this, finalArgs);
      } catch (err) {
        // e.g. an invalid header: the app gets Node's own error, the span records it
        outgoing.fail(err);
        throw err;
      } finally {
        building = false;
      }
      safeExecute(function observeOutgoingRequest() {
        observe(req, outgoing);
      });
      return req;
    };
  return {
    name: library,
    versions: '*',
    patch(exports) {
      wrap(exports, 'request', wrapper as never);
      wrap(exports, 'get', wrapper as never);
    },
    unpatch(exports) {
      unwrap(exports, 'request');
      unwrap(exports, 'get');
    },
  };
}

/**
 * Follows the request through its own `emit`, not by adding listeners: an extra 'error'
 * listener would swallow errors the app does not handle, and an extra 'response' listener
 * would stop Node from discarding a response nobody reads.
 */
function observe(req: http.ClientRequest, outgoing: OutgoingSpan): void {
  let responded = false;
  const originalEmit = req.emit;
  req.emit = function emit(this: http.ClientRequest, event: string | symbol): boolean {
    // eslint-disable-next-line prefer-rest-params
    const all = arguments as unknown as unknown[];
    if (!outgoing.isEnded()) {
      safeExecute(function followOutgoingEvent() {
        switch (event) {
          case 'response':
            responded = true;
            onResponse(all[1] as http.IncomingMessage, outgoing);
            break;
          case 'upgrade':
          case 'connect':
            responded = true;
            outgoing.response((all[1] as http.IncomingMessage).statusCode ?? 0);
            outgoing.end();
            break;
          case 'error':
            outgoing.fail(all[1]);
            break;
          case 'timeout':
            outgoing.timeout();
            break;
          case 'abort':
            outgoing.aborted();
            break;
          case 'close':
            if (!responded) outgoing.aborted();
            break;
        }
      });
    }
    return originalEmit.apply(this, all as never);
  } as typeof req.emit;
}

function onResponse(res: http.IncomingMessage, outgoing: OutgoingSpan): void {
  outgoing.response(res.statusCode ?? 0);
  res.once('end', () => outgoing.end());
  res.once('close', () => {
    if (outgoing.isEnded()) return;
    const errored = (res as { errored?: unknown }).errored;
    if (errored) outgoing.fail(errored);
    else if (!res.complete) outgoing.aborted();
    else outgoing.end();
  });
}
