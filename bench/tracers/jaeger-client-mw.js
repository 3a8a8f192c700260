'use strict';
/**
 * What a jaeger-client 3.19 user writes by hand (it has no auto-instrumentation): a tracer
 * with a const sampler and the UDP reporter (thrift binary to BENCH_AGENT_PORT), and a
 * per-request server span with the usual tags, finished when the response is.
 */
const { initTracer, opentracing } = require('jaeger-client');

const tracer = initTracer(
  {
    serviceName: 'bench-jaeger-client',
    sampler: { type: 'const', param: 1 },
    reporter: {
      agentHost: '127.0.0.1',
      agentPort: Number(process.env.BENCH_AGENT_PORT ?? 6832),
      flushIntervalMs: 1000,
    },
  },
  { logger: { info() {}, error: (m) => console.error(`[jaeger-client] ${m}`) } },
);

const { Tags, FORMAT_HTTP_HEADERS } = opentracing;

function traceRequest(req, res) {
  const parent = tracer.extract(FORMAT_HTTP_HEADERS, req.headers);
  const span = tracer.startSpan(`HTTP ${req.method}`, {
    childOf: parent ?? undefined,
    tags: {
      [Tags.SPAN_KIND]: Tags.SPAN_KIND_RPC_SERVER,
      [Tags.HTTP_METHOD]: req.method,
      [Tags.HTTP_URL]: req.url,
    },
  });
  res.once('finish', () => {
    span.setTag(Tags.HTTP_STATUS_CODE, res.statusCode);
    if (res.statusCode >= 500) span.setTag(Tags.ERROR, true);
    span.finish();
  });
}

// Flush what is queued when the harness stops the app (jaeger-client does not do this itself).
process.once('SIGTERM', () => tracer.close(() => process.exit(0)));

module.exports = { tracer, traceRequest };
