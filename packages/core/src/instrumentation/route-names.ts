/**
 * Server span names from a route template: `GET /users/:id`. The same few names serve every
 * request, so each is made once per template and method and kept in a bounded map. Only
 * templates short enough to be templates are kept: a route made from the request itself (a
 * mount path as requested) must not fill memory.
 */

/** Templates kept; later ones are named afresh each time. */
export const MAX_CACHED_ROUTES = 1000;
/** Methods kept per template. */
export const MAX_METHODS_PER_ROUTE = 16;
/** Longer routes are named afresh each time (at most ~2 MB of names are ever kept). */
export const MAX_CACHED_ROUTE_LENGTH = 120;

const routeNames = new Map<string, Map<string, string>>();

/** `${method} ${route}`, the default server span name once a framework matched a route. */
export function routeOperationName(method: string, route: string): string {
  if (route.length > MAX_CACHED_ROUTE_LENGTH) return `${method} ${route}`;
  let byMethod = routeNames.get(route);
  if (byMethod === undefined) {
    if (routeNames.size >= MAX_CACHED_ROUTES) return `${method} ${route}`;
    byMethod = new Map();
    routeNames.set(route, byMethod);
  }
  let name = byMethod.get(method);
  if (name === undefined) {
    name = `${method} ${route}`;
    if (byMethod.size < MAX_METHODS_PER_ROUTE && method.length <= MAX_CACHED_ROUTE_LENGTH) byMethod.set(method, name);
  }
  return name;
}

/** Templates currently kept (for tests of the bounds). */
export function cachedRouteCount(): number {
  return routeNames.size;
}
