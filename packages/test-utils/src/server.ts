import type * as http from 'node:http';
import type { SpanData } from '@jt/core';
import { request, type Reply, type RequestOptions } from './http';
import { serverSpans } from './spans';
import { waitFor } from './wait';

/** What `tracedRequest` reads: an in-memory reporter (of the built core or of core's sources). */
export interface SpanCollector<S> {
  readonly spans: S[];
  clear(): void;
}

/**
 * Sends one request and returns the reply with the one server span it made; fails if the
 * request made no server span or more than one.
 */
export async function tracedRequest<S extends Pick<SpanData, 'tags' | 'operationName'>>(
  reporter: SpanCollector<S>,
  port: number,
  urlPath: string,
  options: RequestOptions = {},
): Promise<{ reply: Reply; span: S; all: S[] }> {
  reporter.clear();
  const reply = await request(port, urlPath, options);
  await waitFor(() => serverSpans(reporter).length > 0, `server span of ${urlPath}`);
  // a second server span would finish on the same response events: give them a turn
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 5));
  const spans = serverSpans(reporter);
  if (spans.length !== 1) throw new Error(`${urlPath}: ${spans.length} server spans: ${spans.map((s) => s.operationName).join(', ')}`);
  return { reply, span: spans[0]!, all: [...reporter.spans] };
}

export const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
export const PARENT = '00f067aa0ba902b7';

/** Inbound context in each header format, with the parent every format names. */
export const INBOUND_FORMATS: ReadonlyArray<readonly [string, http.OutgoingHttpHeaders]> = [
  ['uber-trace-id', { 'uber-trace-id': `${TRACE}:${PARENT}:0:1` }],
  ['traceparent', { traceparent: `00-${TRACE}-${PARENT}-01` }],
  ['b3 multi', { 'x-b3-traceid': TRACE, 'x-b3-spanid': PARENT, 'x-b3-sampled': '1' }],
  ['b3 single', { b3: `${TRACE}-${PARENT}-1` }],
];
