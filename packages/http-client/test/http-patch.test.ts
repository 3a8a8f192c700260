import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import * as https from 'node:https';
import { ConstSampler, InMemoryReporter, Tracer, isWrapped, runWithoutTracing, type InstrumentationHandle, type Span } from '@jt/core';
import { closedPort, delay, logEvents, tagsOf, waitFor } from '@jt/test-utils';
import { instrumentHttpClient } from '../src/index';
import { startServer, traceparentSpanId, uberSpanId, onlyGetUnder, underParentSpan, TLS_CERT, type TestServer } from './helpers';

type Done = (res: http.IncomingMessage) => void;
/** One way of calling the client; returns the request (already ended). */
type CallForm = (origin: string, path: string, headers: http.OutgoingHttpHeaders, done: Done) => http.ClientRequest;

const onResponse = (req: http.ClientRequest, done: Done) => req.on('response', done);

const CALL_FORMS: Record<string, CallForm> = {
  'request(url string, callback)': (o, p, h, done) => http.request(`${o}${p}`, done).end(),
  'request(url string, options, callback)': (o, p, h, done) => http.request(`${o}${p}`, { headers: h }, done).end(),
  'request(URL, callback)': (o, p, h, done) => http.request(new URL(p, o), done).end(),
  'request(URL, options, callback)': (o, p, h, done) => http.request(new URL(p, o), { headers: h }, done).end(),
  'request(options, callback)': (o, p, h, done) => {
    const { hostname, port } = new URL(o);
    return http.request({ hostname, port, path: p, headers: h }, done).end();
  },
  'request(options) without callback': (o, p, h, done) => {
    const { hostname, port } = new URL(o);
    const req = http.request({ hostname, port, path: p, headers: h });
    onResponse(req, done);
    return req.end();
  },
  'request(url string) without callback': (o, p, h, done) => {
    const req = http.request(`${o}${p}`);
    onResponse(req, done);
    return req.end();
  },
  'get(url string, callback)': (o, p, h, done) => http.get(`${o}${p}`, done),
  'get(url string, options, callback)': (o, p, h, done) => http.get(`${o}${p}`, { headers: h }, done),
  'get(URL, callback)': (o, p, h, done) => http.get(new URL(p, o), done),
  'get(URL) without callback': (o, p, h, done) => {
    const req = http.get(new URL(p, o));
    onResponse(req, done);
    return req;
  },
  'get(options, callback)': (o, p, h, done) => {
    const { hostname, port } = new URL(o);
    return http.get({ hostname, port, path: p, headers: h }, done);
  },
};

function send(form: CallForm, origin: string, path: string, headers: http.OutgoingHttpHeaders = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = form(origin, path, headers, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

describe('http/https client spans', () => {
  const reporter = new InMemoryReporter();
  const tracer = new Tracer('client-test', reporter, new ConstSampler(true));
  let handle: InstrumentationHandle;
  let server: TestServer;

  before(async () => {
    handle = instrumentHttpClient({ tracer, undici: false });
    server = await startServer();
  });
  after(async () => {
    handle.unregister();
    await server.close();
  });
  beforeEach(() => {
    reporter.clear();
    server.received.length = 0;
  });

  /** Runs `fn` under a fresh parent span; resolves with the parent once every client span ended. */
  const underParent = (fn: () => Promise<unknown>, clientSpans = 1): Promise<Span> => underParentSpan(tracer, reporter, fn, clientSpans);

  for (const [name, form] of Object.entries(CALL_FORMS)) {
    it(`${name}: one client span under the active span, its context sent to the server`, async () => {
      const callerHeaders = Object.freeze({ 'x-caller': 'mine' });
      const parent = await underParent(() => send(form, server.origin, '/users/1?q=1', callerHeaders));
      const span = onlyGetUnder(reporter, parent);
      assert.deepEqual(tagsOf(span), {
        'span.kind': 'client',
        component: 'http',
        'http.method': 'GET',
        'http.url': `${server.origin}/users/1?q=1`,
        'peer.hostname': '127.0.0.1',
        'peer.port': server.port,
        'http.status_code': 200,
      });
      const got = server.received[0]!;
      assert.equal(got.url, '/users/1?q=1');
      assert.equal(uberSpanId(got.headers['uber-trace-id']), span.spanId);
      assert.equal(traceparentSpanId(got.headers['traceparent']), span.spanId);
      if (name.includes('options')) assert.equal(got.headers['x-caller'], 'mine');
      assert.deepEqual(callerHeaders, { 'x-caller': 'mine' }, "the caller's headers are not written to");
    });
  }

  it('https: request and get, with credentials and secrets kept out of http.url', async () => {
    const secure = await startServer(true);
    try {
      await underParent(async () => {
        await send((o, p, h, done) => https.request(`https://user:pw@127.0.0.1:${secure.port}${p}`, { ca: TLS_CERT }, done).end(), secure.origin, '/a?token=t&x=1');
        await send((o, p, h, done) => https.get({ host: '127.0.0.1', port: secure.port, path: p, ca: TLS_CERT, method: 'post' }, done), secure.origin, '/b');
      }, 2);
      const [first, second] = reporter.spans.map(tagsOf);
      assert.equal(first!['http.url'], `https://127.0.0.1:${secure.port}/a?token=REDACTED&x=1`);
      assert.equal(second!['http.url'], `https://127.0.0.1:${secure.port}/b`);
      assert.equal(second!['http.method'], 'POST');
      assert.equal(reporter.spans[1]!.operationName, 'POST');
      assert.equal(secure.received.length, 2);
      assert.equal(traceparentSpanId(secure.received[1]!.headers.traceparent), reporter.spans[1]!.spanId);
      assert.equal(secure.received[0]!.headers.authorization, `Basic ${Buffer.from('user:pw').toString('base64')}`);
    } finally {
      await secure.close();
    }
  });

  it('4xx and 5xx answers are errors with their status', async () => {
    await underParent(async () => {
      await send(CALL_FORMS['get(url string, callback)']!, server.origin, '/status/404');
      await send(CALL_FORMS['get(url string, callback)']!, server.origin, '/status/503');
      await send(CALL_FORMS['get(url string, callback)']!, server.origin, '/status/204');
    }, 3);
    const tags = reporter.spans.map(tagsOf);
    assert.deepEqual(tags.map((t) => [t['http.status_code'], t['error']]), [[404, true], [503, true], [204, undefined]]);
  });

  it('replaces a propagation header the caller set, in any case, in raw array headers too', async () => {
    await underParent(async () => {
      const stale = '00-11111111111111111111111111111111-2222222222222222-01';
      await send((o, p, h, done) => http.request(`${o}${p}`, { headers: ['Host', `127.0.0.1:${server.port}`, 'TraceParent', stale, 'x-a', '1'] as never }, done).end(), server.origin, '/');
      await send((o, p, h, done) => http.request(`${o}${p}`, { headers: { Traceparent: stale } }, done).end(), server.origin, '/');
      await send((o, p, h, done) => http.request(`${o}${p}`, { headers: [['host', `127.0.0.1:${server.port}`], ['Traceparent', stale]] as never }, done).end(), server.origin, '/');
    }, 3);
    for (let i = 0; i < 3; i++) {
      const got = server.received[i]!;
      const traceparents = got.rawHeaders.filter((_v, j) => j % 2 === 0 && got.rawHeaders[j]!.toLowerCase() === 'traceparent');
      assert.equal(traceparents.length, 1);
      assert.equal(traceparentSpanId(got.headers.traceparent), reporter.spans[i]!.spanId);
    }
    assert.equal(server.received[0]!.headers['x-a'], '1');
  });

  it('ECONNREFUSED: the app still gets its error event, the span records it once', async () => {
    const port = await closedPort();
    const errors: unknown[] = [];
    await underParent(
      () =>
        new Promise<void>((resolve) => {
          const req = http.get(`http://127.0.0.1:${port}/`);
          req.on('error', (err) => {
            errors.push(err);
            resolve();
          });
        }),
    );
    assert.equal((errors[0] as NodeJS.ErrnoException).code, 'ECONNREFUSED');
    const span = reporter.spans[0]!;
    assert.equal(tagsOf(span)['error'], true);
    assert.equal(span.logs.length, 1);
    assert.match(String(span.logs[0]!.fields.find((f) => f.key === 'message')!.value), /ECONNREFUSED/);
    await delay(20);
    assert.equal(reporter.spans.length, 1);
  });

  it('a request Node refuses synchronously throws Node\'s own error, and the span records it', async () => {
    assert.throws(() => http.request(`${server.origin}/`, { headers: { 'x-bad': 'a\nb' } }), { code: 'ERR_INVALID_CHAR' });
    await waitFor(() => reporter.spans.length === 1, 'span');
    assert.equal(tagsOf(reporter.spans[0]!)['error'], true);
  });

  it('adds no listeners: unhandled errors stay unhandled, unread responses are still discarded', async () => {
    const req = http.request(`${server.origin}/unread`);
    assert.equal(req.listenerCount('error'), 0);
    assert.equal(req.listenerCount('response'), 0);
    req.end();
    // Node discards the body nobody reads, so the response ends and the span with it
    await waitFor(() => reporter.spans.length === 1, 'span of an unread response');
    assert.equal(tagsOf(reporter.spans[0]!)['http.status_code'], 200);
    const failing = http.request(`http://127.0.0.1:${await closedPort()}/`);
    assert.throws(() => failing.emit('error', new Error('nobody listens')), /nobody listens/);
    failing.on('error', () => {});
    failing.destroy();
  });

  it('an AbortController abort is logged, not an error', async () => {
    const controller = new AbortController();
    await underParent(
      () =>
        new Promise<void>((resolve) => {
          const req = http.get(`${server.origin}/slow`, { signal: controller.signal });
          req.on('error', () => resolve());
          setTimeout(() => controller.abort(), 20);
        }),
    );
    const span = reporter.spans[0]!;
    assert.equal(tagsOf(span)['error'], undefined);
    assert.deepEqual(logEvents(span), ['aborted']);
  });

  it('req.abort() ends the span once, as aborted', async () => {
    await underParent(
      () =>
        new Promise<void>((resolve) => {
          const req = http.get(`${server.origin}/slow`);
          req.on('error', () => {});
          req.on('close', () => resolve());
          setTimeout(() => req.abort(), 20);
        }),
    );
    await delay(10);
    assert.equal(reporter.spans.length, 1);
    assert.deepEqual(logEvents(reporter.spans[0]!), ['aborted']);
  });

  it('a timeout is logged, and the error the app then destroys the request with ends the span, once', async () => {
    await underParent(
      () =>
        new Promise<void>((resolve) => {
          const req = http.get(`${server.origin}/slow`, { timeout: 30 });
          req.on('timeout', () => req.destroy(new Error('gave up')));
          req.on('error', () => resolve());
        }),
    );
    await delay(10);
    assert.equal(reporter.spans.length, 1);
    const span = reporter.spans[0]!;
    assert.equal(tagsOf(span)['error'], true);
    assert.deepEqual(logEvents(span), ['timeout', 'error']);
    assert.equal(span.logs[1]!.fields.find((f) => f.key === 'message')!.value, 'gave up');
  });

  it('a timeout the app does not act on leaves the request going: the late response still ends the span', async () => {
    let status = 0;
    const parent = await underParent(
      () =>
        new Promise<void>((resolve, reject) => {
          const req = http.get(`${server.origin}/late`, { timeout: 30 }, (res) => {
            status = res.statusCode ?? 0;
            res.resume();
            res.on('end', resolve);
          });
          req.on('error', reject);
        }),
    );
    await delay(10);
    assert.equal(status, 200);
    const span = reporter.spans.find((s) => s.parentId === parent.spanId)!;
    assert.equal(tagsOf(span)['http.status_code'], 200);
    assert.equal(tagsOf(span)['error'], undefined);
    assert.deepEqual(logEvents(span), ['timeout']);
  });

  it('makes no span and sends no context while tracing is suppressed', async () => {
    const parent = tracer.startSpan('parent');
    await tracer.withSpan(parent, () => runWithoutTracing(() => send(CALL_FORMS['get(url string, callback)']!, server.origin, '/export')));
    await delay(10);
    assert.equal(reporter.spans.length, 0);
    assert.equal(server.received[0]!.headers['uber-trace-id'], undefined);
    assert.equal(server.received[0]!.headers['traceparent'], undefined);
  });

  it('an unsampled parent: no span reported, but the not-sampled decision still travels', async () => {
    const unsampled = new Tracer('off', reporter, new ConstSampler(false));
    const parent = unsampled.startSpan('parent');
    await unsampled.withSpan(parent, () => send(CALL_FORMS['get(url string, callback)']!, server.origin, '/'));
    await delay(10);
    assert.equal(reporter.spans.length, 0);
    const header = decodeURIComponent(String(server.received[0]!.headers['uber-trace-id']));
    assert.equal(header.split(':')[0], parent.traceId);
    assert.equal(header.split(':')[3], '0');
  });

  it('starts a new trace without a parent', async () => {
    await tracer.withSpan(undefined, () => send(CALL_FORMS['get(url string, callback)']!, server.origin, '/'));
    await waitFor(() => reporter.spans.length === 1, 'span');
    assert.equal(reporter.spans[0]!.parentId, null);
  });

  it('unregister restores http and https', () => {
    const second = instrumentHttpClient({ tracer });
    assert.deepEqual(second.names, [], 'already registered: nothing patched twice');
    assert.equal(isWrapped(http.request), true);
    assert.equal(isWrapped(https.get), true);
    handle.unregister();
    assert.equal(isWrapped(http.request), false);
    assert.equal(isWrapped(http.get), false);
    assert.equal(isWrapped(https.request), false);
    handle = instrumentHttpClient({ tracer, undici: false });
    assert.equal(isWrapped(http.get), true);
  });
});

describe('http client and ES modules', () => {
  it('named imports from node:http see the patch (built-in ESM exports are re-synced)', () => {
    const script = `
      import { request, get } from 'node:http';
      import { createRequire } from 'node:module';
      const require = createRequire(${JSON.stringify(__filename)});
      const { isWrapped } = require('@jt/core');
      const { instrumentHttpClient } = require('../src/index.ts');
      const before = isWrapped(request);
      const handle = instrumentHttpClient();
      const during = isWrapped(request) && isWrapped(get);
      handle.unregister();
      console.log(JSON.stringify([before, during, isWrapped(request)]));`;
    const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), [false, true, false]);
  });
});

describe('http client options', () => {
  const reporter = new InMemoryReporter();
  const tracer = new Tracer('client-options', reporter, new ConstSampler(true));
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  it('requireParentSpan, ignoreOutgoingUrls, propagate and hooks (a throwing hook does not break the request)', async () => {
    const seen: string[] = [];
    const handle = instrumentHttpClient({
      tracer,
      undici: false,
      requireParentSpan: true,
      ignoreOutgoingUrls: [`${server.origin}/ignored`, /\/health$/],
      requestHook: (span, info) => {
        seen.push(`${info.library} ${info.method} ${info.url}`);
        span.setTag('hooked', true);
      },
      responseHook: () => {
        throw new Error('user bug');
      },
    });
    try {
      const get = (path: string) => send(CALL_FORMS['get(url string, callback)']!, server.origin, path);
      assert.equal(await tracer.withSpan(undefined, () => get('/orphan')), 200);
      const parent = tracer.startSpan('parent');
      await tracer.withSpan(parent, async () => {
        await get('/ignored/x');
        await get('/health');
        assert.equal(await get('/traced'), 200);
      });
      await waitFor(() => reporter.spans.length === 1, 'span');
      assert.deepEqual(seen, [`http GET ${server.origin}/traced`]);
      assert.equal(tagsOf(reporter.spans[0]!)['hooked'], true);
      const withContext = server.received.filter((r) => r.headers['uber-trace-id'] !== undefined).map((r) => r.url);
      assert.deepEqual(withContext, ['/traced']);
    } finally {
      handle.unregister();
    }
    const quiet = instrumentHttpClient({ tracer, undici: false, propagate: false });
    try {
      server.received.length = 0;
      reporter.clear();
      await send(CALL_FORMS['get(url string, callback)']!, server.origin, '/quiet');
      await waitFor(() => reporter.spans.length === 1, 'span');
      assert.equal(server.received[0]!.headers['uber-trace-id'], undefined);
    } finally {
      quiet.unregister();
    }
  });
});
