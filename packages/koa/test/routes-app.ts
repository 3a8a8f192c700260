import { activeSpan, getServerSpan, traced } from '@jt/core';
import { serveListener, type FrameworkUnderTest } from '@jt/test-utils';
import { jaegerMiddleware, type KoaTracingOptions } from '../src/index';
import { loadKoa, type Any, type KoaModules, type Major } from './helpers';

/** What each route of the test app should be named, by request path (GET). */
export const ROUTE_NAMES: ReadonlyArray<readonly [string, string, string]> = [
  // [label, request path, expected operation name]
  ['plain route with a param', '/users/7', 'GET /users/:id'],
  ['nested router', '/api/items/5', 'GET /api/items/:itemId'],
  ['router nested under a path with a param', '/api/orgs/acme/members/9', 'GET /api/orgs/:org/members/:memberId'],
  ['prefixed router', '/v1/ping', 'GET /v1/ping'],
  ['prefixed router root', '/v1', 'GET /v1'],
];

/** The responses Koa itself gives to failures (the tracing must not change them). */
export const FAILURES = [
  { path: '/fail/throw', status: 500, body: 'Internal Server Error', message: 'thrown in handler', markedError: true },
  { path: '/fail/async', status: 500, body: 'Internal Server Error', message: 'rejected in handler', markedError: true },
  { path: '/fail/forbidden', status: 403, body: 'nope', message: 'nope', markedError: false },
] as const;

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One app with every routing shape the span names must cover; `explicit` puts `jaegerMiddleware()` first. */
export function buildApp({ Koa, Router }: KoaModules, explicit: boolean, options: KoaTracingOptions = {}): Any {
  const app = new Koa();
  app.silent = true; // Koa logs 5xx errors to stderr otherwise
  if (explicit) app.use(jaegerMiddleware(options));

  const router = new Router();
  router.get('/users/:id', (ctx: Any) => {
    ctx.body = { id: ctx.params.id };
  });
  router.get('/status/:code', (ctx: Any) => {
    ctx.status = Number(ctx.params.code);
    ctx.body = 'status';
  });
  router.get('/fail/throw', () => {
    throw new Error('thrown in handler');
  });
  router.get('/fail/async', async () => {
    await delay(1);
    throw new Error('rejected in handler');
  });
  router.get('/fail/forbidden', (ctx: Any) => ctx.throw(403, 'nope'));
  const whoIsActive = (ctx: Any) => {
    ctx.body = { active: activeSpan()?.spanId ?? null, server: getServerSpan(ctx.req)?.spanId ?? null, body: ctx.request.body ?? null };
  };
  router.get('/active', whoIsActive);
  // a body reader driven by the request's own 'data'/'end' events
  router.post(
    '/active/raw',
    (ctx: Any, next: Any) =>
      new Promise<void>((resolve, reject) => {
        let text = '';
        ctx.req.setEncoding('utf8');
        ctx.req.on('data', (chunk: string) => (text += chunk));
        ctx.req.on('end', () => {
          ctx.request.body = JSON.parse(text);
          // continue from inside the 'end' event, as callback-style parsers do
          next().then(resolve, reject);
        });
      }),
    whoIsActive,
  );
  router.get(
    '/traced/:id',
    traced('load-thing', async (ctx: Any) => {
      await delay(1);
      ctx.body = { active: activeSpan()?.operationName ?? null };
    }),
  );

  const api = new Router();
  api.get('/items/:itemId', (ctx: Any) => {
    ctx.body = { item: ctx.params.itemId };
  });
  const orgs = new Router();
  orgs.get('/members/:memberId', (ctx: Any) => {
    ctx.body = { org: ctx.params.org, member: ctx.params.memberId };
  });
  api.use('/orgs/:org', orgs.routes());
  router.use('/api', api.routes());

  const prefixed = new Router({ prefix: '/v1' });
  prefixed.get('/ping', (ctx: Any) => {
    ctx.body = 'pong';
  });
  prefixed.get('/', (ctx: Any) => {
    ctx.body = 'v1';
  });

  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use(prefixed.routes());
  return app;
}

/** Koa as the shared framework suites drive it: this major (with its @koa/router), loaded fresh, serving `buildApp`. */
export function koaUnderTest(major: Major): FrameworkUnderTest<Major, KoaModules> {
  return {
    name: 'koa',
    version: major,
    load: loadKoa,
    startApp: (koa, explicit) => serveListener(buildApp(koa, explicit).callback()),
  };
}
