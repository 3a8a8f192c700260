import assert from 'node:assert/strict';
import * as http from 'node:http';
import { InMemoryReporter, type Span } from '@jt/core';
import { jaegerMiddleware } from '../src/index';
import { close, listen, loadKoa, MAJORS, request, tagsOf, tracedRequest, useTracer, waitFor, type Any, type KoaModules } from './helpers';
import { buildApp, FAILURES } from './routes-app';
import { routingScenarios } from './scenarios';

for (const major of MAJORS) {
  describe(`@jt/koa jaegerMiddleware() alone (${major.label}, no hook)`, () => {
    const reporter = new InMemoryReporter();
    let koa: KoaModules;
    let server: http.Server | undefined;
    let port = 0;

    before(() => {
      koa = loadKoa(major);
    });
    beforeEach(async () => {
      useTracer(reporter);
      reporter.clear();
      server = http.createServer(buildApp(koa, true).callback());
      port = await listen(server);
    });
    afterEach(async () => {
      if (server !== undefined) await close(server);
      server = undefined;
    });

    it('makes one server span tagged by the middleware (component koa)', async () => {
      const { span } = await tracedRequest(reporter, port, '/users/7?page=2');
      const tags = tagsOf(span);
      assert.equal(tags['span.kind'], 'server');
      assert.equal(tags['component'], 'koa');
      assert.equal(tags['http.url'], `http://127.0.0.1:${port}/users/7?page=2`);
      assert.equal(span.parentId, null);
    });

    it('answers failures exactly as the same app without tracing does', async () => {
      const plain = http.createServer(buildApp(koa, false).callback());
      const plainPort = await listen(plain);
      try {
        for (const failure of FAILURES) {
          const traced = await request(port, failure.path);
          const untraced = await request(plainPort, failure.path);
          assert.deepEqual(traced, untraced, failure.path);
          assert.deepEqual(traced, { status: failure.status, body: failure.body });
        }
      } finally {
        await close(plain);
      }
    });

    routingScenarios({ reporter, major, port: () => port });
  });

  describe(`@jt/koa middleware options (${major.label})`, () => {
    const reporter = new InMemoryReporter();
    let koa: KoaModules;
    let server: http.Server | undefined;

    before(() => {
      koa = loadKoa(major);
    });
    beforeEach(() => {
      useTracer(reporter);
      reporter.clear();
    });
    afterEach(async () => {
      if (server !== undefined) await close(server);
      server = undefined;
    });

    async function serve(app: Any): Promise<number> {
      server = http.createServer(app.callback());
      return listen(server);
    }

    it('ignorePaths, requestHook, responseHook, operationName and a tracer of its own', async () => {
      const own = new InMemoryReporter();
      const tracer = useTracer(own);
      useTracer(reporter); // the global one must not be used
      const seen: string[] = [];
      const app = buildApp(koa, true, {
        tracer,
        ignorePaths: ['/users/1', /^\/v1\//],
        // annotated with the Koa typings: the hooks take them
        requestHook: (span: Span, ctx: import('koa').Context) => {
          seen.push(`request ${ctx.req.url}`);
          span.setTag('tenant', String(ctx.req.headers['x-tenant']));
        },
        responseHook: (span: Span, ctx: import('koa').Context) => {
          seen.push(`response ${ctx.status}`);
          span.setTag('answered', ctx.status);
        },
        operationName: (ctx: import('koa').Context, route: string) => `${ctx.method.toLowerCase()}:${route}`,
      });
      const port = await serve(app);
      assert.equal((await request(port, '/users/1')).status, 200);
      assert.equal((await request(port, '/v1/ping')).status, 200);
      assert.equal((await request(port, '/users/2', { headers: { 'x-tenant': 'acme' } })).status, 200);
      await waitFor(() => own.spans.length === 1, 'span');
      await new Promise((r) => setTimeout(r, 10));
      assert.equal(own.spans.length, 1, 'ignored paths made no span');
      assert.equal(reporter.spans.length, 0, 'the global tracer was not used');
      const span = own.spans[0]!;
      assert.equal(span.operationName, 'get:/users/:id');
      assert.equal(tagsOf(span)['tenant'], 'acme');
      assert.equal(tagsOf(span)['answered'], 200);
      assert.deepEqual(seen, ['request /users/2', 'response 200']);
    });

    it('throwing user hooks do not break the request', async () => {
      const app = new koa.Koa();
      app.use(
        jaegerMiddleware({
          requestHook: () => {
            throw new Error('bad request hook');
          },
          responseHook: () => {
            throw new Error('bad response hook');
          },
          operationName: () => {
            throw new Error('bad name');
          },
        }),
      );
      const router = new koa.Router();
      router.get('/users/:id', (ctx: Any) => {
        ctx.body = 'fine';
      });
      app.use(router.routes());
      const port = await serve(app);
      const { reply, span } = await tracedRequest(reporter, port, '/users/3');
      assert.deepEqual(reply, { status: 200, body: 'fine' });
      assert.equal(span.operationName, 'GET /users/:id');
    });

    it('fits app.use of the Koa typings', async () => {
      const app: import('koa') = new koa.Koa();
      app.use(jaegerMiddleware());
      app.use((ctx) => {
        ctx.body = 'typed';
      });
      const port = await serve(app);
      const { reply, span } = await tracedRequest(reporter, port, '/anything');
      assert.deepEqual(reply, { status: 200, body: 'typed' });
      assert.equal(span.operationName, 'GET');
    });
  });
}
