import { unwrap, wrap } from '@jt/core';
import { clientConnectWrapper, poolConnectWrapper } from './connect-tracing';
import { resolvePgOptions, type OptionsRef, type PgInstrumentationOptions } from './options';
import type { ClientPrototype, PoolPrototype } from './pg-shapes';
import { queryWrapper } from './query-tracing';

/**
 * What `instrumentPg` accepts: the pg module (`require('pg')`, or `import pg from 'pg'`), or
 * any object with its `Client` (and optionally `Pool`) classes.
 */
export interface PgModuleLike {
  Client?: unknown;
  Pool?: unknown;
}

/** Options of every instrumented `Client.prototype`, so a second call only updates them. */
const instrumented = new WeakMap<object, OptionsRef>();

/**
 * Traces pg: `Client#query` in every form, `Client#connect` and `Pool#connect` (which
 * `Pool#query` uses). Only `Client` and `Pool` are read: pg's lazy `native` getter is left
 * alone (reading it would try to load pg-native). Idempotent: calling it again for the same
 * module only replaces the options. Returns `pgModule`.
 */
export function instrumentPg<T extends PgModuleLike>(pgModule: T, options?: PgInstrumentationOptions): T {
  const { clientProto, poolProto } = prototypesOf(pgModule);
  if (clientProto === undefined) return pgModule;
  const resolved = resolvePgOptions(options);
  const existing = instrumented.get(clientProto);
  if (existing !== undefined) {
    existing.current = resolved;
    return pgModule;
  }
  const ref: OptionsRef = { current: resolved };
  instrumented.set(clientProto, ref);
  wrap(clientProto, 'query', queryWrapper(ref));
  wrap(clientProto, 'connect', clientConnectWrapper(ref));
  if (poolProto !== undefined) wrap(poolProto, 'connect', poolConnectWrapper(ref));
  return pgModule;
}

/** Undoes `instrumentPg` (clients and pools keep working, untraced). */
export function uninstrumentPg(pgModule: PgModuleLike): void {
  const { clientProto, poolProto } = prototypesOf(pgModule);
  if (clientProto === undefined) return;
  instrumented.delete(clientProto);
  unwrap(clientProto, 'query');
  unwrap(clientProto, 'connect');
  if (poolProto !== undefined) unwrap(poolProto, 'connect');
}

function prototypesOf(pgModule: PgModuleLike): { clientProto?: ClientPrototype; poolProto?: PoolPrototype } {
  if (pgModule === null || (typeof pgModule !== 'object' && typeof pgModule !== 'function')) return {};
  const clientProto = prototypeOf<ClientPrototype>(pgModule.Client);
  const poolProto = prototypeOf<PoolPrototype>(pgModule.Pool);
  return { clientProto, poolProto };
}

function prototypeOf<P>(cls: unknown): P | undefined {
  if (typeof cls !== 'function') return undefined;
  const proto = (cls as { prototype?: unknown }).prototype;
  return proto !== null && typeof proto === 'object' ? (proto as P) : undefined;
}
