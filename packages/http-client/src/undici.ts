import * as diagnosticsChannel from 'node:diagnostics_channel';
import { isTracingSuppressed, safeExecute, sanitizeUrl } from '@jt/core';
import { UNDICI_CHANNELS } from './channels';
import type { HttpClientOptions, OutgoingRequestInfo } from './options';
import { OutgoingSpan } from './outgoing-span';

/** The parts of undici's request object we use (undici 6 and 7). */
interface UndiciRequest {
  origin: string | URL;
  method: string;
  path: string;
  /** undici ≥ 6: flat [name, value, ...]; older: a raw header string. */
  headers: unknown;
  addHeader(name: string, value: string): unknown;
}

type Listener = (message: unknown, name: string | symbol) => void;

/** Subscribes to undici's diagnostics channels; returns the unsubscribe function. */
export function subscribeUndici(options: HttpClientOptions): () => void {
  const spans = new WeakMap<object, OutgoingSpan>();

  const onCreate: Listener = (message) => {
    const request = (message as { request?: UndiciRequest }).request;
    if (request === undefined || isTracingSuppressed()) return;
    const info = safeExecute(function describeUndiciRequest() {
      return describe(request);
    });
    if (info === undefined) return;
    const outgoing = OutgoingSpan.start(info, options);
    if (outgoing === undefined) return;
    spans.set(request, outgoing);
    safeExecute(function injectUndiciHeaders() {
      const headers = outgoing.propagationHeaders();
      for (const name of Object.keys(headers)) {
        removeHeader(request, name);
        request.addHeader(name, headers[name]!);
      }
    });
  };
  const onHeaders: Listener = (message) => {
    const { request, response } = message as { request: object; response?: { statusCode?: number } };
    spans.get(request)?.response(response?.statusCode ?? 0);
  };
  const onTrailers: Listener = (message) => {
    const { request } = message as { request: object };
    spans.get(request)?.end();
    spans.delete(request);
  };
  const onError: Listener = (message) => {
    const { request, error } = message as { request: object; error: unknown };
    spans.get(request)?.fail(error);
    spans.delete(request);
  };

  const subscriptions: Array<[string, Listener]> = [
    [UNDICI_CHANNELS.requestCreate, onCreate],
    [UNDICI_CHANNELS.requestHeaders, onHeaders],
    [UNDICI_CHANNELS.requestTrailers, onTrailers],
    [UNDICI_CHANNELS.requestError, onError],
  ];
  for (const [name, listener] of subscriptions) diagnosticsChannel.subscribe(name, listener);
  return () => {
    for (const [name, listener] of subscriptions) diagnosticsChannel.unsubscribe(name, listener);
  };
}

function describe(request: UndiciRequest): OutgoingRequestInfo {
  const origin = new URL(String(request.origin));
  const defaultPort = origin.protocol === 'https:' ? 443 : 80;
  return {
    library: 'undici',
    method: String(request.method).toUpperCase(),
    url: sanitizeUrl(`${origin.origin}${request.path}`),
    hostname: origin.hostname.startsWith('[') ? origin.hostname.slice(1, -1) : origin.hostname,
    port: origin.port === '' ? defaultPort : Number(origin.port),
  };
}

/** Drops a header the caller set under the same name (any case), so ours is the only one. */
function removeHeader(request: UndiciRequest, name: string): void {
  const headers = request.headers;
  if (!Array.isArray(headers)) return;
  for (let i = headers.length - 2; i >= 0; i -= 2) {
    if (String(headers[i]).toLowerCase() === name) headers.splice(i, 2);
  }
}
