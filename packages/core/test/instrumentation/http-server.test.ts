import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { close, get, listen, tagsOf, waitFor } from '@jt/test-utils';
import { activeSpan } from '../../src/context/async-context';
import { httpServerInstrumentation, type HttpServerInstrumentationOptions } from '../../src/instrumentation/http-server';
import { registerInstrumentations, type InstrumentationHandle } from '../../src/instrumentation/registry';
import { getOrStartServerSpan, getServerSpan, setServerSpanRoute } from '../../src/instrumentation/server-span';
import { isWrapped } from '../../src/instrumentation/wrap';
import { ConstSampler, InMemoryReporter, Tracer, type Span } from '../../src/index';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

describe('http server hook', () => {
  const reporter = new InMemoryReporter();
  const tracer = new Tracer('server-test', reporter, new ConstSampler(true));
  let handle: InstrumentationHandle | undefined;
  let server: http.Server | undefined;

  beforeEach(() => reporter.clear());
  afterEach(async () => {
    if (server !== undefined) await close(server);
    server = undefined;
    handle?.unregister();
    handle = undefined;
  });

  /** Registers the hook, then serves `handler` on a loopback port. */
  async function serve(handler: http.RequestListener, options: HttpServerInstrumentationOptions = {}): Promise<number> {
    handle = registerInstrumentations([httpServerInstrumentation({ tracer, ...options })]);
    server = http.createServer(handler);
    return listen(server);
  }

  const ok: http.RequestListener = (_req, res) => res.end('ok');

  it('makes one server span per request, active in the handler, with the standard tags', async () => {
    const inHandler: Array<Span | undefined> = [];
    const port = await serve((req, res) => {
      inHandler.push(activeSpan());
      // a framework middleware asking again gets the same span, never a second one
      assert.equal(getOrStartServerSpan(req, res, { tracer, component: 'express' }), getServerSpan(req));
      res.end('ok');
    });
    const reply = await get(port, '/users/42?token=abc&page=2');
    assert.deepEqual(reply, { status: 200, body: 'ok' });
    await get(port, '/other');
    await waitFor(() => reporter.spans.length === 2, 'two spans');
    const [span] = reporter.spans;
    assert.equal(inHandler[0], span);
    assert.equal(span!.operationName, 'GET');
    assert.equal(span!.parentId, null, 'no inbound context: a new trace');
    const tags = tagsOf(span!);
    assert.equal(tags['span.kind'], 'server');
    assert.equal(tags['component'], 'http');
    assert.equal(tags['http.method'], 'GET');
    assert.equal(tags['http.url'], `http://127.0.0.1:${port}/users/42?token=REDACTED&page=2`);
    assert.equal(tags['http.status_code'], 200);
    assert.equal(tags['peer.ipv4'], '127.0.0.1');
    assert.equal(typeof tags['peer.port'], 'number');
    assert.equal(tags['error'], undefined);
    assert.notEqual(reporter.spans[1]!.traceId, span!.traceId);
  });

  for (const [format, headers] of [
    ['uber-trace-id', { 'uber-trace-id': `${TRACE}:${PARENT}:0:1` }],
    ['uber-trace-id url-encoded', { 'uber-trace-id': `${TRACE}%3A${PARENT}%3A0%3A1` }],
    ['traceparent', { traceparent: `00-${TRACE}-${PARENT}-01` }],
    ['b3 multi', { 'x-b3-traceid': TRACE, 'x-b3-spanid': PARENT, 'x-b3-sampled': '1' }],
    ['b3 single', { b3: `${TRACE}-${PARENT}-1` }],
  ] as const) {
    it(`continues the trace of an inbound ${format} header`, async () => {
      const port = await serve(ok);
      await get(port, '/', headers);
      await waitFor(() => reporter.spans.length === 1, 'span');
      const span = reporter.spans[0]!;
      assert.equal(span.traceId, TRACE);
      assert.equal(span.parentId, PARENT);
      assert.notEqual(span.spanId, PARENT);
    });
  }

  it('jaeger-debug-id starts a sampled debug trace tagged with the id', async () => {
    const never = new Tracer('never', reporter, new ConstSampler(false));
    const port = await serve(ok, { tracer: never });
    await get(port, '/', { 'jaeger-debug-id': 'dbg-1' });
    await waitFor(() => reporter.spans.length === 1, 'span');
    const span = reporter.spans[0]!;
    assert.ok(span.context().isDebug());
    assert.equal(tagsOf(span)['jaeger-debug-id'], 'dbg-1');
  });

  it('tags 5xx as error and 4xx not', async () => {
    const port = await serve((req, res) => {
      res.statusCode = req.url === '/fail' ? 503 : 404;
      res.end();
    });
    await get(port, '/fail');
    await get(port, '/missing');
    await waitFor(() => reporter.spans.length === 2, 'spans');
    const [fail, missing] = reporter.spans.map(tagsOf);
    assert.equal(fail!['http.status_code'], 503);
    assert.equal(fail!['error'], true);
    assert.equal(missing!['http.status_code'], 404);
    assert.equal(missing!['error'], undefined);
  });

  it('a framework names the span by route once, whatever it calls', async () => {
    const port = await serve((req, res) => {
      setServerSpanRoute(req, 'GET /users', '/users');
      setServerSpanRoute(req, 'GET /users/:id', '/users/:id');
      res.end();
    });
    await get(port, '/users/7');
    await waitFor(() => reporter.spans.length === 1, 'span');
    const span = reporter.spans[0]!;
    assert.equal(span.operationName, 'GET /users/:id');
    assert.deepEqual(span.tags.filter((t) => t.key === 'http.route').map((t) => t.value), ['/users/:id']);
  });

  it('ignorePaths leaves matching requests untraced, for the middleware too', async () => {
    const seen: Array<Span | undefined> = [];
    const port = await serve(
      (req, res) => {
        seen.push(activeSpan(), getOrStartServerSpan(req, res, { tracer }));
        res.end();
      },
      { ignorePaths: ['/health', /^\/static\//, (p) => p === '/fn'] },
    );
    for (const p of ['/health', '/health?full=1', '/static/a.js', '/fn']) await get(port, p);
    await get(port, '/api');
    await waitFor(() => reporter.spans.length === 1, 'span');
    assert.deepEqual(seen.slice(0, 8), [undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
    assert.equal(tagsOf(reporter.spans[0]!)['http.url'], `http://127.0.0.1:${port}/api`);
  });

  it('user hooks, header capture and a custom operation name; throwing hooks do not break the request', async () => {
    const withId: http.RequestListener = (_req, res) => {
      res.setHeader('X-Request-Id', 'r-1');
      res.end('ok');
    };
    const port = await serve(withId, {
      operationName: (req) => `HTTP ${req.method}`,
      captureRequestHeaders: ['X-Tenant'],
      captureResponseHeaders: ['X-Request-Id'],
      requestHook: (span, req) => {
        span.setTag('user.agent.seen', req.headers['user-agent'] !== undefined);
      },
      responseHook: (span, res) => {
        span.setTag('response.hook', res.statusCode);
      },
    });
    await get(port, '/a', { 'x-tenant': 'acme' });
    await waitFor(() => reporter.spans.length === 1, 'span');
    const span = reporter.spans[0]!;
    assert.equal(span.operationName, 'HTTP GET');
    const tags = tagsOf(span);
    assert.equal(tags['http.request.header.x-tenant'], 'acme');
    assert.equal(tags['http.response.header.x-request-id'], 'r-1');
    assert.equal(tags['response.hook'], 200);
    assert.equal(tags['user.agent.seen'], false);

    handle!.unregister();
    await close(server!);
    reporter.clear();
    const explode = () => {
      throw new Error('user hook bug');
    };
    const port2 = await serve(ok, { operationName: explode, requestHook: explode, responseHook: explode, ignorePaths: () => explode() });
    assert.deepEqual(await get(port2, '/b'), { status: 200, body: 'ok' });
    await waitFor(() => reporter.spans.length === 1, 'span');
    assert.equal(reporter.spans[0]!.operationName, 'GET');
  });

  it('a handler that throws: the same error reaches the process, and the span records it', async () => {
    const boom = new Error('handler bug');
    const port = await serve(() => {
      throw boom;
    });
    // take over uncaught exceptions for this one request (mocha would count it as a failure)
    const mochaListeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    try {
      const caught = new Promise<unknown>((resolve) => process.once('uncaughtException', resolve));
      const reply = get(port, '/explode').catch((err: Error) => err);
      assert.equal(await caught, boom);
      // what an app's crash handler would do: drop the connection
      server!.closeAllConnections();
      assert.ok((await reply) instanceof Error);
    } finally {
      for (const listener of mochaListeners) process.on('uncaughtException', listener);
    }
    await waitFor(() => reporter.spans.length === 1, 'span');
    const span = reporter.spans[0]!;
    const tags = tagsOf(span);
    assert.equal(tags['error'], true);
    assert.equal(span.logs[0]!.fields.find((f) => f.key === 'message')!.value, 'handler bug');
    assert.ok(span.logs.some((l) => l.fields.some((f) => f.key === 'event' && f.value === 'aborted')));
    // the server still serves
    server!.removeAllListeners('request');
    server!.on('request', ok);
    assert.deepEqual(await get(port, '/again'), { status: 200, body: 'ok' });
  });

  it('a raw body reader that continues from the request\'s data/end events stays in the trace', async () => {
    const seen: Array<{ event: string; active: Span | undefined; server: Span | undefined }> = [];
    const port = await serve((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
        seen.push({ event: 'data', active: activeSpan(), server: getServerSpan(req) });
      });
      req.on('end', () => {
        seen.push({ event: 'end', active: activeSpan(), server: getServerSpan(req) });
        res.end(body);
      });
    });
    const reply = await new Promise<string>((resolve, reject) => {
      const client = http.request({ host: '127.0.0.1', port, path: '/upload', method: 'POST', agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(text));
      });
      client.on('error', reject);
      client.write('first-');
      // the second piece arrives in a later socket event, outside the request's first tick
      setTimeout(() => client.end('second'), 15);
    });
    assert.equal(reply, 'first-second');
    await waitFor(() => reporter.spans.length === 1, 'span');
    const span = reporter.spans[0]!;
    assert.ok(seen.length >= 3, `data and end events seen: ${seen.map((s) => s.event).join(',')}`);
    for (const { event, active, server } of seen) {
      assert.equal(server, span, event);
      assert.equal(active, span, `${event} ran with the server span active`);
    }
  });

  it('finishes the span once when the client goes away before the response', async () => {
    let serverSideReq: http.IncomingMessage | undefined;
    const port = await serve((req) => {
      serverSideReq = req; // never answers
    });
    const client = http.request({ host: '127.0.0.1', port, path: '/slow', agent: false });
    client.on('error', () => {});
    client.end();
    await waitFor(() => serverSideReq !== undefined, 'request');
    client.destroy();
    await waitFor(() => reporter.spans.length === 1, 'span');
    const span = reporter.spans[0]!;
    assert.equal(tagsOf(span)['http.status_code'], undefined, 'nothing was sent');
    assert.ok(span.logs.some((l) => l.fields.some((f) => f.value === 'aborted')));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(reporter.spans.length, 1);
  });

  it('a server span is a new trace even when the server was started inside a span', async () => {
    const outer = tracer.startSpan('startup');
    const port = await tracer.withSpan(outer, () => serve(ok));
    await get(port, '/');
    await waitFor(() => reporter.spans.length === 1, 'span');
    assert.notEqual(reporter.spans[0]!.traceId, outer.traceId);
  });

  it('traces https servers too', async () => {
    handle = registerInstrumentations([httpServerInstrumentation({ tracer })]);
    const fixtures = path.join(__dirname, 'fixtures', 'tls');
    const tls = https.createServer(
      { key: readFileSync(path.join(fixtures, 'key.pem')), cert: readFileSync(path.join(fixtures, 'cert.pem')) },
      ok,
    );
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    try {
      const port = (tls.address() as AddressInfo).port;
      await new Promise<void>((resolve, reject) => {
        https
          .get({ host: '127.0.0.1', port, path: '/secure', ca: readFileSync(path.join(fixtures, 'cert.pem')), agent: false }, (res) => {
            res.resume();
            res.on('end', resolve);
          })
          .on('error', reject);
      });
      await waitFor(() => reporter.spans.length === 1, 'span');
      assert.equal(tagsOf(reporter.spans[0]!)['http.url'], `https://127.0.0.1:${port}/secure`);
    } finally {
      await close(tls as unknown as http.Server);
    }
  });

  it('unregister restores Server.prototype.emit', async () => {
    handle = registerInstrumentations([httpServerInstrumentation({ tracer })]);
    assert.equal(isWrapped(http.Server.prototype.emit), true);
    assert.equal(isWrapped(https.Server.prototype.emit), true);
    handle.unregister();
    handle = undefined;
    assert.equal(isWrapped(http.Server.prototype.emit), false);
    assert.equal(isWrapped(https.Server.prototype.emit), false);
    server = http.createServer(ok);
    const port = await listen(server);
    await get(port, '/');
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(reporter.spans.length, 0);
  });
});
