'use strict';
/**
 * `node -r ./tracers/otel-preload.js app.js`: the OpenTelemetry SDK set up the documented
 * way: NodeTracerProvider (AlwaysOn via ParentBased default), BatchSpanProcessor with its
 * defaults, OTLP/HTTP exporter to BENCH_OTLP_ENDPOINT, http + express instrumentations.
 */
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express');

process.env.OTEL_SERVICE_NAME ??= 'bench-otel';
const exporter = new OTLPTraceExporter({ url: process.env.BENCH_OTLP_ENDPOINT ?? 'http://127.0.0.1:4318/v1/traces' });
const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
provider.register();
registerInstrumentations({
  tracerProvider: provider,
  instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()],
});

process.once('SIGTERM', () => {
  provider.shutdown().finally(() => process.exit(0));
});
