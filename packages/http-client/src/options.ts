import type { Span, Tracer } from '@jt/core';

/** What is known about an outgoing request when its span starts. */
export interface OutgoingRequestInfo {
  /** `http`/`https` module, or `undici` (also Node's global `fetch`). */
  library: 'http' | 'https' | 'undici';
  /** Upper-case method, e.g. `GET`. */
  method: string;
  /** The URL without credentials, secret-looking query values redacted. */
  url: string;
  hostname: string;
  port: number;
}

/** A URL prefix (string), a RegExp tested on the sanitised URL, or a predicate. */
export type OutgoingUrlMatcher = string | RegExp | ((url: string, info: OutgoingRequestInfo) => boolean);

/** Options of `httpClientInstrumentation` / `instrumentHttpClient`. */
export interface HttpClientOptions {
  /** Default: the global tracer (`getTracer()`), looked up per request. */
  tracer?: Tracer;
  /** Trace a request only when a span is active (no new traces from background calls). Default false. */
  requireParentSpan?: boolean;
  /** Also trace undici (`request`, `fetch`, `Client`, `Pool`, `Agent`) and Node's global `fetch`. Default true. */
  undici?: boolean;
  /** Requests that get no span and no propagation headers. Default: none. */
  ignoreOutgoingUrls?: readonly OutgoingUrlMatcher[];
  /** Write propagation headers (all formats the tracer is configured for). Default true. */
  propagate?: boolean;
  /** Called once the span has started (also unsampled); may add tags. A throw is logged once. */
  requestHook?: (span: Span, info: OutgoingRequestInfo) => void;
  /** Called when the response headers arrive. A throw is logged once. */
  responseHook?: (span: Span, response: { statusCode: number }) => void;
}
