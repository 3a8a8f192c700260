import assert from 'node:assert/strict';
import type { Span } from '@jt/core';
import {
  describeExplicitAlone,
  expectOptionsHonoured,
  expectThrowingHooksHarmless,
  serveListener,
  THROWING_HOOKS,
  tracedRequest,
  tracingPerTest,
} from '@jt/test-utils';
import { jaegerMiddleware } from '../src/index';
import { loadKoa, MAJORS, type Any, type KoaModules } from './helpers';
import { buildApp, FAILURES, koaUnderTest } from './routes-app';
import { routingScenarios } from './scenarios';

for (const major of MAJORS) {
  describeExplicitAlone(koaUnderTest(major), {
    label: 'jaegerMiddleware()',
    noun: 'middleware',
    failures: FAILURES,
    checkFailure: (reply, failure) => assert.deepEqual(reply, { status: failure.status, body: failure.body }),
    scenarios: routingScenarios,
  });

  describe(`@jt/koa middleware options (${major.label})`, () => {
    const { reporter, start } = tracingPerTest();
    let koa: KoaModules;

    before(() => {
      koa = loadKoa(major);
    });

    function serve(app: Any): Promise<number> {
      return start(serveListener(app.callback()));
    }

    it('ignorePaths, requestHook, responseHook, operationName and a tracer of its own', () =>
      expectOptionsHonoured(reporter, ['/users/1', '/v1/ping'], ({ tracer, seen }) => {
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
        return serve(app);
      }));

    it('throwing user hooks do not break the request', async () => {
      const app = new koa.Koa();
      app.use(jaegerMiddleware(THROWING_HOOKS));
      const router = new koa.Router();
      router.get('/users/:id', (ctx: Any) => {
        ctx.body = 'fine';
      });
      app.use(router.routes());
      await expectThrowingHooksHarmless(reporter, await serve(app));
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
