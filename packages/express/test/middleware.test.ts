import assert from 'node:assert/strict';
import * as http from 'node:http';
import { InMemoryReporter, type Span } from '@jt/core';
import { jaegerErrorMiddleware, jaegerMiddleware } from '../src/index';
import { close, listen, loadExpress, MAJORS, request, serverSpans, tagsOf, tracedRequest, useTracer, waitFor, type ExpressModule } from './helpers';
import { buildApp } from './routes-app';
import { routingScenarios } from './scenarios';

for (const major of MAJORS) {
  describe(`@jt/express jaegerMiddleware() alone (${major.label}, no hook)`, () => {
    const reporter = new InMemoryReporter();
    let express: ExpressModule;
    let server: http.Server | undefined;
    let port = 0;

    before(() => {
      express = loadExpress(major);
    });
    beforeEach(async () => {
      useTracer(reporter);
      reporter.clear();
      server = http.createServer(buildApp(express, major.major, true));
      port = await listen(server);
    });
    afterEach(async () => {
      if (server !== undefined) await close(server);
      server = undefined;
    });

    it('makes one server span tagged by the middleware (component express)', async () => {
      const { span } = await tracedRequest(reporter, port, '/users/7?page=2');
      const tags = tagsOf(span);
      assert.equal(tags['span.kind'], 'server');
      assert.equal(tags['component'], 'express');
      assert.equal(tags['http.url'], `http://127.0.0.1:${port}/users/7?page=2`);
      assert.equal(span.parentId, null);
    });

    routingScenarios({ reporter, major, port: () => port });
  });

  describe(`@jt/express middleware options (${major.label})`, () => {
    const reporter = new InMemoryReporter();
    let express: ExpressModule;
    let server: http.Server | undefined;

    before(() => {
      express = loadExpress(major);
    });
    beforeEach(() => {
      useTracer(reporter);
      reporter.clear();
    });
    afterEach(async () => {
      if (server !== undefined) await close(server);
      server = undefined;
    });

    async function serve(app: unknown): Promise<number> {
      server = http.createServer(app as http.RequestListener);
      return listen(server);
    }

    it('ignorePaths, requestHook, responseHook, operationName and a tracer of its own', async () => {
      const own = new InMemoryReporter();
      const tracer = useTracer(own);
      useTracer(reporter); // the global one must not be used
      const seen: string[] = [];
      const app = buildApp(express, major.major, true, {
        tracer,
        ignorePaths: ['/users/1', /^\/admin\//],
        // annotated with the @types/express types: the hooks take them
        requestHook: (span: Span, req: import('express').Request) => {
          seen.push(`request ${req.url}`);
          span.setTag('tenant', String(req.headers['x-tenant']));
        },
        responseHook: (span: Span, res: import('express').Response) => {
          seen.push(`response ${res.statusCode}`);
          span.setTag('answered', res.statusCode);
        },
        operationName: (req: import('express').Request, route: string) => `${req.method.toLowerCase()}:${route}`,
      });
      const port = await serve(app);
      assert.equal((await request(port, '/users/1')).status, 200);
      assert.equal((await request(port, '/admin/stats')).status, 200);
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
      const app = express();
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
      app.get('/users/:id', (_req: unknown, res: { send(body: string): void }) => res.send('fine'));
      const port = await serve(app);
      const { reply, span } = await tracedRequest(reporter, port, '/users/3');
      assert.deepEqual(reply, { status: 200, body: 'fine' });
      assert.equal(span.operationName, 'GET /users/:id');
    });

    it('jaegerErrorMiddleware has arity 4 and passes the error on unchanged', async () => {
      const handler = jaegerErrorMiddleware();
      assert.equal(handler.length, 4);
      // typed as @types/express sees it: both middlewares fit app.use
      const app: import('express').Express = express();
      app.use(jaegerMiddleware());
      const failure = new Error('kept');
      app.get('/x', (_req, _res, next) => next(failure));
      app.use(handler);
      let received: unknown;
      app.use((err: unknown, _req: unknown, res: import('express').Response, _next: unknown) => {
        received = err;
        res.status(502).end();
      });
      const port = await serve(app);
      const { reply, span } = await tracedRequest(reporter, port, '/x');
      assert.equal(reply.status, 502);
      assert.equal(received, failure);
      assert.equal(tagsOf(span)['error'], true);
    });

    it('a middleware used twice (two apps, one mounted in the other) still makes one span', async () => {
      const inner = express();
      inner.use(jaegerMiddleware());
      inner.get('/deep/:id', (_req: unknown, res: { send(body: string): void }) => res.send('deep'));
      const outer = express();
      outer.use(jaegerMiddleware());
      outer.use('/inner', inner);
      const port = await serve(outer);
      const { span } = await tracedRequest(reporter, port, '/inner/deep/4');
      assert.equal(span.operationName, 'GET /inner/deep/:id');
      assert.equal(serverSpans(reporter).length, 1);
    });
  });
}
