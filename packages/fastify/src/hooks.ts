import { activeSpan, safeExecute, withSpan, type Span } from '@jt/core';
import type { ResolvedOptions } from './options';
import { nameFromRoute, recordRequestError, requestState, traceRequest } from './request-state';
import type { FastifyInstanceLike, FastifyReplyLike, FastifyRequestLike, HookDone } from './types';

/** Marks an instance (and, by prototype, its child contexts) whose requests are already traced. */
const TRACED = Symbol.for('jt.fastify.traced');

/**
 * Adds the tracing hooks to `instance` unless it (or the context it was made from) has them:
 * `onRequest` starts or joins the server span and names it by the route template,
 * `preHandler` makes sure the handler runs with it active, `onError` records the error.
 * Returns false when the instance was already traced.
 */
export function addTracingHooks(instance: FastifyInstanceLike, options: ResolvedOptions): boolean {
  const marked = instance as unknown as Record<PropertyKey, unknown>;
  if (marked[TRACED] === true) return false;
  Object.defineProperty(instance, TRACED, { value: true, configurable: true });

  instance.addHook('onRequest', function jaegerOnRequest(request: FastifyRequestLike, reply: FastifyReplyLike, done: HookDone) {
    const state = options.enabled ? safeExecute(() => traceRequest(request, reply, options)) : undefined;
    if (state === undefined) return done();
    safeExecute(() => nameFromRoute(state, request));
    return continueIn(state.span, done);
  });
  // a hook that continued from another context (a pooled client's callback): the handler gets the span back
  instance.addHook('preHandler', function jaegerPreHandler(request: FastifyRequestLike, _reply: FastifyReplyLike, done: HookDone) {
    const state = requestState(request.raw);
    if (state === undefined) return done();
    return continueIn(state.span, done);
  });
  instance.addHook(
    'onError',
    function jaegerOnError(request: FastifyRequestLike, _reply: FastifyReplyLike, error: unknown, done: HookDone) {
      const state = requestState(request.raw);
      if (state !== undefined) safeExecute(() => recordRequestError(request, error));
      done();
    },
  );
  return true;
}

function continueIn(span: Span, done: HookDone): void {
  const entry = activeSpan();
  if (entry !== undefined && entry.traceId === span.traceId) return done();
  return withSpan(span, () => done());
}
