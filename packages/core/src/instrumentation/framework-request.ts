import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '../span';
import type { Tracer } from '../tracer';
import type { PathMatcher } from './path-matchers';
import { safeExecute } from './safe-execute';
import { joinServerSpan, onServerSpanEnd, type ServerSpanOptions } from './server-span';

/** A request seen by integrations: their states under their symbols. */
type Holder<S> = Record<symbol, S | null | undefined>;

/**
 * What a framework integration (express, koa, fastify) keeps about each request it traces,
 * made once when it first joins the request's server span. Kept on the request under a
 * global symbol named by the integration (`Symbol.for(key)`), so every copy of the
 * integration loaded in the process agrees (its middleware and its auto hook, even from two
 * installs), and no WeakMap entry per request burdens the GC.
 */
export class ServerRequestStates<S extends object> {
  /** The property; `null` in it: the integration saw the request and leaves it untraced. */
  private readonly key: symbol;

  /** `key` names the store, e.g. `jt.koa.requests`. */
  constructor(key: string) {
    this.key = Symbol.for(key);
  }

  /** The request's state if it is traced, without starting anything. */
  get(req: IncomingMessage): S | undefined {
    return this.peek(req) ?? undefined;
  }

  /**
   * What is known without starting anything: the state, `null` (seen, left untraced) or
   * `undefined` (not seen yet). Lets a caller that runs per middleware layer skip making the
   * `create` closure for `join` on every call.
   */
  peek(req: IncomingMessage): S | null | undefined {
    return (req as unknown as Holder<S>)[this.key];
  }

  /**
   * The request's state; the first call joins (or starts) the server span
   * (`joinServerSpan`, so this integration's `ignorePaths` apply) and makes the state with
   * `create(span)`, which may run the integration's hooks. `undefined` when untraced.
   */
  join(req: IncomingMessage, res: ServerResponse, options: ServerSpanOptions, create: (span: Span) => S): S | undefined {
    const known = this.peek(req);
    if (known !== undefined) return known ?? undefined;
    const holder = req as unknown as Holder<S>;
    const span = joinServerSpan(req, res, options);
    if (span === undefined) {
      holder[this.key] = null;
      return undefined;
    }
    const state = create(span);
    holder[this.key] = state;
    return state;
  }
}

/** A framework user's hooks, typed by what the framework hands them (its request, reply, context). */
export interface FrameworkSpanHooks<Q, R> {
  requestHook?(span: Span, request: Q): void;
  responseHook?(span: Span, response: R): void;
}

/**
 * The options every framework integration takes (its middleware or plugin, and its auto
 * hook), typed by what the framework hands the hooks: its request `Q` and response `R` (Koa:
 * the context for both). Hooks are methods, so callbacks annotated with the framework's own
 * types fit.
 */
export interface FrameworkTracingOptions<Q, R = Q> {
  /** Tracer for the server span. Default: the global tracer (`getTracer()`), looked up per request. */
  tracer?: Tracer;
  /**
   * Requests to leave untraced: exact paths, `'/static/*'` prefixes, RegExps or predicates,
   * matched on the path without query. Default: none. When another hook (the http server hook)
   * already started the span, a match here drops it (`sampling.priority = 0`).
   */
  ignorePaths?: PathMatcher | readonly PathMatcher[];
  /** Called once per request when the integration first sees it, with the server span. */
  requestHook?(span: Span, request: Q): void;
  /** Called once per request just before the server span finishes. */
  responseHook?(span: Span, response: R): void;
  /**
   * Name of the server span once the route is known. Default: `` `${method} ${route}` ``,
   * e.g. `GET /users/:id`. Requests no route matched keep the method as their name.
   */
  operationName?(request: Q, route: string): string;
  /** Request headers recorded as `http.request.header.<name>` tags. Default: none. */
  captureRequestHeaders?: readonly string[];
  /** Response headers recorded as `http.response.header.<name>` tags. Default: none. */
  captureResponseHeaders?: readonly string[];
}

/**
 * The server-span options of an integration: its `component` tag, and the user's tracer,
 * `ignorePaths` and header capture (the hooks and naming are the integration's to run).
 */
export function frameworkServerSpanOptions(
  component: string,
  options: Pick<FrameworkTracingOptions<unknown>, 'tracer' | 'ignorePaths' | 'captureRequestHeaders' | 'captureResponseHeaders'>,
): ServerSpanOptions {
  return {
    tracer: options.tracer,
    component,
    ignorePaths: options.ignorePaths,
    captureRequestHeaders: options.captureRequestHeaders,
    captureResponseHeaders: options.captureResponseHeaders,
  };
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

/**
 * A framework user's `operationName(request, route)` as the `customName` that
 * `nameServerSpanByRoute` takes. A function of its own so that the caller, which runs per
 * request, allocates nothing when the option is not set.
 */
export function bindOperationName<Q>(operationName: (request: Q, route: string) => unknown, request: Q): (route: string) => unknown {
  return (route) => operationName(request, route);
}
