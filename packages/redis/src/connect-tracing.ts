import { afterSettled, isThenable, startClientSpan, type Span, type WrapperFactory } from '@jt/core';
import { connectionTags, type OptionsRef } from './connection-tags';
import type { AnyFunction, ClientShape } from './ioredis-shapes';

/** A client's connection attempts in flight, and the `connect` span of the newest one. */
interface ConnectState {
  pending: number;
  span: Span | undefined;
}

const connectStates = new WeakMap<object, ConnectState>();

/**
 * Commands ioredis sends by itself while a connection is being set up: in `connectHandler`
 * (status `connect`: AUTH/HELLO, SELECT, CLIENT, the INFO ready check) and in `readyHandler`
 * (status `ready`, same tick: READONLY, SELECT, re-subscribes, MONITOR).
 */
const SETUP_COMMANDS = new Set([
  'AUTH', 'HELLO', 'SELECT', 'CLIENT', 'INFO', 'READONLY', 'SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'MONITOR',
]);

/**
 * Whether `name` is a connection-setup command of `client`, and if so the span to parent it
 * on (the attempt's `connect` span; `undefined` when connect spans are off, meaning "do not
 * trace"). A user's own SELECT/INFO sent while the client is mid-handshake counts as setup too.
 */
export function setupCommandParent(client: ClientShape, name: string): { setup: boolean; parent?: Span } {
  const state = connectStates.get(client);
  if (state === undefined || state.pending === 0 || !SETUP_COMMANDS.has(name)) return { setup: false };
  if (client.status !== 'connect' && client.status !== 'ready') return { setup: false };
  return { setup: true, parent: state.span };
}

const ALREADY_CONNECTING = new Set(['connecting', 'connect', 'ready']);

/**
 * Wraps `Redis.prototype.connect` (also what ioredis calls to reconnect). It tracks the
 * attempt, so setup commands can be told apart, and with `traceConnect` makes a `connect`
 * span ending when the connection is ready or the attempt fails.
 *
 * The caller gets a promise settling like the original one, derived from it so that an
 * unhandled rejection stays unhandled (with a callback the original was handled: so is ours).
 */
export function connectWrapper(ref: OptionsRef): WrapperFactory<AnyFunction> {
  return (original) =>
    function connect(this: ClientShape, ...args: unknown[]): unknown {
      // ioredis rejects this call at once ("already connecting"): no new attempt to track
      if (this === null || typeof this !== 'object' || ALREADY_CONNECTING.has(String(this.status))) {
        return original.apply(this, args);
      }
      const options = ref.current;
      let state = connectStates.get(this);
      if (state === undefined) {
        state = { pending: 0, span: undefined };
        connectStates.set(this, state);
      }
      const span = options.traceConnect
        ? startClientSpan('connect', {
            component: 'ioredis',
            tracer: options.tracer,
            requireParent: options.requireParentSpan,
            tags: connectionTags(this, options),
          })
        : undefined;
      state.pending++;
      state.span = span;
      const attempt = state;
      const done = (err?: unknown): void => {
        attempt.pending = Math.max(0, attempt.pending - 1);
        if (attempt.span === span) attempt.span = undefined;
        if (span !== undefined) {
          if (err !== undefined) span.recordError(err);
          span.finish();
        }
      };
      let result: unknown;
      try {
        result = original.apply(this, args);
      } catch (err) {
        done(err);
        throw err;
      }
      if (!isThenable(result)) {
        done();
        return result;
      }
      const derived = afterSettled(
        Promise.resolve(result),
        () => done(),
        (err) => done(err ?? new Error('connect failed')),
      );
      if (typeof args[0] === 'function') derived.catch(noop);
      return derived;
    };
}

function noop(): void {}
