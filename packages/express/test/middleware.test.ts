import assert from 'node:assert/strict';
import type * as http from 'node:http';
import type { Span } from '@jt/core';
import {
  describeExplicitAlone,
  expectOptionsHonoured,
  expectThrowingHooksHarmless,
  serverSpans,
  serveListener,
  tagsOf,
  THROWING_HOOKS,
  tracedRequest,
  tracingPerTest,
} from '@jt/test-utils';
import { jaegerErrorMiddleware, jaegerMiddleware } from '../src/index';
import { loadExpress, MAJORS, type ExpressModule } from './helpers';
import { buildApp, expressUnderTest } from './routes-app';
import { routingScenarios } from './scenarios';

for (const major of MAJORS) {
  describeExplicitAlone(expressUnderTest(major), { label: 'jaegerMiddleware()', noun: 'middleware', scenarios: routingScenarios });

  describe(`@jt/express middleware options (${major.label})`, () => {
    const { reporter, start } = tracingPerTest();
    let express: ExpressModule;

    before(() => {
      express = loadExpress(major);
    });

    function serve(app: unknown): Promise<number> {
      return start(serveListener(app as http.RequestListener));
    }

    it('ignorePaths, requestHook, responseHook, operationName and a tracer of its own', () =>
      expectOptionsHonoured(reporter, ['/users/1', '/admin/stats'], ({ tracer, seen }) => {
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
        return serve(app);
      }));

    it('throwing user hooks do not break the request', async () => {
      const app = express();
      app.use(jaegerMiddleware(THROWING_HOOKS));
      app.get('/users/:id', (_req: unknown, res: { send(body: string): void }) => res.send('fine'));
      await expectThrowingHooksHarmless(reporter, await serve(app));
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
