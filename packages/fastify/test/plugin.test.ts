import assert from 'node:assert/strict';
import { InMemoryReporter, type Span } from '@jt/core';
import { jaegerFastify } from '../src/index';
import { listenApp, loadFastify, MAJORS, request, tagsOf, tracedRequest, useTracer, waitFor, type Any } from './helpers';
import { buildApp, FAILURES } from './routes-app';
import { routingScenarios } from './scenarios';

for (const major of MAJORS) {
  describe(`@jt/fastify jaegerFastify plugin alone (${major.label}, no hook)`, () => {
    const reporter = new InMemoryReporter();
    let fastify: Any;
    let app: Any;
    let port = 0;

    before(() => {
      fastify = loadFastify(major);
    });
    beforeEach(async () => {
      useTracer(reporter);
      reporter.clear();
      app = buildApp(fastify, true);
      port = await listenApp(app);
    });
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    it('makes one server span tagged by the plugin (component fastify)', async () => {
      const { span } = await tracedRequest(reporter, port, '/users/7?page=2');
      const tags = tagsOf(span);
      assert.equal(tags['span.kind'], 'server');
      assert.equal(tags['component'], 'fastify');
      assert.equal(tags['http.url'], `http://127.0.0.1:${port}/users/7?page=2`);
      assert.equal(span.parentId, null);
    });

    it('answers failures exactly as the same app without tracing does', async () => {
      const plain = buildApp(fastify, false);
      const plainPort = await listenApp(plain);
      try {
        for (const failure of FAILURES) {
          const traced = await request(port, failure.path);
          const untraced = await request(plainPort, failure.path);
          assert.deepEqual(traced, untraced, failure.path);
          assert.equal(traced.status, failure.status);
        }
      } finally {
        await plain.close();
      }
    });

    routingScenarios({ reporter, major, port: () => port });
  });

  describe(`@jt/fastify plugin options (${major.label})`, () => {
    const reporter = new InMemoryReporter();
    let fastify: Any;
    let app: Any;

    before(() => {
      fastify = loadFastify(major);
    });
    beforeEach(() => {
      useTracer(reporter);
      reporter.clear();
    });
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    it('ignorePaths, requestHook, responseHook, operationName and a tracer of its own', async () => {
      const own = new InMemoryReporter();
      const tracer = useTracer(own);
      useTracer(reporter); // the global one must not be used
      const seen: string[] = [];
      app = buildApp(fastify, true, {
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
      const port = await listenApp(app);
      assert.equal((await request(port, '/users/1')).status, 200);
      assert.equal((await request(port, '/api/items/1')).status, 200);
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
      app = fastify();
      app.register(jaegerFastify, {
        requestHook: () => {
          throw new Error('bad request hook');
        },
        responseHook: () => {
          throw new Error('bad response hook');
        },
        operationName: () => {
          throw new Error('bad name');
        },
      });
      app.get('/users/:id', async () => 'fine');
      const port = await listenApp(app);
      const { reply, span } = await tracedRequest(reporter, port, '/users/3');
      assert.deepEqual(reply, { status: 200, body: 'fine' });
      assert.equal(span.operationName, 'GET /users/:id');
    });

    it('registered at the root, it traces the routes of encapsulated plugins too (fastify-plugin)', async () => {
      app = fastify();
      app.register(jaegerFastify);
      app.register(async (other: Any) => {
        other.get('/elsewhere/:id', async () => 'elsewhere');
      });
      const port = await listenApp(app);
      const { span } = await tracedRequest(reporter, port, '/elsewhere/1');
      assert.equal(span.operationName, 'GET /elsewhere/:id');
    });

    it('registered inside an encapsulated plugin, it traces that plugin\'s routes only (Fastify scoping)', async () => {
      app = fastify();
      app.register(async (child: Any) => {
        child.register(jaegerFastify);
        child.get('/inside/:id', async () => 'inside');
      });
      app.get('/outside', async () => 'outside');
      const port = await listenApp(app);
      const { span } = await tracedRequest(reporter, port, '/inside/1');
      assert.equal(span.operationName, 'GET /inside/:id');
      reporter.clear();
      assert.equal((await request(port, '/outside')).status, 200);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(reporter.spans.length, 0);
    });

    it('registered twice, it adds its hooks once', async () => {
      // typed as the fastify typings see it: the plugin fits register() with its options
      const typed: import('fastify').FastifyInstance = fastify();
      typed.register(jaegerFastify);
      typed.register(jaegerFastify, { ignorePaths: ['/health'], operationName: (request, route) => `${request.method} ${route}` });
      app = typed;
      app.get('/x', async () => {
        throw new Error('once');
      });
      const port = await listenApp(app);
      const { span } = await tracedRequest(reporter, port, '/x');
      assert.equal(span.logs.length, 1);
    });
  });
}
