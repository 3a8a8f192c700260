import assert from 'node:assert/strict';
import type * as http from 'node:http';
import { appsPerTest, get, serveListener, tagsOf, waitFor } from '@jt/test-utils';
import { frameworkServerSpanOptions, runFrameworkSpanHooks, ServerRequestStates } from '../../src/instrumentation/framework-request';
import { getOrStartServerSpan } from '../../src/instrumentation/server-span';
import { ConstSampler, InMemoryReporter, Tracer, type Span } from '../../src/index';

describe('framework request kit: per-integration request states and user hooks', () => {
  const reporter = new InMemoryReporter();
  const tracer = new Tracer('framework-request-test', reporter, new ConstSampler(true));
  const apps = appsPerTest();

  beforeEach(() => reporter.clear());

  /** Serves `handler` on a loopback port, with no hook: the handler calls the kit itself. */
  const serve = (handler: http.RequestListener): Promise<number> => apps.start(serveListener(handler));

  it('makes the state once per request, shared by every store of the same name, untraced requests remembered', async () => {
    const key = `jt.test.requests.${process.pid}.${Date.now()}`;
    const middleware = new ServerRequestStates<{ span: Span; made: number }>(key);
    // a second copy of the same integration (another install) sees the same states
    const hook = new ServerRequestStates<{ span: Span; made: number }>(key);
    const other = new ServerRequestStates<{ span: Span; made: number }>(`${key}.other`);
    let made = 0;
    const create = (span: Span) => ({ span, made: ++made });
    const seen: unknown[] = [];
    const port = await serve((req, res) => {
      const options = { tracer, ignorePaths: '/health' };
      const before = middleware.get(req);
      const first = middleware.join(req, res, options, create);
      const again = hook.join(req, res, options, create);
      seen.push({ url: req.url, before, same: first === again, got: hook.get(req) === first, other: other.get(req), first });
      res.end();
    });
    await get(port, '/users/1');
    await get(port, '/health');
    await waitFor(() => reporter.spans.length === 1, 'span');
    const [traced, ignored] = seen as Array<{ url: string; before: unknown; same: boolean; got: boolean; other: unknown; first: { span: Span; made: number } | undefined }>;
    assert.equal(traced!.before, undefined);
    assert.equal(traced!.same, true);
    assert.equal(traced!.got, true);
    assert.equal(traced!.other, undefined, 'a store of another name has its own states');
    assert.equal(traced!.first!.span, reporter.spans[0]);
    assert.equal(traced!.first!.made, 1);
    assert.equal(ignored!.first, undefined);
    assert.equal(ignored!.same, true, 'the untraced answer is remembered');
    assert.equal(made, 1, 'create ran once, for the traced request only');
  });

  it('join applies the later integration\'s ignorePaths to a span someone else started', async () => {
    const store = new ServerRequestStates<{ span: Span }>(`jt.test.join.${process.pid}.${Date.now()}`);
    const joined: unknown[] = [];
    const port = await serve((req, res) => {
      getOrStartServerSpan(req, res, { tracer });
      joined.push(store.join(req, res, { tracer, ignorePaths: '/metrics' }, (span) => ({ span })));
      res.end();
    });
    await get(port, '/metrics');
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(joined, [undefined]);
    assert.equal(reporter.spans.length, 0, 'the trace was dropped');
  });

  it('runFrameworkSpanHooks: requestHook now, responseHook just before the finish, with the framework objects', async () => {
    const calls: string[] = [];
    const port = await serve((req, res) => {
      // the http hook started the span; a framework joins with its own user hooks
      const span = getOrStartServerSpan(req, res, { tracer })!;
      const ctx = { kind: 'framework context', path: req.url };
      runFrameworkSpanHooks(req, span, {
        requestHook(hookSpan: Span, request: typeof ctx) {
          assert.equal(hookSpan, span);
          calls.push(`request ${request.kind} ${request.path}`);
          hookSpan.setTag('tenant', 'acme');
        },
        responseHook(hookSpan: Span, response: typeof ctx) {
          calls.push(`response ${response.kind}, finished ${String(tagsOf(hookSpan)['http.status_code'] !== undefined)}`);
          hookSpan.setTag('answered', true);
        },
      }, ctx, ctx);
      calls.push('handler');
      res.end();
    });
    await get(port, '/orders');
    await waitFor(() => reporter.spans.length === 1, 'span');
    assert.deepEqual(calls, ['request framework context /orders', 'handler', 'response framework context, finished false']);
    const tags = tagsOf(reporter.spans[0]!);
    assert.equal(tags['tenant'], 'acme');
    assert.equal(tags['answered'], true);
  });

  it('runFrameworkSpanHooks: missing or throwing hooks do not break the request', async () => {
    const port = await serve((req, res) => {
      const span = getOrStartServerSpan(req, res, { tracer })!;
      runFrameworkSpanHooks(req, span, {}, req, res);
      const explode = (): void => {
        throw new Error('user hook bug');
      };
      runFrameworkSpanHooks(req, span, { requestHook: explode, responseHook: explode }, req, res);
      res.end('fine');
    });
    assert.deepEqual(await get(port, '/x'), { status: 200, body: 'fine' });
    await waitFor(() => reporter.spans.length === 1, 'span');
    assert.equal(tagsOf(reporter.spans[0]!)['http.status_code'], 200);
  });

  it('frameworkServerSpanOptions: the integration\'s component, the user\'s tracer, ignorePaths and header capture, no hooks', () => {
    const user = {
      tracer,
      ignorePaths: ['/health'],
      captureRequestHeaders: ['x-tenant'],
      captureResponseHeaders: ['x-request-id'],
      requestHook: () => {},
      operationName: () => 'named',
    };
    assert.deepEqual(frameworkServerSpanOptions('koa', user), {
      tracer,
      component: 'koa',
      ignorePaths: ['/health'],
      captureRequestHeaders: ['x-tenant'],
      captureResponseHeaders: ['x-request-id'],
    });
  });
});
