import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Span } from '@jt/core';

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
 * answers, anything else answers 200 `ok`.
 */
export async function startServer(secure = false): Promise<TestServer> {
  const received: Received[] = [];
  const handler: http.RequestListener = (req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders });
    const status = /^\/status\/(\d+)/.exec(req.url ?? '');
    if (req.url?.startsWith('/slow')) return;
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

/** A loopback port nobody listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export function tagsOf(span: Span): Record<string, unknown> {
  return Object.fromEntries(span.tags.map((t) => [t.key, t.value]));
}

export function logEvents(span: Span): unknown[] {
  return span.logs.map((l) => l.fields.find((f) => f.key === 'event')?.value);
}

export async function waitFor(check: () => boolean, what = 'condition', timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The span id a `traceparent` header names as parent. */
export function traceparentSpanId(value: unknown): string {
  return String(value).split('-')[2] ?? '';
}

/** The span id in an `uber-trace-id` header (URL-decoded). */
export function uberSpanId(value: unknown): string {
  return decodeURIComponent(String(value)).split(':')[1] ?? '';
}
