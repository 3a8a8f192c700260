import assert from 'node:assert/strict';
import type { InMemoryReporter, Span } from '@jt/core';
import type { Reply, RequestOptions } from './http';
import type { VersionUnderTest } from './modules';
import { INBOUND_FORMATS, PARENT, TRACE, tracedRequest } from './server';
import { errorLogsOf, tagsOf } from './spans';
import { useTracer } from './tracer';

/**
 * Behaviour every framework integration must show, whichever way it traces (middleware or
 * plugin alone, its auto hook, under the http server hook, or all at once). Each group is a
 * set of mocha `it`s to call inside the framework's `describe`. The framework's test app has
 * the routes these use: `/users/:id`, `/status/:code`, `/traced/:id` (a `traced('load-thing')`
 * handler answering `{active}`) and `/active` (answering `{active, server, body}` span ids).
 */
export interface ServerHarness<V extends VersionUnderTest = VersionUnderTest> {
  readonly reporter: InMemoryReporter;
  /** The version of the framework under test. */
  readonly major: V;
  /** The port of the framework's test app for the current test. */
  port(): number;
}

/** `[label, request path, expected operation name]` for each routing shape of the app. */
export type RouteNames = ReadonlyArray<readonly [string, string, string]>;

/** Span names and route tags of every routing shape; unmatched requests; status codes. */
export function routeNamingScenarios(h: ServerHarness, routeNames: RouteNames): void {
  for (const [label, path, name] of routeNames) {
    it(`names the ${label}: ${name}`, async () => {
      const { reply, span } = await tracedRequest(h.reporter, h.port(), path);
      assert.equal(reply.status, 200, reply.body);
      assert.equal(span.operationName, name);
      const tags = tagsOf(span);
      assert.equal(tags['http.route'], name.substring(4));
      assert.equal(tags['http.status_code'], 200);
      assert.equal(tags['http.method'], 'GET');
      assert.equal(tags['http.url'], `http://127.0.0.1:${h.port()}${path}`);
      assert.equal(tags['error'], undefined);
    });
  }

  it('keeps the method as the name of a request no route matched (404)', async () => {
    const { reply, span } = await tracedRequest(h.reporter, h.port(), '/no/such/page');
    assert.equal(reply.status, 404);
    assert.equal(span.operationName, 'GET');
    assert.equal(tagsOf(span)['http.route'], undefined);
    assert.equal(tagsOf(span)['http.status_code'], 404);
  });

  it('tags the status code; 5xx marks the span as an error, 4xx does not', async () => {
    for (const code of [201, 404, 503]) {
      const { reply, span } = await tracedRequest(h.reporter, h.port(), `/status/${code}`);
      assert.equal(reply.status, code);
      assert.equal(span.operationName, 'GET /status/:code');
      assert.equal(tagsOf(span)['http.status_code'], code);
      assert.equal(tagsOf(span)['error'], code >= 500 ? true : undefined);
    }
  });
}

/**
 * All the shared scenarios, in order: route names, the `failures` recorded once (`check`:
 * what else to assert of each), inbound contexts, then the framework's own (`more`), and the
 * `traced()` handler.
 */
export function serverFrameworkScenarios<V extends VersionUnderTest, F extends FailureCase>(
  h: ServerHarness<V>,
  spec: {
    routeNames: RouteNames;
    failures: readonly F[];
    failureTitle(failure: F): string;
    checkFailure(got: Traced, failure: F): void;
    more(): void;
  },
): void {
  routeNamingScenarios(h, spec.routeNames);
  errorRecordingScenarios(h, spec.failures, spec.failureTitle, spec.checkFailure);
  inboundContextScenarios(h);
  spec.more();
  tracedHandlerScenario(h);
}

/** A failing route of the test app and what the framework answers for it. */
export interface FailureCase {
  readonly path: string;
  readonly status: number;
  /** The error's message. */
  readonly message: string;
  /** False for errors carrying a 4xx status: logged, not marked as an error. */
  readonly markedError: boolean;
}

/** What one request of the test app gave: the reply, its server span and every span reported. */
export interface Traced {
  reply: Reply;
  span: Span;
  all: Span[];
}

/**
 * Each failure is recorded on the server span once, with the status the framework answered;
 * `check` asserts the rest: that the answer is the framework's own (tracing must not change
 * it), and anything the framework adds.
 */
export function errorRecordingScenarios<F extends FailureCase>(
  h: ServerHarness,
  failures: readonly F[],
  title: (failure: F) => string,
  check: (got: Traced, failure: F) => void,
): void {
  for (const failure of failures) {
    it(title(failure), async () => {
      const got = await tracedRequest(h.reporter, h.port(), failure.path);
      check(got, failure);
      const span = got.span;
      assert.equal(span.operationName, `GET ${failure.path}`);
      assert.equal(tagsOf(span)['http.status_code'], failure.status);
      assert.equal(tagsOf(span)['error'], failure.markedError ? true : undefined);
      const errorLogs = errorLogsOf(span);
      assert.equal(errorLogs.length, 1, 'recorded once');
      assert.equal(errorLogs[0]!['message'], failure.message);
    });
  }
}

/** Continues an inbound context in every header format; `jaeger-debug-id` forces a debug trace. */
export function inboundContextScenarios(h: ServerHarness): void {
  for (const [format, headers] of INBOUND_FORMATS) {
    it(`continues an inbound ${format} context`, async () => {
      const { span } = await tracedRequest(h.reporter, h.port(), '/users/1', { headers });
      assert.equal(span.traceId, TRACE);
      assert.equal(span.parentId, PARENT);
      assert.notEqual(span.spanId, PARENT);
      assert.equal(span.operationName, 'GET /users/:id');
    });
  }

  it('jaeger-debug-id starts a sampled debug trace even when the sampler says no', async () => {
    useTracer(h.reporter, false);
    const { span } = await tracedRequest(h.reporter, h.port(), '/users/1', { headers: { 'jaeger-debug-id': 'dbg-42' } });
    assert.ok(span.context().isDebug());
    assert.equal(tagsOf(span)['jaeger-debug-id'], 'dbg-42');
    assert.equal(span.operationName, 'GET /users/:id');
  });
}

/** A `traced()` handler runs in its own child span of the server span. */
export function tracedHandlerScenario(h: ServerHarness): void {
  it('a traced() route handler runs in its own child span of the server span', async () => {
    const { reply, span, all } = await tracedRequest(h.reporter, h.port(), '/traced/9');
    assert.deepEqual(JSON.parse(reply.body), { active: 'load-thing' });
    assert.equal(span.operationName, 'GET /traced/:id');
    const child = all.find((s) => s.operationName === 'load-thing');
    assert.ok(child, 'traced span reported');
    assert.equal(child.parentId, span.spanId);
    assert.equal(child.traceId, span.traceId);
  });
}

/**
 * Requests `path` and asserts the route's handler ran with the request's server span active
 * (its reply: `{active, server, body}` span ids and parsed body); returns the span's name.
 */
export async function expectServerSpanActive(
  h: ServerHarness,
  path: string,
  options: RequestOptions = {},
  body: unknown = null,
): Promise<string> {
  const { reply, span } = await tracedRequest(h.reporter, h.port(), path, options);
  assert.deepEqual(JSON.parse(reply.body), { active: span.spanId, server: span.spanId, body });
  return span.operationName;
}

/** The body `postInPieces` sends, and the handler answers back once parsed. */
export const SPLIT_BODY = { hello: 'world' };

/**
 * A POST of `SPLIT_BODY` as JSON in two pieces: the second arrives in a later socket event,
 * outside the request's first tick. `typed`: with a JSON content type (for body parsers).
 */
export function postInPieces(typed: boolean): RequestOptions {
  const text = JSON.stringify(SPLIT_BODY);
  const body = [text.substring(0, 5), text.substring(5)];
  if (!typed) return { method: 'POST', body };
  return { method: 'POST', body, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } };
}
