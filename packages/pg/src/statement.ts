import type { QueryConfigShape } from './pg-shapes';
import type { ResolvedPgOptions } from './options';
import { sanitizeSql, sqlVerb } from './sql-sanitize';

/** What a `client.query` call runs, as far as its first argument tells. */
export interface QueryDescription {
  text: string | undefined;
  /** Prepared statement name. */
  name: string | undefined;
  /** A Submittable (pg `Query`, pg-cursor, pg-query-stream): `query()` returns it. */
  submittable: boolean;
}

export function describeQuery(config: unknown): QueryDescription {
  if (typeof config === 'string') return { text: config, name: undefined, submittable: false };
  const query = config as QueryConfigShape;
  let text = typeof query.text === 'string' ? query.text : undefined;
  const submittable = typeof query.submit === 'function';
  if (text === undefined && submittable && typeof query.cursor?.text === 'string') text = query.cursor.text;
  const name = typeof query.name === 'string' && query.name !== '' ? query.name : undefined;
  return { text, name, submittable };
}

/** The span name: the prepared statement's name, else the SQL verb, else `pg.query`. */
export function querySpanName(query: QueryDescription): string {
  if (query.name !== undefined) return query.name;
  return (query.text === undefined ? undefined : sqlVerb(query.text)) ?? 'pg.query';
}

const CACHE_LIMIT = 500;
const CACHEABLE_LENGTH = 16384;
// apps run the same SQL over and over: scrub each text once
const sanitized = new Map<string, string>();

/** `db.statement`: the SQL, scrubbed unless `sanitizeStatement` is off, cut to length. */
export function statementText(text: string, options: ResolvedPgOptions): string {
  let statement = text;
  if (options.sanitizeStatement) {
    const cached = sanitized.get(text);
    if (cached !== undefined) {
      statement = cached;
    } else {
      statement = sanitizeSql(text);
      if (text.length <= CACHEABLE_LENGTH) {
        if (sanitized.size >= CACHE_LIMIT) sanitized.clear();
        sanitized.set(text, statement);
      }
    }
  }
  return statement.length > options.maxStatementLength ? statement.substring(0, options.maxStatementLength) + '…' : statement;
}
