import assert from 'node:assert/strict';
import {
  cachedRouteCount,
  MAX_CACHED_ROUTE_LENGTH,
  MAX_CACHED_ROUTES,
  routeOperationName,
} from '../../src/instrumentation/route-names';

describe('route operation names', () => {
  it('names `METHOD route`, the same string for the same template and method', () => {
    const first = routeOperationName('GET', '/users/:id');
    assert.equal(first, 'GET /users/:id');
    assert.equal(routeOperationName('GET', '/users/:id'), first);
    assert.equal(routeOperationName('DELETE', '/users/:id'), 'DELETE /users/:id');
  });

  it('never keeps a route longer than a template (a path as requested must not fill memory)', () => {
    const before = cachedRouteCount();
    const long = `/t/${'x'.repeat(4000)}/users/:id`;
    assert.equal(routeOperationName('GET', long), `GET ${long}`);
    assert.equal(routeOperationName('GET', `/${'y'.repeat(MAX_CACHED_ROUTE_LENGTH)}`), `GET /${'y'.repeat(MAX_CACHED_ROUTE_LENGTH)}`);
    assert.equal(cachedRouteCount(), before);
  });

  it('keeps at most MAX_CACHED_ROUTES templates and still names the ones beyond', () => {
    for (let i = 0; i < MAX_CACHED_ROUTES + 50; i++) assert.equal(routeOperationName('GET', `/r${i}`), `GET /r${i}`);
    assert.ok(cachedRouteCount() <= MAX_CACHED_ROUTES);
  });
});
