import { Tags, type Span } from '@jt/core';
import type { PgClientShape, PgPoolShape } from './pg-shapes';
import type { ResolvedPgOptions } from './options';

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** `db.type`, `db.instance` (database), `db.user`, the peer and `peer.service`. */
export function connectionTags(
  settings: PgClientShape | PgPoolShape['options'] | undefined,
  options: ResolvedPgOptions,
): Record<string, unknown> {
  const tags: Record<string, unknown> = { [Tags.DB_TYPE]: 'postgresql' };
  if (settings === undefined || settings === null) return tags;
  if (typeof settings.database === 'string') tags[Tags.DB_INSTANCE] = settings.database;
  if (typeof settings.user === 'string') tags[Tags.DB_USER] = settings.user;
  const host = settings.host;
  if (typeof host === 'string' && host !== '') {
    // a directory is a Unix socket
    if (host.startsWith('/')) tags[Tags.PEER_ADDRESS] = host;
    else tags[Tags.PEER_HOSTNAME] = host;
  }
  const port = Number(settings.port);
  if (settings.port !== undefined && Number.isInteger(port)) tags[Tags.PEER_PORT] = port;
  if (options.peerService !== undefined) tags[Tags.PEER_SERVICE] = options.peerService;
  return tags;
}

/**
 * Records a query or connect error: `error`, the error log, and the SQLSTATE (`db.sqlstate`,
 * e.g. `23505` unique_violation) of server errors. Reporters encode an error by its message
 * and stack: pg's `detail`, which quotes row values, is not among them.
 */
export function recordPgError(span: Span, err: unknown): void {
  span.recordError(err);
  const code = err !== null && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && SQLSTATE.test(code)) span.setTag('db.sqlstate', code);
}

/** Ends `span`, recording `err` when there is one. */
export function endSpan(span: Span, err?: unknown): void {
  if (err !== undefined && err !== null) recordPgError(span, err);
  span.finish();
}
