import type { IncomingMessage } from 'node:http';
import { activeSpan, withSpan } from '../context/async-context';
import type { Span } from '../span';

/**
 * Makes the request's own events (`data`, `end`, `close`, ...) run with its server span
 * active. They are emitted from the socket's async context, not the request's, so a body
 * reader (a raw `req.on('end')`, or a parser middleware calling `next()` from there) would
 * otherwise continue outside the trace.
 */
export function bindRequestEvents(req: IncomingMessage, span: Span): void {
  const emit = req.emit;
  if (typeof emit !== 'function') return;
  req.emit = function emitInSpan(this: IncomingMessage): boolean {
    // eslint-disable-next-line prefer-rest-params
    const args = arguments as unknown as Parameters<IncomingMessage['emit']>;
    if (activeSpan() === span) return emit.apply(this, args);
    return withSpan(span, () => emit.apply(this, args));
  } as IncomingMessage['emit'];
}
