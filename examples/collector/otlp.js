// Spans as OTLP/HTTP protobuf: what Jaeger v2 (port 4318) and any OpenTelemetry collector or
// OTLP-speaking hosted service take natively.
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 node otlp.js
//   OTEL_EXPORTER_OTLP_ENDPOINT=https://otlp.example.com OTEL_EXPORTER_OTLP_HEADERS='authorization=Bearer%20abc' node otlp.js
const { initTracer } = require('@jt/core');
const { runNightlyReport } = require('./job');

// As the OpenTelemetry SDKs do: the traces endpoint as given, or the base endpoint + /v1/traces.
const base = process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
const endpoint =
  process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base}/v1/traces` : 'http://localhost:4318/v1/traces');

const tracer = initTracer(
  {
    serviceName: process.env.OTEL_SERVICE_NAME ?? 'otlp-example',
    sampler: { type: 'const', param: 1 },
    reporter: {
      protocol: 'otlp',
      otlpEndpoint: endpoint,
      // Auth for a hosted backend: an object ({ authorization: 'Bearer ...' }) or the
      // standard `k=v,k2=v2` string (values URL-encoded).
      otlpHeaders: process.env.OTEL_EXPORTER_OTLP_HEADERS,
    },
  },
  { logger: console },
);

async function main() {
  await runNightlyReport(tracer);
  await tracer.close();
  console.log(`otlp-example: done; spans went to ${endpoint}; sending problems show as [jt] lines`);
}

main();
