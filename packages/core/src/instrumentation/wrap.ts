import shimmer from 'shimmer';
import { kitLogger } from './kit-logger';

/** Marks wrappers made by jt (shared by every copy of @jt/core in the process). */
const JT_WRAPPED = Symbol.for('jt.core.wrapped');
/** Set on a wrapper whose original was inherited, so `unwrap` deletes instead of restoring. */
const WAS_INHERITED = Symbol.for('jt.core.wrappedInherited');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => any;

type Marked = AnyFunction & {
  __original?: AnyFunction;
  __wrapped?: boolean;
  __unwrap?: () => void;
  [JT_WRAPPED]?: true;
  [WAS_INHERITED]?: boolean;
};

/** Builds the replacement function from the original one. */
export type WrapperFactory<F> = (original: F, name: string) => F;

interface JournalEntry {
  obj: object;
  name: PropertyKey;
}

/** Wraps made while a hook's `patch` runs, so a patch that throws can be rolled back. */
let journal: JournalEntry[] | null = null;

/**
 * Replaces `obj[name]` with `factory(original)`. The wrapper keeps the original's `name`,
 * `length` (express tells error middleware by arity 4) and own properties, and carries
 * shimmer's `__wrapped`/`__original`/`__unwrap` marks. Refuses (returns false) when the
 * property is not a function or is already wrapped by jt, so patching twice is harmless.
 * Wrappers from other tools (shimmer users) are wrapped over, not refused.
 */
export function wrap<T extends object, K extends keyof T>(obj: T, name: K, factory: WrapperFactory<T[K]>): boolean {
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) return false;
  const original = obj[name] as unknown;
  if (typeof original !== 'function') {
    kitLogger().errorOnce(`wrap:${String(name)}`, `cannot wrap ${String(name)}: not a function`);
    return false;
  }
  if (isWrapped(original)) {
    kitLogger().infoOnce(`wrapped:${String(name)}`, `${String(name)} is already wrapped; not wrapping it twice`);
    return false;
  }
  const wrapper = factory(original as T[K], String(name)) as unknown;
  if (typeof wrapper !== 'function') {
    kitLogger().errorOnce(`wrapper:${String(name)}`, `wrapper factory for ${String(name)} did not return a function`);
    return false;
  }
  const marked = wrapper as Marked;
  copyFunctionProperties(marked, original as AnyFunction);
  marked[JT_WRAPPED] = true;
  marked[WAS_INHERITED] = !Object.prototype.hasOwnProperty.call(obj, name);
  // shimmer writes the marks and the property (keeping its enumerability)
  shimmer.wrap(obj as Record<PropertyKey, AnyFunction>, name as never, (() => marked) as never);
  journal?.push({ obj, name });
  return obj[name] === wrapper;
}

/**
 * Restores what `wrap` replaced. Returns false when `obj[name]` is not a jt wrapper (never
 * wrapped, already unwrapped, or someone else has wrapped over ours since).
 */
export function unwrap<T extends object>(obj: T, name: keyof T): boolean {
  if (obj === null || obj === undefined) return false;
  const current = obj[name] as unknown as Marked | undefined;
  if (typeof current !== 'function' || current[JT_WRAPPED] !== true) return false;
  if (current[WAS_INHERITED] === true) {
    delete obj[name];
  } else if (typeof current.__unwrap === 'function') {
    current.__unwrap();
  }
  return obj[name] !== (current as unknown);
}

/** True when `fn`, or any function it wraps, is a jt wrapper. */
export function isWrapped(fn: unknown): boolean {
  let current = fn as Marked | undefined;
  for (let depth = 0; typeof current === 'function' && depth < 32; depth++) {
    if (current[JT_WRAPPED] === true) return true;
    current = current.__original;
  }
  return false;
}

/** The function a jt wrapper replaced (or `fn` itself when it is not one). */
export function originalOf<F>(fn: F): F {
  const marked = fn as unknown as Marked;
  return typeof marked === 'function' && marked[JT_WRAPPED] === true && marked.__original ? (marked.__original as F) : fn;
}

/**
 * Runs `fn` (a hook's `patch`) recording every `wrap` it makes; if `fn` throws, those wraps
 * are undone (newest first) so the module is left as it was, and the error is rethrown.
 */
export function runRecordingWraps<R>(fn: () => R): R {
  const outer = journal;
  const mine: JournalEntry[] = [];
  journal = mine;
  try {
    const result = fn();
    if (outer !== null) outer.push(...mine);
    return result;
  } catch (err) {
    for (let i = mine.length - 1; i >= 0; i--) {
      const entry = mine[i]!;
      try {
        unwrap(entry.obj, entry.name as never);
      } catch {
        // best effort: keep undoing the others
      }
    }
    throw err;
  } finally {
    journal = outer;
  }
}

const SKIPPED_KEYS = new Set<PropertyKey>(['prototype', 'caller', 'arguments', '__original', '__unwrap', '__wrapped']);

function copyFunctionProperties(wrapper: Marked, original: AnyFunction): void {
  for (const key of Reflect.ownKeys(original)) {
    if (SKIPPED_KEYS.has(key) || key === JT_WRAPPED || key === WAS_INHERITED) continue;
    const descriptor = Object.getOwnPropertyDescriptor(original, key);
    if (descriptor === undefined) continue;
    try {
      Object.defineProperty(wrapper, key, descriptor);
    } catch {
      // a non-configurable property of the wrapper itself; keep going
    }
  }
  // constructors called through the wrapper must still produce instances of the original
  if (original.prototype !== undefined && Object.prototype.hasOwnProperty.call(wrapper, 'prototype')) {
    try {
      (wrapper as { prototype?: unknown }).prototype = original.prototype;
    } catch {
      // read-only prototype (class wrappers): leave it
    }
  }
}
