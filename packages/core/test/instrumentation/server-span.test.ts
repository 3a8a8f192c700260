import assert from 'node:assert/strict';
import * as http from 'node:http';
import { appsPerTest, errorLogsOf, get, serveListener, tagsOf, waitFor } from '@jt/test-utils';
import { setInstrumentationLogger } from '../../src/instrumentation/kit-logger';
import { recordServerError } from '../../src/instrumentation/server-error';
import {
  getOrStartServerSpan,
  getServerSpan,
  joinServerSpan,
  nameServerSpanByRoute,
  onServerSpanEnd,
  setServerSpanRoute,
  type ServerSpanOptions,
} from '../../src/instrumentation/server-span';
import { ConstSampler, InMemoryReporter, Tracer, type Span } from '../../src/index';

describe('server span kit: joining callers, end callbacks, errors, route names', () => {
  const reporter = new InMemoryReporter();
  const tracer = new Tracer('server-span-test', reporter, new ConstSampler(true));
  const apps = appsPerTest();

  beforeEach(() => reporter.clear());

  /** Serves `handler` on a loopback port, with no hook: the handler calls the kit itself. */
  const serve = (handler: http.RequestListener): Promise<number> => apps.start(serveListener(handler));

  it('joinServerSpan: the first caller starts the span, a later caller gets the same one', async () => {
    const got: Array<Span | undefined> = [];
    const port = await serve((req, res) => {
      got.push(joinServerSpan(req, res, { tracer, component: 'first' }));
      got.push(joinServerSpan(req, res, { tracer, component: 'second', ignorePaths: ['/other'] }));
      res.end();
    });
    await get(port, '/users/1');
    await waitFor(() => reporter.spans.length === 1, 'span');
    assert.equal(got[0], reporter.spans[0]);
    assert.equal(got[1], got[0]);
    assert.equal(tagsOf(reporter.spans[0]!)['component'], 'first', 'the first caller tagged it');
  });

  it('http.url: origin-form targets get scheme and Host, absolute-form targets are kept as sent (secrets redacted)', async () => {
    const port = await serve((req, res) => {
      getOrStartServerSpan(req, res, { tracer });
      res.end();
    });
    await get(port, '/a?x=1');
    // absolute-form, as a client talking to a proxy sends it
    await new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: 'http://example.test/b?token=s3cret' }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
    await waitFor(() => reporter.spans.length === 2, 'spans');
    assert.deepEqual(
      reporter.spans.map((span) => tagsOf(span)['http.url']),
      [`http://127.0.0.1:${port}/a?x=1`, 'http://example.test/b?token=REDACTED'],
    );
  });

  it('joinServerSpan: a later caller whose ignorePaths match drops the whole trace (sampling.priority 0)', async () => {
    const got: Array<Span | undefined> = [];
    const port = await serve((req, res) => {
      const started = getOrStartServerSpan(req, res, { tracer });
      got.push(started, joinServerSpan(req, res, { tracer, ignorePaths: ['/health'] }), getServerSpan(req));
      res.end();
    });
    await get(port, '/health');
    await get(port, '/api');
    await waitFor(() => reporter.spans.length === 1, 'span');
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(reporter.spans.length, 1, 'the dropped trace was not reported');
    assert.equal(tagsOf(reporter.spans[0]!)['http.url'], `http://127.0.0.1:${port}/api`);
    const [started, joined, stillThere] = got;
    assert.equal(joined, undefined, 'the ignoring caller is told the request is untraced');
    assert.equal(started!.context().isSampled(), false);
    assert.equal(stillThere, started, 'the request keeps its one (now unsampled) span');
    assert.equal(got[4], reporter.spans[0], 'a path the later caller does not ignore is joined');
  });

  it('joinServerSpan: a request the first caller ignored stays untraced for every caller', async () => {
    const got: Array<Span | undefined> = [];
    const port = await serve((req, res) => {
      got.push(getOrStartServerSpan(req, res, { tracer, ignorePaths: '/static/*' }), joinServerSpan(req, res, { tracer }));
      res.end();
    });
    await get(port, '/static/app.js');
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(got, [undefined, undefined]);
    assert.equal(reporter.spans.length, 0);
  });

  it('onServerSpanEnd: runs once per callback, in order, before the status tags and the starter responseHook; may still rename', async () => {
    const order: string[] = [];
    const starter: ServerSpanOptions = {
      tracer,
      responseHook: (span) => {
        order.push(`starter responseHook, name ${span.operationName}`);
      },
    };
    const port = await serve((req, res) => {
      getOrStartServerSpan(req, res, starter);
      // a framework joining the span someone else started
      const span = joinServerSpan(req, res, { tracer, component: 'framework' })!;
      onServerSpanEnd(req, function nameAtEnd(ended) {
        assert.equal(ended, span);
        const tags = tagsOf(ended);
        order.push(`first, status tag ${String(tags['http.status_code'])}`);
        setServerSpanRoute(req, 'GET /orders/:id', '/orders/:id');
      });
      onServerSpanEnd(req, function brokenCallback() {
        order.push('broken');
        throw new Error('callback bug');
      });
      onServerSpanEnd(req, function tagAtEnd(ended) {
        order.push('third');
        ended.setTag('framework.done', true);
      });
      res.statusCode = 201;
      res.end('made');
    });
    assert.deepEqual(await get(port, '/orders/5'), { status: 201, body: 'made' });
    await waitFor(() => reporter.spans.length === 1, 'span');
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(reporter.spans.length, 1, 'finished once');
    const span = reporter.spans[0]!;
    assert.deepEqual(order, ['first, status tag undefined', 'broken', 'third', 'starter responseHook, name GET /orders/:id']);
    assert.equal(span.operationName, 'GET /orders/:id');
    const tags = tagsOf(span);
    assert.equal(tags['http.route'], '/orders/:id');
    assert.equal(tags['http.status_code'], 201);
    assert.equal(tags['framework.done'], true);
  });

  it('onServerSpanEnd: a throwing callback named by a Symbol is logged under the generic label; the response and span are unaffected', async () => {
    const logged: string[] = [];
    setInstrumentationLogger({ info() {}, error: (m) => logged.push(m) });
    try {
      const port = await serve((req, res) => {
        getOrStartServerSpan(req, res, { tracer });
        const hostile = () => {
          throw new Error('end callback bug');
        };
        Object.defineProperty(hostile, 'name', { value: Symbol('not a string') });
        onServerSpanEnd(req, hostile);
        res.end('ok');
      });
      assert.deepEqual(await get(port, '/'), { status: 200, body: 'ok' });
      await waitFor(() => reporter.spans.length === 1, 'span');
      assert.equal(tagsOf(reporter.spans[0]!)['http.status_code'], 200);
      assert.deepEqual(logged, ['[jt] onServerSpanEnd callback threw: Error: end callback bug']);
    } finally {
      setInstrumentationLogger({ info() {}, error() {} });
    }
  });

  it('onServerSpanEnd: runs when the client goes away before the response, and is a no-op after the finish', async () => {
    const calls: string[] = [];
    let late: (() => void) | undefined;
    const port = await serve((req, res) => {
      getOrStartServerSpan(req, res, { tracer });
      onServerSpanEnd(req, () => calls.push('aborted request'));
      late = () => onServerSpanEnd(req, () => calls.push('too late'));
    });
    const client = http.request({ host: '127.0.0.1', port, path: '/slow', agent: false });
    client.on('error', () => {});
    client.end();
    await waitFor(() => late !== undefined, 'request');
    client.destroy();
    await waitFor(() => reporter.spans.length === 1, 'span');
    late!();
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(calls, ['aborted request']);
  });

  it('recordServerError: once per error object; 4xx errors logged without error=true; 5xx and plain errors marked', async () => {
    const notFound = Object.assign(new Error('no such order'), { status: 404 });
    const unavailable = Object.assign(new Error('db down'), { statusCode: 503 });
    const plain = new TypeError('bug');
    const errorsByPath: Record<string, unknown[]> = {
      '/4xx': [notFound, notFound, undefined, null],
      '/5xx': [unavailable],
      '/plain': [plain, plain],
      '/string': ['thrown text'],
    };
    const port = await serve((req, res) => {
      getOrStartServerSpan(req, res, { tracer, operationName: (r) => r.url ?? '' });
      for (const err of errorsByPath[req.url!]!) recordServerError(req, err);
      res.end();
    });
    for (const path of Object.keys(errorsByPath)) await get(port, path);
    await waitFor(() => reporter.spans.length === 4, 'spans');
    const byPath = new Map(reporter.spans.map((s) => [s.operationName, s]));

    const clientFault = byPath.get('/4xx')!;
    assert.equal(tagsOf(clientFault)['error'], undefined);
    assert.deepEqual(errorLogsOf(clientFault), [{ event: 'error', 'error.kind': 'Error', message: 'no such order' }]);

    const serverFault = byPath.get('/5xx')!;
    assert.equal(tagsOf(serverFault)['error'], true);
    assert.equal(errorLogsOf(serverFault).length, 1);
    assert.equal(errorLogsOf(serverFault)[0]!['message'], 'db down');

    const bug = byPath.get('/plain')!;
    assert.equal(tagsOf(bug)['error'], true);
    assert.equal(errorLogsOf(bug).length, 1, 'the same error object recorded once');
    assert.equal(errorLogsOf(bug)[0]!['error.kind'], 'TypeError');
    assert.match(String(errorLogsOf(bug)[0]!['stack']), /TypeError: bug/);

    assert.equal(tagsOf(byPath.get('/string')!)['error'], true);
  });

  it('recordServerError: statusProperty picks which of status/statusCode decides when both are set', async () => {
    const mixed = (): Error => Object.assign(new Error('mixed'), { status: 409, statusCode: 500 });
    const port = await serve((req, res) => {
      getOrStartServerSpan(req, res, { tracer, operationName: (r) => r.url ?? '' });
      recordServerError(req, mixed(), req.url === '/statusCode' ? { statusProperty: 'statusCode' } : undefined);
      res.end();
    });
    await get(port, '/status');
    await get(port, '/statusCode');
    await waitFor(() => reporter.spans.length === 2, 'spans');
    const byPath = new Map(reporter.spans.map((s) => [s.operationName, s]));
    assert.equal(tagsOf(byPath.get('/status')!)['error'], undefined, 'status 409 read first: the client is at fault');
    assert.equal(tagsOf(byPath.get('/statusCode')!)['error'], true, 'statusCode 500 read first: a server error');
  });

  it('recordServerError: a request without a server span (ignored) records nothing and does not throw', async () => {
    let done = false;
    const port = await serve((req, res) => {
      getOrStartServerSpan(req, res, { tracer, ignorePaths: '/health' });
      recordServerError(req, new Error('ignored'));
      done = true;
      res.end();
    });
    assert.equal((await get(port, '/health')).status, 200);
    assert.equal(done, true);
    assert.equal(reporter.spans.length, 0);
  });

  it('nameServerSpanByRoute: the custom name when it gives one, else METHOD route; http.route is the template', async () => {
    const customs: Record<string, ((route: string) => unknown) | undefined> = {
      '/a/1': undefined,
      '/b/1': (route) => `custom ${route}`,
      '/c/1': () => '',
      '/d/1': () => {
        throw new Error('naming bug');
      },
    };
    const port = await serve((req, res) => {
      getOrStartServerSpan(req, res, { tracer });
      const route = `${req.url!.substring(0, 2)}/:id`;
      nameServerSpanByRoute(req, route, req.url === '/a/1' ? 'PATCH' : undefined, customs[req.url!]);
      res.end();
    });
    for (const path of Object.keys(customs)) await get(port, path);
    await waitFor(() => reporter.spans.length === 4, 'spans');
    assert.deepEqual(
      reporter.spans.map((s) => [s.operationName, tagsOf(s)['http.route']]).sort(),
      [
        ['GET /c/:id', '/c/:id'],
        ['GET /d/:id', '/d/:id'],
        ['PATCH /a/:id', '/a/:id'],
        ['custom /b/:id', '/b/:id'],
      ],
    );
  });
});
