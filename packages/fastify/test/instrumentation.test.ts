import assert from 'node:assert/strict';
import { httpServerInstrumentation } from '@jt/core';
import {
  describeAutoModes,
  expectLaterIgnoreDrops,
  expectUntraced,
  tagsOf,
  tracedRequest,
  tracingPerTest,
} from '@jt/test-utils';
import { fastifyInstrumentation, jaegerFastify } from '../src/index';
import { loadFastify, MAJORS, startFastify } from './helpers';
import { fastifyUnderTest } from './routes-app';
import { routingScenarios } from './scenarios';

for (const major of MAJORS) {
  describeAutoModes(fastifyUnderTest(major), {
    instrumentation: () => fastifyInstrumentation(),
    explicitLabel: 'the plugin',
    paths: ['/users/1', '/api/items/2', '/nothing/here', '/fail/throw'],
    scenarios: routingScenarios,
  });

  describe(`@jt/fastify auto hook details (${major.label})`, () => {
    const { reporter, start, register } = tracingPerTest();

    it('replaces nothing: the module is the original factory, instances get the hooks as they are made', async () => {
      const loadedBefore = loadFastify(major);
      register([fastifyInstrumentation()]);
      // a Fastify required before the hook was registered is traced too
      assert.equal(require(require.resolve('fastify', { paths: [major.from] })), loadedBefore);
      const app = loadedBefore();
      app.get('/users/:id', async () => 'user');
      const port = await start(startFastify(app));
      const { span } = await tracedRequest(reporter, port, '/users/1');
      assert.equal(span.operationName, 'GET /users/:id');
      assert.equal(tagsOf(span)['component'], 'fastify');
    });

    it('ignorePaths of the fastify hook drops a span the http hook had started', async () => {
      register([httpServerInstrumentation(), fastifyInstrumentation({ ignorePaths: '/health' })]);
      const app = loadFastify(major)();
      app.get('/health', async () => 'ok');
      app.get('/work', async () => 'ok');
      await expectLaterIgnoreDrops(reporter, await start(startFastify(app)), 'GET /work');
    });

    it('the plugin in a hooked app adds no second set of hooks (an error is recorded once)', async () => {
      register([fastifyInstrumentation()]);
      const app = loadFastify(major)();
      app.register(jaegerFastify);
      app.get('/x', async () => {
        throw new Error('once');
      });
      const port = await start(startFastify(app));
      const { span } = await tracedRequest(reporter, port, '/x');
      assert.equal(span.logs.length, 1);
      assert.equal(tagsOf(span)['component'], 'fastify');
    });

    it('after unregister() new apps are not traced', async () => {
      const handle = register([fastifyInstrumentation()]);
      const fastify = loadFastify(major);
      handle.unregister();
      const app = fastify();
      app.get('/x', async () => 'x');
      await expectUntraced(reporter, await start(startFastify(app)));
    });
  });
}
