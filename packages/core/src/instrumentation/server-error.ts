import type { IncomingMessage } from 'node:http';
import { serverSpanRecord } from './server-span';

/** Options of `recordServerError`. */
export interface ServerErrorOptions {
  /**
   * Which of `err.status` / `err.statusCode` is read first when an error carries both, as the
   * framework itself reads them to answer: Express and Koa read `status`, Fastify `statusCode`.
   * Default `'status'`.
   */
  statusProperty?: 'status' | 'statusCode';
}

/**
 * Records an error on the request's server span, once per error object (one error passes
 * through many handlers and hooks). Errors carrying a 4xx `status`/`statusCode`
 * (`http-errors`, `ctx.throw(404)`, validation errors) are the client's fault: logged as an
 * `error` event, but the span is not marked `error=true` (as the response status would not
 * mark it either). No-op for `undefined`/`null` and for requests without a server span.
 */
export function recordServerError(req: IncomingMessage, err: unknown, options?: ServerErrorOptions): void {
  if (err === undefined || err === null) return;
  const record = serverSpanRecord(req);
  const span = record?.span;
  if (record === undefined || span === null || span === undefined) return;
  const seen = (record.errors ??= new Set());
  if (seen.has(err)) return;
  seen.add(err);
  const status = httpStatusOf(err, options?.statusProperty ?? 'status');
  if (status !== undefined && status < 500) {
    const error = err as { name?: unknown; message?: unknown };
    span.log({ event: 'error', 'error.kind': String(error.name ?? 'Error'), message: String(error.message ?? err) });
  } else {
    span.recordError(err);
  }
}

/** The HTTP status (400-599) an error carries, if any. */
function httpStatusOf(err: unknown, first: 'status' | 'statusCode'): number | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const carrier = err as { status?: unknown; statusCode?: unknown };
  const preferred = carrier[first];
  const value = typeof preferred === 'number' ? preferred : carrier[first === 'status' ? 'statusCode' : 'status'];
  return typeof value === 'number' && value >= 400 && value < 600 ? value : undefined;
}
