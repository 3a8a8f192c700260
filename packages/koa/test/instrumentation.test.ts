import assert from 'node:assert/strict';
import * as http from 'node:http';
import {
  httpServerInstrumentation,
  InMemoryReporter,
  isWrapped,
  registerInstrumentations,
  type Instrumentation,
  type InstrumentationHandle,
} from '@jt/core';
import { koaInstrumentation } from '../src/index';
import { close, listen, loadKoa, MAJORS, request, serverSpans, tagsOf, tracedRequest, useTracer, type Any, type KoaModules } from './helpers';
import { buildApp } from './routes-app';
import { routingScenarios } from './scenarios';

const MODES = [
  { label: 'http server hook + koa hook', withHttpHook: true, explicit: false, component: 'http' },
  { label: 'koa hook alone', withHttpHook: false, explicit: false, component: 'koa' },
  { label: 'both hooks and jaegerMiddleware() at once', withHttpHook: true, explicit: true, component: 'http' },
] as const;

for (const major of MAJORS) {
  for (const mode of MODES) {
    describe(`@jt/koa auto (${major.label}, ${mode.label})`, () => {
      const reporter = new InMemoryReporter();
      let handle: InstrumentationHandle | undefined;
      let koa: KoaModules;
      let server: http.Server | undefined;
      let port = 0;

      before(() => {
        const list: Instrumentation[] = [koaInstrumentation()];
        if (mode.withHttpHook) list.unshift(httpServerInstrumentation());
        handle = registerInstrumentations(list);
        koa = loadKoa(major);
      });
      after(() => handle?.unregister());
      beforeEach(async () => {
        useTracer(reporter);
        server = http.createServer(buildApp(koa, mode.explicit).callback());
        port = await listen(server);
      });
      afterEach(async () => {
        if (server !== undefined) await close(server);
        server = undefined;
      });

      it(`makes exactly one server span per request (component ${mode.component})`, async () => {
        for (const path of ['/users/1', '/api/items/2', '/nothing/here', '/fail/throw']) {
          const { span } = await tracedRequest(reporter, port, path);
          assert.equal(tagsOf(span)['component'], mode.component);
          assert.equal(tagsOf(span)['span.kind'], 'server');
        }
      });

      routingScenarios({ reporter, major, port: () => port });
    });
  }

  describe(`@jt/koa auto hook details (${major.label})`, () => {
    const reporter = new InMemoryReporter();
    let handle: InstrumentationHandle | undefined;
    let server: http.Server | undefined;

    beforeEach(() => {
      useTracer(reporter);
      reporter.clear();
    });
    afterEach(async () => {
      if (server !== undefined) await close(server);
      server = undefined;
      handle?.unregister();
      handle = undefined;
    });

    async function serve(app: Any): Promise<number> {
      server = http.createServer(app.callback());
      return listen(server);
    }

    it('an app with no router gets a server span named by its method', async () => {
      handle = registerInstrumentations([koaInstrumentation()]);
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
      handle = registerInstrumentations([httpServerInstrumentation(), koaInstrumentation({ ignorePaths: '/health' })]);
      const { Koa } = loadKoa(major);
      const app = new Koa();
      app.use((ctx: Any) => {
        ctx.body = 'ok';
      });
      const port = await serve(app);
      assert.equal((await request(port, '/health')).status, 200);
      const { span } = await tracedRequest(reporter, port, '/work');
      assert.equal(span.operationName, 'GET');
      assert.equal(serverSpans(reporter).length, 1);
    });

    it('unregister() restores Koa: no wrapper left, requests no longer traced', async () => {
      handle = registerInstrumentations([koaInstrumentation()]);
      const { Koa } = loadKoa(major);
      assert.equal(isWrapped(Koa.prototype.handleRequest), true);
      const app = new Koa();
      app.use((ctx: Any) => {
        ctx.body = 'ok';
      });
      handle.unregister();
      handle = undefined;
      assert.equal(isWrapped(Koa.prototype.handleRequest), false);
      const port = await serve(app);
      assert.equal((await request(port, '/x')).status, 200);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(reporter.spans.length, 0);
    });
  });
}
