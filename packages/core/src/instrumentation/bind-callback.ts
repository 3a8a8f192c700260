import { activeSpan, withSpan } from '../context/async-context';
import type { Span } from '../span';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => any;

/**
 * Binds `callback` to `span` (default: the span active now), for callbacks a library calls
 * from another async context (connection pools, queues). Returns `callback` unchanged when
 * there is no span to bind or it is not a function. Keeps `this`, arguments, return value,
 * `name` and `length`.
 */
export function wrapCallback<F>(callback: F, span: Span | undefined = activeSpan()): F {
  if (typeof callback !== 'function' || span === undefined) return callback;
  const fn = callback as unknown as AnyFunction;
  const bound = function (this: unknown, ...args: unknown[]): unknown {
    return withSpan(span, () => fn.apply(this, args));
  };
  Object.defineProperty(bound, 'name', { value: fn.name, configurable: true });
  Object.defineProperty(bound, 'length', { value: fn.length, configurable: true });
  return bound as unknown as F;
}
