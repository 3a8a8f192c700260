/**
 * The parts of ioredis' internals that the instrumentation touches, as structural types.
 * They are stable across ioredis 5 and 6 (checked against both sources); everything is
 * optional-checked at runtime so an unexpected shape degrades to "not traced", never a throw.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = (...args: any[]) => any;

/** An ioredis `Command`: `resolve`/`reject` are per-instance functions called when the reply arrives. */
export interface CommandShape {
  name?: unknown;
  args?: unknown;
  resolve?: AnyFunction;
  reject?: AnyFunction;
  promise?: unknown;
  /** Set by a pipeline for commands between MULTI and EXEC (their reply is `QUEUED`). */
  inTransaction?: boolean;
  /** Key arguments, from ioredis' own command table (`@ioredis/commands`). */
  getKeys?: () => unknown;
  keys?: unknown;
}

/** A `Redis` instance (one connection). */
export interface ClientShape {
  status?: string;
  options?: { host?: unknown; port?: unknown; path?: unknown; db?: unknown };
  /** Current connection state; `select` is the db index in use. */
  condition?: { select?: unknown } | null;
}

/** A `Pipeline` (also what `multi()` returns by default). */
export interface PipelineShape {
  redis?: ClientShape;
  _queue?: unknown;
  _transactions?: number;
  nodeifiedPromise?: boolean;
  resolve?: AnyFunction;
  reject?: AnyFunction;
  promise?: unknown;
}

/** `Redis.prototype` as patched. */
export interface RedisPrototype {
  sendCommand: AnyFunction;
  connect: AnyFunction;
}

/** `Pipeline.prototype` as patched. */
export interface PipelinePrototype {
  exec: AnyFunction;
  sendCommand: AnyFunction;
}

export function upperName(command: CommandShape): string {
  const name = command.name;
  return typeof name === 'string' ? name.toUpperCase() : Buffer.isBuffer(name) ? name.toString().toUpperCase() : '';
}

export function commandArgs(command: CommandShape): readonly unknown[] {
  return Array.isArray(command.args) ? command.args : [];
}
