import type { Tracer } from '@jt/core';

/**
 * Builds the `db.statement` tag of one command. `commandName` is upper case (`SET`); `args`
 * are the arguments as ioredis sends them (strings and Buffers, key prefix applied). Return
 * `undefined` to record no statement. Whatever it returns is recorded as is (cut to
 * `maxStatementLength`), so it must leave out values and credentials itself.
 */
export type RedisStatementSerializer = (
  commandName: string,
  args: ReadonlyArray<string | Buffer | number>,
) => string | undefined;

/** Options of `instrumentRedis` and `redisInstrumentation`. */
export interface RedisInstrumentationOptions {
  /** Tracer that starts the spans. Default: the global tracer (`getTracer()`), looked up per command. */
  tracer?: Tracer;
  /** Trace a command only when a span is active when it is issued. Default `false`. */
  requireParentSpan?: boolean;
  /**
   * Make a `connect` span for every connection attempt (the first one and each reconnect),
   * with the commands ioredis sends by itself while connecting (AUTH/HELLO, SELECT, CLIENT
   * SETNAME/SETINFO, the INFO ready check, READONLY, re-subscribes) as its children.
   * Default `false`: no connect spans, and those setup commands are not traced at all.
   */
  traceConnect?: boolean;
  /**
   * Custom `db.statement`. Default: the command name, key names, and `?` for every other
   * argument (values, AUTH/HELLO credentials, script bodies), e.g. `SET user:1 ?`.
   */
  statementSerializer?: RedisStatementSerializer;
  /** `db.statement` is cut to this many characters (ending in `…`). Default 1000. */
  maxStatementLength?: number;
  /** A key name longer than this is cut (ending in `…`) in the default statement. Default 128. */
  maxKeyLength?: number;
  /** Value of the `peer.service` tag. Default: none. */
  peerService?: string;
}

/** Options with every default filled in. */
export interface ResolvedRedisOptions {
  tracer: Tracer | undefined;
  requireParentSpan: boolean;
  traceConnect: boolean;
  statementSerializer: RedisStatementSerializer | undefined;
  maxStatementLength: number;
  maxKeyLength: number;
  peerService: string | undefined;
}

export const DEFAULT_MAX_STATEMENT_LENGTH = 1000;
export const DEFAULT_MAX_KEY_LENGTH = 128;

export function resolveRedisOptions(options: RedisInstrumentationOptions = {}): ResolvedRedisOptions {
  return {
    tracer: options.tracer,
    requireParentSpan: options.requireParentSpan ?? false,
    traceConnect: options.traceConnect ?? false,
    statementSerializer: typeof options.statementSerializer === 'function' ? options.statementSerializer : undefined,
    maxStatementLength: positiveInt(options.maxStatementLength) ?? DEFAULT_MAX_STATEMENT_LENGTH,
    maxKeyLength: positiveInt(options.maxKeyLength) ?? DEFAULT_MAX_KEY_LENGTH,
    peerService: typeof options.peerService === 'string' && options.peerService !== '' ? options.peerService : undefined,
  };
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.floor(value) : undefined;
}
