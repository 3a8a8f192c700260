import assert from 'node:assert/strict';
import type { Span } from '@jt/core';
import {
  describeExplicitAlone,
  expectOptionsHonoured,
  expectThrowingHooksHarmless,
  expectUntraced,
  THROWING_HOOKS,
  tracedRequest,
  tracingPerTest,
} from '@jt/test-utils';
import { jaegerFastify } from '../src/index';
import { loadFastify, MAJORS, startFastify, type Any } from './helpers';
import { buildApp, FAILURES, fastifyUnderTest } from './routes-app';
import { routingScenarios } from './scenarios';

for (const major of MAJORS) {
  describeExplicitAlone(fastifyUnderTest(major), {
    label: 'jaegerFastify plugin',
    noun: 'plugin',
    failures: FAILURES,
    scenarios: routingScenarios,
  });

  describe(`@jt/fastify plugin options (${major.label})`, () => {
    const { reporter, start } = tracingPerTest();
    let fastify: Any;

    before(() => {
      fastify = loadFastify(major);
    });

    it('ignorePaths, requestHook, responseHook, operationName and a tracer of its own', () =>
      expectOptionsHonoured(reporter, ['/users/1', '/api/items/1'], ({ tracer, seen }) => {
        const app = buildApp(fastify, true, {
          tracer,
          ignorePaths: ['/users/1', /^\/api\//],
          // annotated with the fastify typings: the hooks take them
          requestHook: (span: Span, request: import('fastify').FastifyRequest) => {
            seen.push(`request ${request.raw.url}`);
            span.setTag('tenant', String(request.raw.headers['x-tenant']));
          },
          responseHook: (span: Span, reply: import('fastify').FastifyReply) => {
            seen.push(`response ${reply.statusCode}`);
            span.setTag('answered', reply.statusCode);
          },
          operationName: (request: import('fastify').FastifyRequest, route: string) => `${request.method.toLowerCase()}:${route}`,
        });
        return start(startFastify(app));
      }));

    it('throwing user hooks do not break the request', async () => {
      const app = fastify();
      app.register(jaegerFastify, THROWING_HOOKS);
      app.get('/users/:id', async () => 'fine');
      await expectThrowingHooksHarmless(reporter, await start(startFastify(app)));
    });

    it('registered at the root, it traces the routes of encapsulated plugins too (fastify-plugin)', async () => {
      const app = fastify();
      app.register(jaegerFastify);
      app.register(async (other: Any) => {
        other.get('/elsewhere/:id', async () => 'elsewhere');
      });
      const port = await start(startFastify(app));
      const { span } = await tracedRequest(reporter, port, '/elsewhere/1');
      assert.equal(span.operationName, 'GET /elsewhere/:id');
    });

    it('registered inside an encapsulated plugin, it traces that plugin\'s routes only (Fastify scoping)', async () => {
      const app = fastify();
      app.register(async (child: Any) => {
        child.register(jaegerFastify);
        child.get('/inside/:id', async () => 'inside');
      });
      app.get('/outside', async () => 'outside');
      const port = await start(startFastify(app));
      const { span } = await tracedRequest(reporter, port, '/inside/1');
      assert.equal(span.operationName, 'GET /inside/:id');
      reporter.clear();
      await expectUntraced(reporter, port, '/outside');
    });

    it('registered twice, it adds its hooks once', async () => {
      // typed as the fastify typings see it: the plugin fits register() with its options
      const typed: import('fastify').FastifyInstance = fastify();
      typed.register(jaegerFastify);
      typed.register(jaegerFastify, { ignorePaths: ['/health'], operationName: (request, route) => `${request.method} ${route}` });
      const app = typed as Any;
      app.get('/x', async () => {
        throw new Error('once');
      });
      const port = await start(startFastify(app));
      const { span } = await tracedRequest(reporter, port, '/x');
      assert.equal(span.logs.length, 1);
    });
  });
}
