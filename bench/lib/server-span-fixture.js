'use strict';
/**
 * A server span as `-r @jt/auto` makes one for an express hello world (root span, 10 tags),
 * and the span suite's span, for the encoder tools: the same input wherever encoding is timed.
 */
function makeServerSpan(tracer, i) {
  const span = tracer.startSpan('GET', { root: true });
  span.setTag('span.kind', 'server');
  span.setTag('component', 'express');
  span.setTag('http.method', 'GET');
  span.setTag('http.url', 'http://127.0.0.1:4000/');
  span.setTag('peer.ipv4', '127.0.0.1');
  span.setTag('peer.port', 50000 + (i % 20));
  span.setOperationName('GET /');
  span.setTag('http.route', '/');
  span.setTag('http.status_code', 200);
  span.finish();
  return span;
}

/** The span suite's measured span (`suites/span-worker.js`): root, 3 tags, the same sequence. */
function makeSpanSuiteSpan(tracer, i) {
  const span = tracer.startSpan('bench-op');
  span.setTag('component', 'bench');
  span.setTag('http.status_code', 200 + (i & 7));
  span.setTag('cache.hit', (i & 1) === 0);
  span.finish();
  return span;
}

module.exports = { makeServerSpan, makeSpanSuiteSpan };
