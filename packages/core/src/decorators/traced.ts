import { getTracer } from '../config/global-tracer';
import type { Span } from '../span';
import type { SpanOptions, Tracer } from '../tracer';

/** Options of `traced`. */
export interface TracedOptions {
  /** Operation name. Default: `ClassName.method` for methods, the function's name for functions. */
  name?: string;
  /** Tags set on every span. */
  tags?: Record<string, unknown>;
  /** Tracer to use. Default: the global one at call time (`getTracer()`), so decorating before `initTracer` works. */
  tracer?: Tracer;
}

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

interface StandardMethodContext {
  kind: string;
  name: string | symbol;
  static?: boolean;
}

/**
 * Flask-style tracing for handlers and methods.
 *
 * - `@traced('load-user')`, `@traced({ name, tags })` or `@traced()` on a class method:
 *   works with TypeScript's standard decorators and with `experimentalDecorators` (NestJS).
 * - `traced('load-user', fn)` / `traced(fn)` wraps a plain function or route handler.
 *
 * Each call runs in a new span, a child of the active span, that is active while the
 * function runs, finished when it returns or its promise settles, and marked with the
 * error if it throws or rejects. `this`, arguments, return value, `name` and `length` are kept.
 */
export function traced<F extends (...args: never[]) => unknown>(name: string, fn: F): F;
export function traced<F extends (...args: never[]) => unknown>(options: TracedOptions, fn: F): F;
export function traced<F extends (...args: never[]) => unknown>(fn: F): F;
export function traced(nameOrOptions?: string | TracedOptions): MethodDecorator & (<T>(value: T, context: unknown) => T);
export function traced(first?: unknown, second?: unknown): unknown {
  if (typeof first === 'function') return wrapFunction(first as AnyFunction, {});
  const options = toOptions(first);
  if (typeof second === 'function') return wrapFunction(second as AnyFunction, options);
  return function tracedDecorator(target: unknown, key: unknown, descriptor?: PropertyDescriptor): unknown {
    if (isStandardContext(key)) {
      // standard decorators: (method, context) => replacement
      if (key.kind !== 'method') throw new TypeError('@traced can only decorate methods');
      return wrapFunction(target as AnyFunction, options, () => String(key.name));
    }
    // experimentalDecorators: (prototype, key, descriptor) => descriptor
    if (descriptor === undefined || typeof descriptor.value !== 'function') {
      throw new TypeError('@traced can only decorate methods');
    }
    const owner = typeof target === 'function' ? target.name : (target as object).constructor?.name;
    descriptor.value = wrapFunction(descriptor.value as AnyFunction, {
      ...options,
      name: options.name ?? (owner ? `${owner}.${String(key)}` : String(key)),
    });
    return descriptor;
  };
}

function toOptions(value: unknown): TracedOptions {
  if (typeof value === 'string') return { name: value };
  if (value !== null && typeof value === 'object') return value as TracedOptions;
  return {};
}

function isStandardContext(value: unknown): value is StandardMethodContext {
  return value !== null && typeof value === 'object' && typeof (value as StandardMethodContext).kind === 'string';
}

function wrapFunction(fn: AnyFunction, options: TracedOptions, methodName?: () => string): AnyFunction {
  const fixedName = options.name;
  const tagOptions: SpanOptions | undefined = options.tags === undefined ? undefined : { tags: options.tags };
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    const tracer = options.tracer ?? getTracer();
    const name = fixedName ?? defaultName(this, fn, methodName);
    return tracer.trace(name, tagOptions, (_span: Span) => fn.apply(this, args));
  };
  Object.defineProperty(wrapper, 'name', { value: fn.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: fn.length, configurable: true });
  return wrapper;
}

function defaultName(self: unknown, fn: AnyFunction, methodName?: () => string): string {
  if (methodName === undefined) return fn.name || 'anonymous';
  const owner =
    typeof self === 'function' ? self.name : self !== null && typeof self === 'object' ? self.constructor?.name : undefined;
  return owner ? `${owner}.${methodName()}` : methodName();
}
