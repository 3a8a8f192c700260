/**
 * The parts of pg's objects the instrumentation reads, as structural types; each is checked
 * at runtime, so an unexpected shape means "less detail", never a throw.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = (...args: any[]) => any;

/** A `pg.Client` (connection settings resolved from config, env and defaults). */
export interface PgClientShape {
  database?: unknown;
  user?: unknown;
  host?: unknown;
  port?: unknown;
}

/** A `pg.Pool` (settings as the user gave them). */
export interface PgPoolShape {
  options?: { database?: unknown; user?: unknown; host?: unknown; port?: unknown };
  totalCount?: unknown;
  idleCount?: unknown;
  waitingCount?: unknown;
}

/** The first argument of `client.query`: a config object or a Submittable (`submit()`). */
export interface QueryConfigShape {
  text?: unknown;
  name?: unknown;
  callback?: unknown;
  submit?: unknown;
  /** pg-query-stream keeps its SQL on its cursor. */
  cursor?: { text?: unknown };
  handleError?: AnyFunction;
  handleReadyForQuery?: AnyFunction;
  /** pg's Query: an error met while reading rows, reported at ReadyForQuery. */
  _canceledDueToError?: unknown;
}

export interface ClientPrototype {
  query: AnyFunction;
  connect: AnyFunction;
}

export interface PoolPrototype {
  connect: AnyFunction;
}
