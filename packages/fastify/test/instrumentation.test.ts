import assert from 'node:assert/strict';
import {
  httpServerInstrumentation,
  InMemoryReporter,
  registerInstrumentations,
  type Instrumentation,
  type InstrumentationHandle,
} from '@jt/core';
import { fastifyInstrumentation, jaegerFastify } from '../src/index';
import { listenApp, loadFastify, MAJORS, request, serverSpans, tagsOf, tracedRequest, useTracer, type Any } from './helpers';
import { buildApp } from './routes-app';
import { routingScenarios } from './scenarios';

const MODES = [
  { label: 'http server hook + fastify hook', withHttpHook: true, explicit: false, component: 'http' },
  { label: 'fastify hook alone', withHttpHook: false, explicit: false, component: 'fastify' },
  { label: 'both hooks and the plugin at once', withHttpHook: true, explicit: true, component: 'http' },
] as const;

for (const major of MAJORS) {
  for (const mode of MODES) {
    describe(`@jt/fastify auto (${major.label}, ${mode.label})`, () => {
      const reporter = new InMemoryReporter();
      let handle: InstrumentationHandle | undefined;
      let fastify: Any;
      let app: Any;
      let port = 0;

      before(() => {
        const list: Instrumentation[] = [fastifyInstrumentation()];
        if (mode.withHttpHook) list.unshift(httpServerInstrumentation());
        handle = registerInstrumentations(list);
        fastify = loadFastify(major);
      });
      after(() => handle?.unregister());
      beforeEach(async () => {
        useTracer(reporter);
        app = buildApp(fastify, mode.explicit);
        port = await listenApp(app);
      });
      afterEach(async () => {
        await app?.close();
        app = undefined;
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

  describe(`@jt/fastify auto hook details (${major.label})`, () => {
    const reporter = new InMemoryReporter();
    let handle: InstrumentationHandle | undefined;
    let app: Any;

    beforeEach(() => {
      useTracer(reporter);
      reporter.clear();
    });
    afterEach(async () => {
      await app?.close();
      app = undefined;
      handle?.unregister();
      handle = undefined;
    });

    it('replaces nothing: the module is the original factory, instances get the hooks as they are made', async () => {
      const loadedBefore = loadFastify(major);
      handle = registerInstrumentations([fastifyInstrumentation()]);
      // a Fastify required before the hook was registered is traced too
      assert.equal(require(require.resolve('fastify', { paths: [major.from] })), loadedBefore);
      app = loadedBefore();
      app.get('/users/:id', async () => 'user');
      const port = await listenApp(app);
      const { span } = await tracedRequest(reporter, port, '/users/1');
      assert.equal(span.operationName, 'GET /users/:id');
      assert.equal(tagsOf(span)['component'], 'fastify');
    });

    it('ignorePaths of the fastify hook drops a span the http hook had started', async () => {
      handle = registerInstrumentations([httpServerInstrumentation(), fastifyInstrumentation({ ignorePaths: '/health' })]);
      app = loadFastify(major)();
      app.get('/health', async () => 'ok');
      app.get('/work', async () => 'ok');
      const port = await listenApp(app);
      assert.equal((await request(port, '/health')).status, 200);
      const { span } = await tracedRequest(reporter, port, '/work');
      assert.equal(span.operationName, 'GET /work');
      assert.equal(serverSpans(reporter).length, 1);
    });

    it('the plugin in a hooked app adds no second set of hooks (an error is recorded once)', async () => {
      handle = registerInstrumentations([fastifyInstrumentation()]);
      app = loadFastify(major)();
      app.register(jaegerFastify);
      app.get('/x', async () => {
        throw new Error('once');
      });
      const port = await listenApp(app);
      const { span } = await tracedRequest(reporter, port, '/x');
      assert.equal(span.logs.length, 1);
      assert.equal(tagsOf(span)['component'], 'fastify');
    });

    it('after unregister() new apps are not traced', async () => {
      handle = registerInstrumentations([fastifyInstrumentation()]);
      const fastify = loadFastify(major);
      handle.unregister();
      handle = undefined;
      app = fastify();
      app.get('/x', async () => 'x');
      const port = await listenApp(app);
      assert.equal((await request(port, '/x')).status, 200);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(reporter.spans.length, 0);
    });
  });
}
