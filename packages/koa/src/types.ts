import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The parts of a Koa context this package reads. Structural, so koa 2 and 3 (and their
 * typings) fit without this package depending on either; a Koa `Context` fits it.
 */
export interface KoaContextLike {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** The response status Koa will send (404 until something answers). */
  status: number;
  /** Set by @koa/router: the template of the matched route, prefixes included. */
  _matchedRoute?: string | RegExp;
}

/** Koa's `next`: runs the rest of the middleware chain. */
export type KoaNext = () => Promise<unknown>;
