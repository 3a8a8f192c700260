// Spans straight to a Jaeger collector's HTTP endpoint (thrift, POST /api/traces), with a
// bearer token as hosted Jaeger-compatible services ask for. No agent needed.
//   JAEGER_ENDPOINT=https://collector.example.com/api/traces JAEGER_AUTH_TOKEN=... node collector.js
const { initTracer } = require('@jt/core');
const { runNightlyReport } = require('./job');

const endpoint = process.env.JAEGER_ENDPOINT ?? 'http://localhost:14268/api/traces';

const tracer = initTracer(
  {
    serviceName: process.env.JAEGER_SERVICE_NAME ?? 'collector-example',
    sampler: { type: 'const', param: 1 },
    reporter: {
      collectorEndpoint: endpoint, // selects the HTTP sender (protocol 'http')
      authToken: process.env.JAEGER_AUTH_TOKEN, // sent as `Authorization: Bearer <token>`
      // or basic auth: username: process.env.JAEGER_USER, password: process.env.JAEGER_PASSWORD,
      timeoutMs: 5000, // each request is aborted after this
    },
  },
  { logger: console }, // a rejected token or an unreachable collector is logged here, once
);

async function main() {
  await runNightlyReport(tracer);
  await tracer.close(); // sends what is queued; never rejects
  console.log(`collector-example: done; spans went to ${endpoint}; sending problems show as [jt] lines`);
}

main();
