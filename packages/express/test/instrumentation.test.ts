import assert from 'node:assert/strict';
import type * as http from 'node:http';
import { activeSpan, getServerSpan, httpServerInstrumentation, isWrapped, type InstrumentationHandle } from '@jt/core';
import {
  describeAutoModes,
  expectLaterIgnoreDrops,
  expectUntraced,
  request,
  serveListener,
  tagsOf,
  tracedRequest,
  tracingPerTest,
} from '@jt/test-utils';
import { expressInstrumentation, jaegerMiddleware } from '../src/index';
import { loadExpress, MAJORS, type ExpressModule } from './helpers';
import { expressUnderTest } from './routes-app';
import { routingScenarios } from './scenarios';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

for (const major of MAJORS) {
  describeAutoModes(expressUnderTest(major), {
    instrumentation: () => expressInstrumentation(),
    explicitLabel: 'jaegerMiddleware()',
    paths: ['/users/1', '/api/items/2', '/nothing/here', '/fail/next'],
    scenarios: routingScenarios,
  });

  describe(`@jt/express auto hook details (${major.label})`, () => {
    const { reporter, start, register: registerAll } = tracingPerTest();
    let handle: InstrumentationHandle | undefined;

    function serve(app: unknown): Promise<number> {
      return start(serveListener(app as http.RequestListener));
    }

    function register(options: Parameters<typeof expressInstrumentation>[0] = {}): ExpressModule {
      handle = registerAll([httpServerInstrumentation(), expressInstrumentation(options)]);
      return loadExpress(major);
    }

    it('names routes under mount paths with params, without mergeParams, and under arrays of such mounts', async () => {
      const express = register();
      const app = express();
      const shop = express.Router();
      shop.get('/items/:item', (_req: Any, res: Any) => res.send('item'));
      shop.get(['/list', '/all'], (_req: Any, res: Any) => res.send('list'));
      app.use('/shops/:shop', shop);
      const tenant = express.Router();
      tenant.get('/home', (_req: Any, res: Any) => res.send('home'));
      app.use(['/t/:tenant', '/tenants/:tenant/v/:version'], tenant);
      const port = await serve(app);
      const cases: Array<[string, string]> = [
        ['/shops/s-1/items/i-2', 'GET /shops/:shop/items/:item'],
        ['/shops/s-1/all', 'GET /shops/:shop/all'],
        ['/t/acme/home', 'GET /t/:tenant/home'],
        ['/tenants/acme/v/3/home', 'GET /tenants/:tenant/v/:version/home'],
      ];
      for (const [path, name] of cases) {
        const { reply, span } = await tracedRequest(reporter, port, path);
        assert.equal(reply.status, 200);
        assert.equal(span.operationName, name, path);
        assert.equal(tagsOf(span)['http.route'], name.substring(4));
      }
    });

    it('a route that passes the request on (next()) does not keep its name over the route that answers', async () => {
      const express = register();
      const app = express();
      const v1 = express.Router();
      v1.get('/users/:id', (_req: Any, _res: Any, next: Any) => next());
      app.use('/v1', v1);
      app.get('/v1/users/me', (_req: Any, res: Any) => res.send('me'));
      const port = await serve(app);
      const { span } = await tracedRequest(reporter, port, '/v1/users/me');
      assert.equal(span.operationName, 'GET /v1/users/me');
    });

    it('middlewareSpans: a span per middleware and handler, active while it runs; the rest stay siblings', async () => {
      const express = register({ middlewareSpans: true });
      const app = express();
      const seen: Record<string, string | undefined> = {};
      app.use(function auth(_req: Any, _res: Any, next: Any) {
        seen['auth'] = activeSpan()?.operationName;
        setTimeout(next, 1);
      });
      const api = express.Router();
      api.get('/things/:id', function loadThing(req: Any, _res: Any, next: Any) {
        seen['handler'] = activeSpan()?.operationName;
        next(req.params.id === 'bad' ? new Error('bad thing') : undefined);
      }, (_req: Any, res: Any) => {
        seen['second handler'] = activeSpan()?.operationName;
        res.send('ok');
      });
      app.use('/api', api);
      app.use(function onError(err: Any, _req: Any, res: Any, _next: Any) {
        seen['error handler'] = activeSpan()?.operationName;
        res.status(500).send(err.message);
      });
      const port = await serve(app);

      const good = await tracedRequest(reporter, port, '/api/things/1');
      assert.equal(good.span.operationName, 'GET /api/things/:id');
      assert.deepEqual(seen, {
        auth: 'middleware - auth',
        handler: 'request handler - /api/things/:id',
        'second handler': 'request handler - /api/things/:id',
      });
      const children = good.all.filter((s) => s !== good.span);
      assert.deepEqual(children.map((s) => s.operationName).sort(), [
        'middleware - auth',
        'request handler - /api/things/:id',
        'request handler - /api/things/:id',
      ]);
      for (const child of children) {
        assert.equal(child.parentId, good.span.spanId, `${child.operationName} is a child of the server span`);
        assert.equal(tagsOf(child)['component'], 'express');
      }
      assert.deepEqual(children.map((s) => tagsOf(s)['express.type']).sort(), ['middleware', 'request_handler', 'request_handler']);

      const bad = await tracedRequest(reporter, port, '/api/things/bad');
      assert.equal(bad.reply.status, 500);
      assert.equal((seen as Record<string, unknown>)['error handler'], 'error handler - onError');
      const failed = bad.all.find((s) => s.operationName === 'request handler - /api/things/:id');
      assert.equal(tagsOf(failed!)['error'], true);
      assert.ok(bad.all.some((s) => s.operationName === 'error handler - onError' && s.parentId === bad.span.spanId));
      assert.equal(tagsOf(bad.span)['error'], true);
    });

    it('gives later handlers the server span back after a middleware continued from a foreign context', async () => {
      const express = register();
      const app = express();
      // callbacks run from a timer started outside any request, as a pooled client's would
      const pending: Array<() => void> = [];
      const pump = setInterval(() => pending.splice(0).forEach((fn) => fn()), 2);
      try {
        app.use((_req: Any, _res: Any, next: Any) => pending.push(() => next()));
        app.get('/x', (req: Any, res: Any) => res.json({ active: activeSpan()?.spanId ?? null, server: getServerSpan(req)?.spanId }));
        const port = await serve(app);
        const { reply, span } = await tracedRequest(reporter, port, '/x');
        assert.deepEqual(JSON.parse(reply.body), { active: span.spanId, server: span.spanId });
      } finally {
        clearInterval(pump);
      }
    });

    if (major.major === 4) {
      it("passes express 4's own query and expressInit layers untracked once seen, never an app's middleware of those names", async () => {
        const express = register();
        const app = express();
        const api = express.Router();
        api.get('/items/:id', (_req: Any, res: Any) => res.send('ok'));
        app.use('/api', function query(_req: Any, _res: Any, next: Any) {
          next();
        }, api);
        // the app's own, at "/" like Express's: its 4xx error must still reach the span, with no error middleware after it
        app.use(function expressInit(req: Any, _res: Any, next: Any) {
          next(req.path === '/bad' ? Object.assign(new Error('q required'), { status: 400 }) : undefined);
        });
        app.get('/bad', (_req: Any, res: Any) => res.send('not reached'));
        const port = await serve(app);
        for (const id of ['1', '2']) {
          const { span } = await tracedRequest(reporter, port, `/api/items/${id}`);
          assert.equal(span.operationName, 'GET /api/items/:id');
        }
        // twice: the first request through a layer is the one that looks at it
        for (let i = 0; i < 2; i++) {
          const failed = await tracedRequest(reporter, port, '/bad');
          assert.equal(failed.reply.status, 400);
          assert.ok(failed.span.logs.some((log) => log.fields.some((f) => f.key === 'message' && f.value === 'q required')), `request ${i + 1}: the error's log`);
        }
        const untracked = (layer: Any): boolean => Object.getOwnPropertySymbols(layer).some((s) => String(s) === 'Symbol(jt.express.untracked)');
        assert.deepEqual(
          app._router.stack.map((layer: Any) => [layer.name, untracked(layer)]),
          [['query', true], ['expressInit', true], ['query', false], ['router', false], ['expressInit', false], ['bound dispatch', false]],
        );
      });
    }

    it("records an error a route's handler passes on, thrown or to next(err), also when no error middleware answers", async () => {
      const express = register();
      const app = express();
      app.get('/next', (_req: Any, _res: Any, next: Any) => next(new Error('passed on')), (_req: Any, res: Any) => res.send('not reached'));
      app.get('/throw', (_req: Any, _res: Any, next: Any) => next(), () => {
        throw new Error('thrown');
      });
      const port = await serve(app);
      for (const [path, message] of [['/next', 'passed on'], ['/throw', 'thrown']] as const) {
        // twice: the first request through a layer also computes what it remembers
        for (let i = 0; i < 2; i++) {
          const { reply, span } = await tracedRequest(reporter, port, path);
          assert.equal(reply.status, 500, 'Express answers itself');
          assert.equal(span.operationName, `GET ${path}`);
          assert.equal(tagsOf(span)['error'], true);
          assert.ok(span.logs.some((log) => log.fields.some((f) => f.key === 'message' && f.value === message)), `${path}: the error's log`);
        }
      }
    });

    it('without middlewareSpans only the server span is reported', async () => {
      const express = register();
      const app = express();
      app.use((_req: Any, _res: Any, next: Any) => next());
      app.get('/x', (_req: Any, res: Any) => res.send('x'));
      const port = await serve(app);
      const { all } = await tracedRequest(reporter, port, '/x');
      assert.equal(all.length, 1);
    });

    it('keeps error middleware arity: Express still tells (err, req, res, next) handlers apart', async () => {
      const express = register({ middlewareSpans: true });
      const app = express();
      const calls: string[] = [];
      app.get('/boom', () => {
        throw new Error('boom');
      });
      app.use((_req: Any, _res: Any, next: Any) => {
        calls.push('plain middleware');
        next();
      });
      app.use((err: Any, _req: Any, res: Any, _next: Any) => {
        calls.push(`error handler: ${err.message}`);
        res.status(500).send('handled');
      });
      const port = await serve(app);
      const reply = await request(port, '/boom');
      assert.deepEqual(reply, { status: 500, body: 'handled' });
      assert.deepEqual(calls, ['error handler: boom']);
    });

    it('ignorePaths of the express hook drops a span the http hook had started', async () => {
      const express = register({ ignorePaths: ['/health'] });
      const app = express();
      app.get('/health', (_req: Any, res: Any) => res.send('ok'));
      app.get('/work', (_req: Any, res: Any) => res.send('ok'));
      await expectLaterIgnoreDrops(reporter, await serve(app), 'GET /work');
    });

    it('unregister() restores Express: no wrappers left, requests no longer traced', async () => {
      const express = register();
      const app = express();
      app.get('/x', (_req: Any, res: Any) => res.send('x'));
      const layer = (app._router ?? app.router).stack.find((l: Any) => l.route !== undefined);
      const proto = Object.getPrototypeOf(layer);
      const requestMethod = major.major === 4 ? 'handle_request' : 'handleRequest';
      assert.equal(isWrapped(proto[requestMethod]), true);
      handle!.unregister();
      assert.equal(isWrapped(proto[requestMethod]), false);
      await expectUntraced(reporter, await serve(app));
    });

    it('jaegerMiddleware() inside a hooked app takes no span of its own', async () => {
      const express = register({ middlewareSpans: true });
      const app = express();
      app.use(jaegerMiddleware());
      app.get('/x', (_req: Any, res: Any) => res.send('x'));
      const port = await serve(app);
      const { all, span } = await tracedRequest(reporter, port, '/x');
      assert.deepEqual(all.map((s) => s.operationName).sort(), ['GET /x', 'request handler - /x']);
      assert.equal(span.operationName, 'GET /x');
    });
  });
}
