import assert from 'node:assert/strict';
import * as undici from 'undici';
import { ConstSampler, InMemoryReporter, Tracer, runWithoutTracing, type InstrumentationHandle, type Span } from '@jt/core';
import { closedPort, delay, logEvents, tagsOf } from '@jt/test-utils';
import { instrumentHttpClient } from '../src/index';
import { startServer, traceparentSpanId, uberSpanId, onlyGetUnder, underParentSpan, type TestServer } from './helpers';

/** One way of making a GET with undici or fetch; resolves with the status once the body is read. */
type Call = (url: string, init?: { headers?: Record<string, string>; signal?: AbortSignal }) => Promise<number>;

describe('undici and fetch client spans', () => {
  const reporter = new InMemoryReporter();
  const tracer = new Tracer('undici-test', reporter, new ConstSampler(true));
  let handle: InstrumentationHandle;
  let server: TestServer;
  const closers: Array<() => Promise<void>> = [];

  before(async () => {
    handle = instrumentHttpClient({ tracer });
    server = await startServer();
  });
  after(async () => {
    handle.unregister();
    for (const close of closers) await close();
    await server.close();
  });
  beforeEach(() => {
    reporter.clear();
    server.received.length = 0;
  });

  const CALLS: Record<string, Call> = {
    'undici.request': async (url, init) => {
      const { statusCode, body } = await undici.request(url, init);
      await body.text();
      return statusCode;
    },
    'undici.fetch': async (url, init) => {
      const res = await undici.fetch(url, init);
      await res.text();
      return res.status;
    },
    'global fetch (Node bundled undici)': async (url, init) => {
      const res = await fetch(url, init);
      await res.text();
      return res.status;
    },
    'undici Client': async (url, init) => {
      const client = new undici.Client(new URL(url).origin);
      closers.push(() => client.close());
      const target = new URL(url);
      const { statusCode, body } = await client.request({ path: target.pathname + target.search, method: 'GET', ...init });
      await body.text();
      return statusCode;
    },
    'undici Pool': async (url, init) => {
      const pool = new undici.Pool(new URL(url).origin, { connections: 2 });
      closers.push(() => pool.close());
      const target = new URL(url);
      const { statusCode, body } = await pool.request({ path: target.pathname + target.search, method: 'GET', ...init });
      await body.text();
      return statusCode;
    },
    'undici Agent as dispatcher': async (url, init) => {
      const agent = new undici.Agent();
      closers.push(() => agent.close());
      const { statusCode, body } = await undici.request(url, { ...init, dispatcher: agent });
      await body.text();
      return statusCode;
    },
  };

  /** Runs `fn` under a fresh parent span; resolves with the parent once every client span ended. */
  const underParent = (fn: () => Promise<unknown>, clientSpans = 1): Promise<Span> => underParentSpan(tracer, reporter, fn, clientSpans);

  for (const [name, call] of Object.entries(CALLS)) {
    it(`${name}: one client span under the active span, its context sent to the server`, async () => {
      const headers = { 'x-caller': 'mine', traceparent: '00-11111111111111111111111111111111-2222222222222222-01' };
      const callerCopy = { ...headers };
      const parent = await underParent(async () => assert.equal(await call(`${server.origin}/items/3?api_key=k&x=1`, { headers }), 200));
      await delay(5);
      const span = onlyGetUnder(reporter, parent);
      assert.deepEqual(tagsOf(span), {
        'span.kind': 'client',
        component: 'undici',
        'http.method': 'GET',
        'http.url': `${server.origin}/items/3?api_key=REDACTED&x=1`,
        'peer.hostname': '127.0.0.1',
        'peer.port': server.port,
        'http.status_code': 200,
      });
      const got = server.received[0]!;
      assert.equal(got.headers['x-caller'], 'mine');
      assert.equal(uberSpanId(got.headers['uber-trace-id']), span.spanId);
      assert.equal(traceparentSpanId(got.headers.traceparent), span.spanId, "ours replaces the caller's stale traceparent");
      assert.equal(got.rawHeaders.filter((h) => h.toLowerCase() === 'traceparent').length, 1);
      assert.deepEqual(headers, callerCopy, "the caller's headers are not written to");
    });
  }

  it('4xx/5xx are errors with their status', async () => {
    await underParent(async () => {
      assert.equal(await CALLS['undici.request']!(`${server.origin}/status/500`), 500);
      assert.equal(await CALLS['global fetch (Node bundled undici)']!(`${server.origin}/status/404`), 404);
    }, 2);
    assert.deepEqual(reporter.spans.map(tagsOf).map((t) => [t['http.status_code'], t['error']]), [[500, true], [404, true]]);
  });

  for (const name of ['undici.request', 'undici.fetch', 'global fetch (Node bundled undici)']) {
    it(`${name}: an abort is logged, not an error; a refused connection is an error`, async () => {
      const call = CALLS[name]!;
      const controller = new AbortController();
      await underParent(async () => {
        const pending = call(`${server.origin}/slow`, { signal: controller.signal });
        setTimeout(() => controller.abort(), 20);
        await assert.rejects(pending, (err: Error) => err.name === 'AbortError');
      });
      const aborted = reporter.spans[0]!;
      assert.equal(tagsOf(aborted)['error'], undefined);
      assert.deepEqual(logEvents(aborted), ['aborted']);

      reporter.clear();
      const port = await closedPort();
      await underParent(() => assert.rejects(call(`http://127.0.0.1:${port}/`)));
      const refused = reporter.spans[0]!;
      assert.equal(tagsOf(refused)['error'], true);
      assert.equal(refused.logs[0]!.fields.find((f) => f.key === 'error.kind')!.value, 'Error');
      assert.match(String(refused.logs[0]!.fields.find((f) => f.key === 'message')!.value), /ECONNREFUSED/);
      await delay(20);
      assert.equal(reporter.spans.length, 1, 'ended once');
    });
  }

  it('makes no span and sends no context while tracing is suppressed', async () => {
    const parent = tracer.startSpan('parent');
    await tracer.withSpan(parent, () =>
      runWithoutTracing(async () => {
        await CALLS['undici.request']!(`${server.origin}/export`);
        await CALLS['global fetch (Node bundled undici)']!(`${server.origin}/export`);
      }),
    );
    await delay(10);
    assert.equal(reporter.spans.length, 0);
    assert.deepEqual(server.received.map((r) => r.headers['uber-trace-id']), [undefined, undefined]);
  });

  it('undici: false leaves undici alone', async () => {
    handle.unregister();
    const httpOnly = instrumentHttpClient({ tracer, undici: false });
    try {
      await underParent(() => CALLS['undici.request']!(`${server.origin}/plain`), 0);
      await delay(10);
      assert.equal(reporter.spans.length, 0);
      assert.equal(server.received[0]!.headers['uber-trace-id'], undefined);
    } finally {
      httpOnly.unregister();
      handle = instrumentHttpClient({ tracer });
    }
  });
});
