import { activeSpan, getServerSpan, traced } from '@jt/core';
import { serveListener, type FrameworkUnderTest } from '@jt/test-utils';
import { jaegerErrorMiddleware, jaegerMiddleware, type ExpressTracingOptions } from '../src/index';
import { loadExpress, type ExpressModule, type Major } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** What each route of the test app should be named, by request path (GET). */
export const ROUTE_NAMES: ReadonlyArray<readonly [string, string, string]> = [
  // [label, request path, expected operation name]
  ['plain route with a param', '/users/7', 'GET /users/:id'],
  ['array of paths (second alternative)', '/persons/3', 'GET /persons/:pid'],
  ['nested router', '/api/items/5', 'GET /api/items/:itemId'],
  ['router mounted at a path with a param (mergeParams)', '/api/orgs/acme/members/9', 'GET /api/orgs/:org/members/:memberId'],
  ['mounted sub-app', '/admin/stats', 'GET /admin/stats'],
  ['router mounted at an array of paths', '/v2/ping', 'GET /v2/ping'],
  ['route on the router root', '/api', 'GET /api'],
  ['regular expression route', '/files/a.txt', `GET ${String(/^\/files\/(.+)$/)}`],
];

/**
 * One app with every routing shape the span names must cover. `explicit` puts
 * `jaegerMiddleware()` first and `jaegerErrorMiddleware()` before the app's error handler.
 */
export function buildApp(express: ExpressModule, major: number, explicit: boolean, options: ExpressTracingOptions = {}): Any {
  const app = express();
  if (explicit) app.use(jaegerMiddleware(options));

  app.get('/users/:id', (req: Any, res: Any) => res.json({ id: req.params.id }));
  app.get(['/people/:pid', '/persons/:pid'], (req: Any, res: Any) => res.json({ pid: req.params.pid }));

  const api = express.Router();
  api.get('/', (_req: Any, res: Any) => res.send('api root'));
  api.get('/items/:itemId', (req: Any, res: Any) => res.json({ item: req.params.itemId }));
  const orgs = express.Router({ mergeParams: true });
  orgs.get('/members/:memberId', (req: Any, res: Any) => res.json({ org: req.params.org, member: req.params.memberId }));
  api.use('/orgs/:org', orgs);
  app.use('/api', api);

  const admin = express();
  admin.get('/stats', (_req: Any, res: Any) => res.send('stats'));
  app.use('/admin', admin);

  const versioned = express.Router();
  versioned.get('/ping', (_req: Any, res: Any) => res.send('pong'));
  app.use(['/v1', '/v2'], versioned);

  app.get(/^\/files\/(.+)$/, (_req: Any, res: Any) => res.send('file'));
  app.get('/status/:code', (req: Any, res: Any) => res.status(Number(req.params.code)).send('status'));
  app.get('/fail/next', (_req: Any, _res: Any, next: Any) => next(new Error('passed to next')));
  app.get('/fail/throw', () => {
    throw new Error('thrown in handler');
  });
  app.get('/fail/teapot', (_req: Any, _res: Any, next: Any) => next(Object.assign(new Error('short and stout'), { status: 418 })));
  if (major >= 5) {
    app.get('/fail/async', async () => {
      await new Promise((r) => setTimeout(r, 1));
      throw new Error('rejected in handler');
    });
  }
  // what the handler sees as the active span, also after a body was read in later socket events
  const whoIsActive = (req: Any, res: Any) =>
    res.json({ active: activeSpan()?.spanId ?? null, server: getServerSpan(req)?.spanId ?? null, body: req.body ?? null });
  app.get('/active', whoIsActive);
  app.post('/active', express.json(), whoIsActive);
  // a body reader that calls next() from the request's own 'end' event (as busboy-based parsers do)
  app.post('/active/raw', function readBody(req: Any, _res: Any, next: Any) {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      req.body = JSON.parse(text);
      next();
    });
  }, whoIsActive);
  app.get(
    '/traced/:id',
    traced('load-thing', async function loadThing(req: Any, res: Any) {
      await new Promise((r) => setTimeout(r, 1));
      res.json({ active: activeSpan()?.operationName ?? null });
    }),
  );

  if (explicit) app.use(jaegerErrorMiddleware());
  // a 4-argument error handler, wrapped by traced(): Express must still see it as one
  app.use(
    traced('handle-error', function errorHandler(err: Any, _req: Any, res: Any, _next: Any) {
      res.status(err.status ?? 500).json({ error: err.message });
    }),
  );
  return app;
}

/** Express as the shared framework suites drive it: this major, loaded fresh, serving `buildApp`. */
export function expressUnderTest(major: Major): FrameworkUnderTest<Major, ExpressModule> {
  return {
    name: 'express',
    version: major,
    load: loadExpress,
    startApp: (express, explicit) => serveListener(buildApp(express, major.major, explicit)),
  };
}
