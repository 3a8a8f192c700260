import assert from 'node:assert/strict';
import type { InMemoryReporter } from '@jt/core';
import { INBOUND_FORMATS, PARENT, TRACE, tagsOf, tracedRequest, useTracer, type Major } from './helpers';
import { ROUTE_NAMES } from './routes-app';

export interface Harness {
  readonly reporter: InMemoryReporter;
  readonly major: Major;
  /** The port of the test app (built with `buildApp`) for the current test. */
  port(): number;
}

/** Behaviour every way of tracing an Express app must show (explicit, auto, both). */
export function routingScenarios(h: Harness): void {
  for (const [label, path, name] of ROUTE_NAMES) {
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

  const failures: Array<[string, string, string]> = [
    ['passed to next(err)', '/fail/next', 'passed to next'],
    ['thrown synchronously', '/fail/throw', 'thrown in handler'],
  ];
  if (h.major.major >= 5) failures.push(['rejected by an async handler', '/fail/async', 'rejected in handler']);
  for (const [how, path, message] of failures) {
    it(`records an error ${how} on the server span; the app's traced() 4-argument error handler still answers`, async () => {
      const { reply, span, all } = await tracedRequest(h.reporter, h.port(), path);
      assert.equal(reply.status, 500);
      assert.deepEqual(JSON.parse(reply.body), { error: message });
      const handled = all.find((s) => s.operationName === 'handle-error');
      assert.equal(handled?.parentId, span.spanId, 'the traced() error handler ran in a child span');
      assert.equal(span.operationName, `GET ${path}`);
      assert.equal(tagsOf(span)['error'], true);
      const errorLogs = span.logs.map((log) => Object.fromEntries(log.fields.map((f) => [f.key, f.value]))).filter((f) => f['event'] === 'error');
      assert.equal(errorLogs.length, 1, 'recorded once');
      assert.equal(errorLogs[0]!['message'], message);
      assert.equal(errorLogs[0]!['error.kind'], 'Error');
      assert.match(String(errorLogs[0]!['stack']), new RegExp(message));
    });
  }

  it('logs an error carrying a 4xx status without marking the span as an error', async () => {
    const { reply, span } = await tracedRequest(h.reporter, h.port(), '/fail/teapot');
    assert.equal(reply.status, 418);
    assert.equal(tagsOf(span)['error'], undefined);
    const fields = span.logs.map((log) => Object.fromEntries(log.fields.map((f) => [f.key, f.value])));
    assert.deepEqual(fields, [{ event: 'error', 'error.kind': 'Error', message: 'short and stout' }]);
  });

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

  it('runs handlers with the server span active, also after a body read in later socket events', async () => {
    const got = await tracedRequest(h.reporter, h.port(), '/active');
    assert.deepEqual(JSON.parse(got.reply.body), { active: got.span.spanId, server: got.span.spanId, body: null });
    const body = JSON.stringify({ hello: 'world' });
    const posted = await tracedRequest(h.reporter, h.port(), '/active', {
      method: 'POST',
      // the second half arrives in a later socket event, outside the request's first tick
      body: [body.substring(0, 5), body.substring(5)],
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    assert.equal(posted.span.operationName, 'POST /active');
    assert.deepEqual(JSON.parse(posted.reply.body), { active: posted.span.spanId, server: posted.span.spanId, body: { hello: 'world' } });
    const raw = await tracedRequest(h.reporter, h.port(), '/active/raw', { method: 'POST', body: [body.substring(0, 5), body.substring(5)] });
    assert.equal(raw.span.operationName, 'POST /active/raw');
    assert.deepEqual(JSON.parse(raw.reply.body), { active: raw.span.spanId, server: raw.span.spanId, body: { hello: 'world' } });
  });

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
