import { requestPath } from '@jt/core';
import type { ExpressRequest, LayerLike } from './types';

/**
 * Route templates: how a path given to `app.use` / `app.get` is written in a span name, and
 * how the templates of nested routers join into one (`/api` + `/users/:id`).
 */

/** `['/api', '/', '/users/:id']` -> `/api/users/:id`; `[]` -> `/`. */
export function joinTemplates(parts: readonly string[]): string {
  let out = '';
  for (const part of parts) out = appendTemplate(out, part);
  return out === '' ? '/' : out;
}

/** `base` and one more template, one slash between; `''` and `'/'` add nothing. */
export function appendTemplate(base: string, part: string): string {
  if (part === '' || part === '/') return base;
  const trimmed = base.endsWith('/') ? base.substring(0, base.length - 1) : base;
  return trimmed + (part.startsWith('/') ? part : `/${part}`);
}

/** A single path as written by the app: strings as they are, RegExps by their source form. */
export function renderPath(path: unknown): string {
  if (typeof path === 'string') return path;
  if (path instanceof RegExp) return String(path);
  if (Array.isArray(path)) return path.flat(Infinity).map(renderPath).join(',');
  return path === undefined || path === null ? '' : String(path);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LayerConstructor = new (path: unknown, options: object, fn: (...args: any[]) => unknown) => LayerLike;

interface Alternative {
  template: string;
  matcher: LayerLike | undefined;
}

/** Per (layer or route, end) the compiled alternatives of an array path, made on first use. */
const alternativesCache = new WeakMap<object, Alternative[]>();

/**
 * The template of `path` as it matched `target`. For an array of paths that is the first
 * alternative matching `target` (tested with a layer made by the router's own `Layer`
 * class, so the router's path syntax applies); if none can be told apart, all of them.
 */
export function chooseTemplate(
  owner: object,
  path: unknown,
  target: string,
  end: boolean,
  Layer: LayerConstructor | undefined,
): string {
  if (!Array.isArray(path)) return renderPath(path);
  const flat = path.flat(Infinity) as unknown[];
  if (flat.length === 1) return renderPath(flat[0]);
  let alternatives = alternativesCache.get(owner);
  if (alternatives === undefined) {
    alternatives = flat.map((alternative) => ({ template: renderPath(alternative), matcher: makeMatcher(Layer, alternative, end) }));
    alternativesCache.set(owner, alternatives);
  }
  for (const alternative of alternatives) {
    if (alternative.matcher === undefined) continue;
    try {
      if (alternative.matcher.match?.(target)) return alternative.template;
    } catch {
      // a path the router cannot match (bad encoding): try the next one
    }
  }
  return renderPath(flat);
}

function makeMatcher(Layer: LayerConstructor | undefined, path: unknown, end: boolean): LayerLike | undefined {
  if (Layer === undefined) return undefined;
  try {
    return new Layer(path, { end, strict: false, sensitive: false }, function alternative() {});
  } catch {
    return undefined;
  }
}

/** The `Layer` class a layer object was made by (for matching alternatives the same way). */
export function layerClassOf(layer: unknown): LayerConstructor | undefined {
  if (layer === null || typeof layer !== 'object') return undefined;
  const ctor = (layer as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && typeof (ctor.prototype as LayerLike | undefined)?.match === 'function'
    ? (ctor as LayerConstructor)
    : undefined;
}

/**
 * The route of a request from what Express leaves on it (used when no hook watched the
 * layers: the explicit middleware alone): `req.baseUrl` plus `req.route.path`. The mount
 * path in `baseUrl` is the requested one, so segments equal to a known param value are
 * written back as `:name` (mount params are in `req.params` with `mergeParams`).
 */
export function routeFromRequest(req: ExpressRequest): string | undefined {
  const route = req.route;
  if (route === undefined || route === null || typeof route !== 'object') return undefined;
  const baseUrl = typeof req.baseUrl === 'string' ? req.baseUrl : '';
  const path = route.path;
  let routeTemplate: string;
  if (Array.isArray(path)) {
    const full = requestPath(typeof req.originalUrl === 'string' ? req.originalUrl : req.url);
    const rest = full.startsWith(baseUrl) ? full.substring(baseUrl.length) || '/' : full;
    routeTemplate = chooseTemplate(route, path, rest, true, layerClassOf(route.stack?.[0]));
  } else {
    routeTemplate = renderPath(path);
  }
  const base = baseUrl === '' ? '' : templateOfBaseUrl(baseUrl, req.params, paramNamesOf(routeTemplate));
  return joinTemplates([base, routeTemplate]);
}

/** `/orgs/acme` with params `{org: 'acme'}` -> `/orgs/:org` (whole segments, each param once). */
export function templateOfBaseUrl(
  baseUrl: string,
  params: Record<string, unknown> | undefined,
  exclude: ReadonlySet<string> = new Set(),
): string {
  if (params === undefined || params === null || typeof params !== 'object') return baseUrl;
  const candidates: Array<[string, string]> = [];
  for (const name of Object.keys(params)) {
    const value = params[name];
    // numeric keys are unnamed RegExp groups: no name to write back
    if (exclude.has(name) || /^\d+$/.test(name) || typeof value !== 'string' || value === '') continue;
    candidates.push([name, value]);
  }
  if (candidates.length === 0) return baseUrl;
  const segments = baseUrl.split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = safeDecode(segments[i]!);
    const at = candidates.findIndex(([, value]) => value === segment);
    if (at === -1) continue;
    segments[i] = `:${candidates[at]![0]}`;
    candidates.splice(at, 1);
  }
  return segments.join('/');
}

function paramNamesOf(template: string): Set<string> {
  const names = new Set<string>();
  for (const match of template.matchAll(/[:*]([A-Za-z_$][\w$]*)/g)) names.add(match[1]!);
  return names;
}

function safeDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
