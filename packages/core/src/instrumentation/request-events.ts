import type { IncomingMessage, ServerResponse } from 'node:http';
import { activeSpan, applyWithSpan } from '../context/async-context';
import type { Span } from '../span';
import { reportHookError } from './safe-execute';

/**
 * The two things a server span needs from the request's own objects, done once per process
 * on the prototypes of `http.IncomingMessage` and `http.ServerResponse` (one `emit` wrapper
 * each) instead of a closure and two listeners per request: both were measurable garbage per
 * request. The request wrapper finds the span through the record the request already carries
 * (`REQUEST_RECORD`); the response keeps its listener under a symbol of its own (not reached
 * through `res.req`: another response may point at the same request, and `req` can be
 * reassigned). Objects that do not use those prototypes' `emit` (http2 compatibility objects,
 * test doubles, an app's own `emit`) get the per-request fallback.
 */

/**
 * Where a request keeps its server-span record. Global, so every copy of @jt/core finds it;
 * the wrappers' marker is versioned, so a copy whose wrappers read something else installs
 * its own on top instead of relying on them.
 */
export const REQUEST_RECORD = Symbol.for('jt.core.serverSpanRecord');
const RESPONSE_END = Symbol.for('jt.core.responseEnd');
const INSTALLED = Symbol.for('jt.core.lifecycleEmit.v2');

/**
 * Told once the response is done: finished (`finish`) or the connection went away (`close`).
 * `event` says which.
 */
export interface ResponseEndListener {
  onResponseEnd(event?: 'finish' | 'close'): void;
}

/** What the request wrapper reads from the record on a request: its span (`null`: not traced). */
export interface LifecycleRecord {
  readonly span: Span | null;
}

type Emit = (this: object, event: string | symbol, ...args: unknown[]) => boolean;
type WithEmit = { emit: Emit & { [INSTALLED]?: boolean } };
type WithRecord = { [REQUEST_RECORD]?: LifecycleRecord };
type Marked = { [RESPONSE_END]?: ResponseEndListener };

let installed: { requestEmit: Emit; responseEmit: Emit } | null | undefined;

/**
 * Makes the request's own events (`data`, `end`, `close`, ...) run with its server span
 * active (the span of the record stored on `req` under {@link REQUEST_RECORD}, which the
 * caller sets first). They are emitted from the socket's async context, not the request's,
 * so a body reader (a raw `req.on('end')`, or a parser middleware calling `next()` from
 * there) would otherwise continue outside the trace.
 */
export function bindRequestEvents(req: IncomingMessage): void {
  const wrappers = install();
  if (wrappers !== null && req.emit === wrappers.requestEmit) return;
  const span = (req as WithRecord)[REQUEST_RECORD]?.span;
  const emit = req.emit;
  if (span === null || span === undefined || typeof emit !== 'function') return;
  req.emit = function emitInSpan(this: IncomingMessage): boolean {
    // eslint-disable-next-line prefer-rest-params
    const args = arguments as unknown as Parameters<IncomingMessage['emit']>;
    if (activeSpan() === span) return emit.apply(this, args);
    return applyWithSpan(span, emit, this, args);
  } as IncomingMessage['emit'];
}

/**
 * Calls `listener.onResponseEnd(event)` when `res` emits `finish` or `close` (after the app's
 * own listeners for that event ran, so tags they add still count); it may be called twice.
 * One listener per response (a later call replaces it).
 */
export function onResponseEnd(res: ServerResponse, listener: ResponseEndListener): void {
  const wrappers = install();
  if (wrappers !== null && res.emit === wrappers.responseEmit) {
    (res as Marked)[RESPONSE_END] = listener;
    return;
  }
  res.on('finish', () => listener.onResponseEnd('finish'));
  res.on('close', () => listener.onResponseEnd('close'));
}

/** Wraps the two prototypes' `emit` once; `null` when they cannot be wrapped (fallback). */
function install(): { requestEmit: Emit; responseEmit: Emit } | null {
  if (installed !== undefined) return installed;
  installed = null;
  try {
    // required lazily: by the first traced request the app has loaded http itself
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const http = require('node:http') as typeof import('node:http');
    const requestProto = http.IncomingMessage.prototype as unknown as WithEmit;
    const responseProto = http.ServerResponse.prototype as unknown as WithEmit;
    if (requestProto.emit[INSTALLED] !== true) requestProto.emit = markInstalled(requestEmitWrapper(requestProto.emit));
    if (responseProto.emit[INSTALLED] !== true) responseProto.emit = markInstalled(responseEmitWrapper(responseProto.emit));
    installed = { requestEmit: requestProto.emit, responseEmit: responseProto.emit };
  } catch {
    // frozen prototypes or no http module: every request takes the fallback
  }
  return installed;
}

function markInstalled(emit: Emit): Emit {
  Object.defineProperty(emit, INSTALLED, { value: true });
  return emit;
}

function requestEmitWrapper(original: Emit): Emit {
  return function emit(this: object, event: string | symbol): boolean {
    // eslint-disable-next-line prefer-rest-params
    const args = arguments as unknown as [string | symbol, ...unknown[]];
    // listeners first: most of a request's events have none (or only Node's own), and then
    // the record is not even looked up
    if (!mayUseContext(this, event)) return original.apply(this, args);
    const span = (this as WithRecord)[REQUEST_RECORD]?.span;
    if (span === undefined || span === null || activeSpan() === span) return original.apply(this, args);
    return applyWithSpan(span, original, this, args);
  };
}

function responseEmitWrapper(original: Emit): Emit {
  return function emit(this: object, event: string | symbol): boolean {
    // eslint-disable-next-line prefer-rest-params
    const args = arguments as unknown as [string | symbol, ...unknown[]];
    if (event !== 'finish' && event !== 'close') return original.apply(this, args);
    const listener = (this as Marked)[RESPONSE_END];
    if (listener === undefined || listener === null) return original.apply(this, args);
    try {
      return original.apply(this, args);
    } finally {
      tell(listener, event);
    }
  };
}

/** A listener's failure must not reach the app's `emit`. */
function tell(listener: ResponseEndListener, event: 'finish' | 'close'): void {
  try {
    listener.onResponseEnd(event);
  } catch (err) {
    reportHookError('onResponseEnd', err);
  }
}

/**
 * False only when no listener of `event` could see the context: the emitter has none (read
 * from EventEmitter's `_events`, stable since Node 0.x), or the only one is Node's own
 * `clearIncoming`, which the http server adds for `end` on every request whose body nobody
 * read and which starts no async work. Then the `run` is skipped.
 */
function mayUseContext(emitter: object, event: string | symbol): boolean {
  const events = (emitter as { _events?: Record<string | symbol, unknown> })._events;
  if (events === undefined || events === null || typeof events !== 'object') return true;
  const listeners = events[event];
  return listeners !== undefined && !isNodeClearIncoming(listeners);
}

const isNodeClearIncoming = nodeClearIncomingMatcher();

/**
 * A test for Node's own `clearIncoming`: a function of that name whose source resets the
 * parser's `incoming` (an app's namesake does not), checked until found, then by identity.
 * Exported for tests (a fresh matcher has seen nothing yet).
 */
export function nodeClearIncomingMatcher(): (listener: unknown) => boolean {
  let found: unknown;
  return function isNodeClearIncoming(listener: unknown): boolean {
    if (listener === found) return true;
    if (found !== undefined || typeof listener !== 'function') return false;
    try {
      if (listener.name !== 'clearIncoming' || !Function.prototype.toString.call(listener).includes('parser.incoming')) return false;
    } catch {
      return false;
    }
    found = listener;
    return true;
  };
}
