import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The parts of Fastify's request, reply and instance this package uses. Structural, so
 * fastify 4 and 5 (and their typings) fit without this package depending on either.
 */
export interface FastifyRequestLike {
  raw: IncomingMessage;
  method: string;
  /** fastify >= 4.10: the matched route's options; `url` is its template, prefixes included. */
  routeOptions?: { url?: string };
  /** Older fastify 4: the matched route's template (deprecated later, so read only as a fallback). */
  routerPath?: string;
}

export interface FastifyReplyLike {
  raw: ServerResponse;
  statusCode: number;
}

/** A Fastify instance as this package uses it. */
export interface FastifyInstanceLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  addHook(name: string, hook: (...args: any[]) => unknown): unknown;
}

/** Fastify's hook continuation. */
export type HookDone = (err?: Error) => void;
