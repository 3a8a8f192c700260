import type { Tracer } from '@jt/core';

/** Options of `instrumentPg` and `pgInstrumentation`. */
export interface PgInstrumentationOptions {
  /** Tracer that starts the spans. Default: the global tracer (`getTracer()`), looked up per query. */
  tracer?: Tracer;
  /** Trace a query only when a span is active when it is issued. Default `false`. */
  requireParentSpan?: boolean;
  /**
   * Make `pg.connect` spans (`Client#connect`: a new connection, TCP and authentication) and
   * `pg-pool.connect` spans (`Pool#connect`, also inside `Pool#query`: the wait for a pooled
   * client, which shows pool pressure). Default `false`.
   */
  traceConnect?: boolean;
  /**
   * Replace literals (strings, numbers, dollar-quoted bodies, E'' / B'' / X'' / U&'' strings)
   * in `db.statement` by `?`, and drop comments. Parameter values (`$1` ...) are never
   * recorded either way. Default `true`; `false` records the SQL text as written.
   */
  sanitizeStatement?: boolean;
  /** `db.statement` is cut to this many characters (ending in `…`). Default 4096. */
  maxStatementLength?: number;
  /** Value of the `peer.service` tag. Default: none. */
  peerService?: string;
}

/** Options with every default filled in. */
export interface ResolvedPgOptions {
  tracer: Tracer | undefined;
  requireParentSpan: boolean;
  traceConnect: boolean;
  sanitizeStatement: boolean;
  maxStatementLength: number;
  peerService: string | undefined;
}

export const DEFAULT_MAX_STATEMENT_LENGTH = 4096;

export function resolvePgOptions(options: PgInstrumentationOptions = {}): ResolvedPgOptions {
  const max = options.maxStatementLength;
  return {
    tracer: options.tracer,
    requireParentSpan: options.requireParentSpan ?? false,
    traceConnect: options.traceConnect ?? false,
    sanitizeStatement: options.sanitizeStatement ?? true,
    maxStatementLength: typeof max === 'number' && Number.isFinite(max) && max >= 1 ? Math.floor(max) : DEFAULT_MAX_STATEMENT_LENGTH,
    peerService: typeof options.peerService === 'string' && options.peerService !== '' ? options.peerService : undefined,
  };
}

/** Where the options live, so that instrumenting again only replaces them. */
export interface OptionsRef {
  current: ResolvedPgOptions;
}
