import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { ConstSampler, InMemoryReporter, Tracer, setGlobalTracer, type Span } from '@jt/core';

/**
 * The fastify versions under test: the root's fastify 5, the fixture's fastify 4, and an early
 * fastify 4 (4.9) that has `request.routerPath` but not yet `request.routeOptions`.
 */
export const MAJORS = [
  { label: 'fastify 5', major: 5, from: __dirname },
  { label: 'fastify 4', major: 4, from: path.join(__dirname, 'fixtures', 'fastify4') },
  { label: 'fastify 4.9 (routerPath only)', major: 4, from: path.join(__dirname, 'fixtures', 'fastify4-early') },
] as const;

export type Major = (typeof MAJORS)[number];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;

/**
 * Requires the version's own `fastify`, first forgetting every loaded file of it, so hooks
 * registered before this call see a fresh load.
 */
export function loadFastify(major: Major): Any {
  const dir = path.dirname(require.resolve('fastify/package.json', { paths: [major.from] }));
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(dir + path.sep)) delete require.cache[file];
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const version = (require(path.join(dir, 'package.json')) as { version: string }).version;
  if (Number(version.split('.')[0]) !== major.major) throw new Error(`${major.label}: found fastify ${version}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve('fastify', { paths: [major.from] }));
}

/** Starts `app` on a loopback port and returns the port. */
export async function listenApp(app: Any): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as { port: number }).port;
}

/** A global tracer reporting into memory (`sampled` false: the sampler says no). */
export function useTracer(reporter: InMemoryReporter, sampled = true): Tracer {
  const tracer = new Tracer('fastify-test', reporter, new ConstSampler(sampled));
  setGlobalTracer(tracer);
  return tracer;
}

export function tagsOf(span: Span): Record<string, unknown> {
  return Object.fromEntries(span.tags.map((t) => [t.key, t.value]));
}

export function serverSpans(reporter: InMemoryReporter): Span[] {
  return reporter.spans.filter((span) => tagsOf(span)['span.kind'] === 'server');
}

/** Polls until `check` is true (spans finish on the server's 'finish' event). */
export async function waitFor(check: () => boolean, what = 'condition', timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

export function close(server: http.Server): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface Reply {
  status: number;
  body: string;
}

/** A loopback request through Node's own client (`agent: false`: a new connection each time). */
export interface RequestOptions {
  method?: string;
  headers?: http.OutgoingHttpHeaders;
  /** Sent in pieces, a few milliseconds apart, so the server reads them in later socket events. */
  body?: string | string[];
}

export function request(port: number, urlPath: string, options: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: urlPath, method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    const pieces = typeof options.body === 'string' ? [options.body] : [...(options.body ?? [])];
    const sendNext = (): void => {
      const piece = pieces.shift();
      if (pieces.length === 0) {
        req.end(piece);
        return;
      }
      req.write(piece);
      setTimeout(sendNext, 15);
    };
    sendNext();
  });
}

/**
 * Sends one request and returns the reply with the one server span it made; fails if the
 * request made no server span or more than one.
 */
export async function tracedRequest(
  reporter: InMemoryReporter,
  port: number,
  urlPath: string,
  options: RequestOptions = {},
): Promise<{ reply: Reply; span: Span; all: Span[] }> {
  reporter.clear();
  const reply = await request(port, urlPath, options);
  await waitFor(() => serverSpans(reporter).length > 0, `server span of ${urlPath}`);
  // a second server span would finish on the same response events: give them a turn
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 5));
  const spans = serverSpans(reporter);
  if (spans.length !== 1) throw new Error(`${urlPath}: ${spans.length} server spans: ${spans.map((s) => s.operationName).join(', ')}`);
  return { reply, span: spans[0]!, all: [...reporter.spans] };
}

export const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
export const PARENT = '00f067aa0ba902b7';

/** Inbound context in each header format, with the parent every format names. */
export const INBOUND_FORMATS: ReadonlyArray<readonly [string, http.OutgoingHttpHeaders]> = [
  ['uber-trace-id', { 'uber-trace-id': `${TRACE}:${PARENT}:0:1` }],
  ['traceparent', { traceparent: `00-${TRACE}-${PARENT}-01` }],
  ['b3 multi', { 'x-b3-traceid': TRACE, 'x-b3-spanid': PARENT, 'x-b3-sampled': '1' }],
  ['b3 single', { b3: `${TRACE}-${PARENT}-1` }],
];
