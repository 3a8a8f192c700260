import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';
import type { InMemoryReporter, Span, Tracer } from '@jt/core';
import { waitFor } from '@jt/test-utils';

export const TLS_CERT = readFileSync(path.join(__dirname, 'fixtures', 'tls', 'cert.pem'));
const TLS_KEY = readFileSync(path.join(__dirname, 'fixtures', 'tls', 'key.pem'));

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
}

export interface TestServer {
  port: number;
  origin: string;
  received: Received[];
  close(): Promise<void>;
}

/**
 * A loopback server recording what it receives. `/status/<n>` answers n, `/slow` never
 * answers, `/late` answers 200 after 120 ms, anything else answers 200 `ok`.
 */
export async function startServer(secure = false): Promise<TestServer> {
  const received: Received[] = [];
  const handler: http.RequestListener = (req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders });
    const status = /^\/status\/(\d+)/.exec(req.url ?? '');
    if (req.url?.startsWith('/slow')) return;
    if (req.url?.startsWith('/late')) {
      setTimeout(() => res.end('late'), 120);
      return;
    }
    res.statusCode = status ? Number(status[1]) : 200;
    req.resume();
    res.end('ok');
  };
  const server = secure ? https.createServer({ key: TLS_KEY, cert: TLS_CERT }, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    origin: `${secure ? 'https' : 'http'}://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The span id a `traceparent` header names as parent. */
export function traceparentSpanId(value: unknown): string {
  return String(value).split('-')[2] ?? '';
}

/** The span id in an `uber-trace-id` header (URL-decoded). */
export function uberSpanId(value: unknown): string {
  return decodeURIComponent(String(value)).split(':')[1] ?? '';
}

/** Runs `fn` under a fresh parent span; resolves with the parent once `clientSpans` spans were reported. */
export async function underParentSpan(
  tracer: Tracer,
  reporter: InMemoryReporter,
  fn: () => Promise<unknown>,
  clientSpans = 1,
): Promise<Span> {
  const parent = tracer.startSpan('parent');
  await tracer.withSpan(parent, fn);
  await waitFor(() => reporter.spans.length === clientSpans, `${clientSpans} client span(s)`);
  return parent;
}

/** The one span reported, checked to be a `GET` client span child of `parent`. */
export function onlyGetUnder(reporter: InMemoryReporter, parent: Span): Span {
  assert.equal(reporter.spans.length, 1);
  const span = reporter.spans[0]!;
  assert.equal(span.operationName, 'GET');
  assert.equal(span.traceId, parent.traceId);
  assert.equal(span.parentId, parent.spanId);
  return span;
}
