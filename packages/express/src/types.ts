import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The parts of Express's request this package reads. Structural, so the package works with
 * express 4 and 5 without depending on either's types; an Express `Request` fits it.
 */
export interface ExpressRequest extends IncomingMessage {
  /** The matched route (set by the router once a route layer matches). */
  route?: { path?: unknown; stack?: unknown[] };
  /** The path the enclosing routers were mounted at, as requested (not the template). */
  baseUrl?: string;
  /** `req.url` before routers trimmed their mount paths off it. */
  originalUrl?: string;
  params?: Record<string, unknown>;
}

/** An Express `Response` fits this. */
export type ExpressResponse = ServerResponse;

/** What Express passes as `next`: `next()`, `next(err)`, `next('route')`, `next('router')`. */
export type NextFunction = (err?: unknown) => void;

/** A layer of an Express router stack (express 4 `lib/router/layer.js`, router 2 `lib/layer.js`). */
export interface LayerLike {
  handle?: unknown;
  name?: string;
  /** Set on the layer that dispatches to a `Route` (`app.get(path, ...)`). */
  route?: { path?: unknown };
  /** Present (possibly `undefined`) on the layers inside a `Route`. */
  method?: string;
  /** router >= 2.3 keeps the path the layer was created with. */
  rawPath?: unknown;
  /** express 4 / router < 2.3: the matched part of the path and its params, after `match`. */
  path?: unknown;
  keys?: Array<{ name?: unknown }>;
  params?: Record<string, unknown>;
  match?(path: string): unknown;
}
