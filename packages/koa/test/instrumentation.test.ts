import assert from 'node:assert/strict';
import { httpServerInstrumentation, isWrapped } from '@jt/core';
import {
  describeAutoModes,
  expectLaterIgnoreDrops,
  expectUntraced,
  serveListener,
  tagsOf,
  tracedRequest,
  tracingPerTest,
} from '@jt/test-utils';
import { koaInstrumentation } from '../src/index';
import { loadKoa, MAJORS, type Any } from './helpers';
import { koaUnderTest } from './routes-app';
import { routingScenarios } from './scenarios';

for (const major of MAJORS) {
  describeAutoModes(koaUnderTest(major), {
    instrumentation: () => koaInstrumentation(),
    explicitLabel: 'jaegerMiddleware()',
    paths: ['/users/1', '/api/items/2', '/nothing/here', '/fail/throw'],
    scenarios: routingScenarios,
  });

  describe(`@jt/koa auto hook details (${major.label})`, () => {
    const { reporter, start, register } = tracingPerTest();

    function serve(app: Any): Promise<number> {
      return start(serveListener(app.callback()));
    }

    it('an app with no router gets a server span named by its method', async () => {
      register([koaInstrumentation()]);
      const { Koa } = loadKoa(major);
      const app = new Koa();
      app.use((ctx: Any) => {
        ctx.body = 'hi';
      });
      const port = await serve(app);
      const { reply, span } = await tracedRequest(reporter, port, '/x', { method: 'PUT' });
      assert.deepEqual(reply, { status: 200, body: 'hi' });
      assert.equal(span.operationName, 'PUT');
      assert.equal(tagsOf(span)['component'], 'koa');
    });

    it('ignorePaths of the koa hook drops a span the http hook had started', async () => {
      register([httpServerInstrumentation(), koaInstrumentation({ ignorePaths: '/health' })]);
      const { Koa } = loadKoa(major);
      const app = new Koa();
      app.use((ctx: Any) => {
        ctx.body = 'ok';
      });
      await expectLaterIgnoreDrops(reporter, await serve(app), 'GET');
    });

    it('unregister() restores Koa: no wrapper left, requests no longer traced', async () => {
      const handle = register([koaInstrumentation()]);
      const { Koa } = loadKoa(major);
      assert.equal(isWrapped(Koa.prototype.handleRequest), true);
      const app = new Koa();
      app.use((ctx: Any) => {
        ctx.body = 'ok';
      });
      handle.unregister();
      assert.equal(isWrapped(Koa.prototype.handleRequest), false);
      await expectUntraced(reporter, await serve(app));
    });
  });
}
