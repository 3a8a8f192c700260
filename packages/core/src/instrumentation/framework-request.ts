import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '../span';
import { safeExecute } from './safe-execute';
import { joinServerSpan, onServerSpanEnd, type ServerSpanOptions } from './server-span';

/**
 * What a framework integration (express, koa, fastify) keeps about each request it traces,
 * made once when it first joins the request's server span. One store per integration name,
 * shared by every copy of the integration loaded in the process (a global symbol), so its
 * middleware and its auto hook agree even when they come from two installs.
 */
export class ServerRequestStates<S extends object> {
  /** `null`: the integration saw the request and leaves it untraced (ignored path). */
  private readonly states: WeakMap<IncomingMessage, S | null>;

  /** `key` names the store, e.g. `jt.koa.requests`. */
  constructor(key: string) {
    const holder = globalThis as Record<symbol, WeakMap<IncomingMessage, S | null> | undefined>;
    this.states = holder[Symbol.for(key)] ??= new WeakMap();
  }

  /** The request's state if it is traced, without starting anything. */
  get(req: IncomingMessage): S | undefined {
    return this.states.get(req) ?? undefined;
  }

  /**
   * The request's state; the first call joins (or starts) the server span
   * (`joinServerSpan`, so this integration's `ignorePaths` apply) and makes the state with
   * `create(span)`, which may run the integration's hooks. `undefined` when untraced.
   */
  join(req: IncomingMessage, res: ServerResponse, options: ServerSpanOptions, create: (span: Span) => S): S | undefined {
    const known = this.states.get(req);
    if (known !== undefined) return known ?? undefined;
    const span = joinServerSpan(req, res, options);
    if (span === undefined) {
      this.states.set(req, null);
      return undefined;
    }
    const state = create(span);
    this.states.set(req, state);
    return state;
  }
}

/** A framework user's hooks, typed by what the framework hands them (its request, reply, context). */
export interface FrameworkSpanHooks<Q, R> {
  requestHook?(span: Span, request: Q): void;
  responseHook?(span: Span, response: R): void;
}

/**
 * Runs a framework user's `requestHook(span, request)` now and its `responseHook(span,
 * response)` just before the server span finishes (`onServerSpanEnd`), also when another
 * caller (the http hook) started the span. A throwing hook is logged once, never rethrown.
 */
export function runFrameworkSpanHooks<Q, R>(
  req: IncomingMessage,
  span: Span,
  hooks: FrameworkSpanHooks<Q, R>,
  request: Q,
  response: R,
): void {
  const onRequest = hooks.requestHook;
  if (onRequest !== undefined) {
    safeExecute(function requestHook() {
      onRequest(span, request);
    });
  }
  const onResponse = hooks.responseHook;
  if (onResponse !== undefined) {
    onServerSpanEnd(req, function responseHook() {
      onResponse(span, response);
    });
  }
}
