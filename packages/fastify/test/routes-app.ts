import { activeSpan, getServerSpan, traced } from '@jt/core';
import type { FrameworkUnderTest } from '@jt/test-utils';
import { jaegerFastify, type FastifyTracingOptions } from '../src/index';
import { loadFastify, startFastify, type Any, type Major } from './helpers';

/** What each route of the test app should be named, by request path (GET). */
export const ROUTE_NAMES: ReadonlyArray<readonly [string, string, string]> = [
  // [label, request path, expected operation name]
  ['plain route with a param', '/users/7', 'GET /users/:id'],
  ['route of a prefixed plugin', '/api/items/5', 'GET /api/items/:itemId'],
  ['route of a plugin nested under a prefix with a param', '/api/orgs/acme/members/9', 'GET /api/orgs/:org/members/:memberId'],
  ['wildcard route', '/files/a/b.txt', 'GET /files/*'],
];

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The failures the app answers (Fastify's own error responses; tracing must not change them). */
export const FAILURES = [
  { path: '/fail/throw', status: 500, message: 'thrown in handler', markedError: true },
  { path: '/fail/async', status: 500, message: 'rejected in handler', markedError: true },
  { path: '/fail/forbidden', status: 403, message: 'nope', markedError: false },
] as const;

/** One app with every routing shape the span names must cover; `explicit` registers `jaegerFastify` first. */
export function buildApp(fastify: Any, explicit: boolean, options: FastifyTracingOptions = {}): Any {
  const app = fastify({ logger: false });
  if (explicit) app.register(jaegerFastify, options);

  app.get('/users/:id', async (request: Any) => ({ id: request.params.id }));
  app.register(
    async (api: Any) => {
      api.get('/items/:itemId', async (request: Any) => ({ item: request.params.itemId }));
      api.register(
        async (orgs: Any) => {
          orgs.get('/members/:memberId', async (request: Any) => ({ org: request.params.org, member: request.params.memberId }));
        },
        { prefix: '/orgs/:org' },
      );
    },
    { prefix: '/api' },
  );
  app.get('/files/*', async () => 'file');
  app.get('/status/:code', (request: Any, reply: Any) => {
    reply.code(Number(request.params.code)).send('status');
  });
  app.get('/fail/throw', () => {
    throw new Error('thrown in handler');
  });
  app.get('/fail/async', async () => {
    await delay(1);
    throw new Error('rejected in handler');
  });
  app.get('/fail/forbidden', async () => {
    throw Object.assign(new Error('nope'), { statusCode: 403 });
  });
  const whoIsActive = async (request: Any) => ({
    active: activeSpan()?.spanId ?? null,
    server: getServerSpan(request.raw)?.spanId ?? null,
    body: request.body ?? null,
  });
  app.get('/active', whoIsActive);
  // a hook that continues from a timer started outside any request, as pooled clients do:
  // the request's context is lost until something puts it back
  const pending: Array<() => void> = [];
  const pump = setInterval(() => pending.splice(0).forEach((fn) => fn()), 2);
  pump.unref();
  app.addHook('onClose', (_instance: Any, done: () => void) => {
    clearInterval(pump);
    done();
  });
  app.get('/active/queued', { preValidation: (_request: Any, _reply: Any, done: () => void) => pending.push(done) }, whoIsActive);
  // Fastify's own JSON parser reads the body from the request's events
  app.post('/active', whoIsActive);
  app.get(
    '/traced/:id',
    traced('load-thing', async () => {
      await delay(1);
      return { active: activeSpan()?.operationName ?? null };
    }),
  );
  return app;
}

/** Fastify as the shared framework suites drive it: this version, loaded fresh, serving `buildApp`. */
export function fastifyUnderTest(major: Major): FrameworkUnderTest<Major, Any> {
  return {
    name: 'fastify',
    version: major,
    load: loadFastify,
    startApp: (fastify, explicit) => startFastify(buildApp(fastify, explicit)),
  };
}
