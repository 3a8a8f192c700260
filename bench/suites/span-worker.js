'use strict';
/**
 * One span-path measurement in a fresh process:
 *   node suites/span-worker.js '{"tracer":"jt|jaeger|otel","variant":"noreporter|full|unsampled",
 *                               "spans":N,"warmup":W,"port":P}'
 * The operation timed is the same for every tracer: start a root span, set 3 tags (string,
 * number, boolean), finish it. `noreporter`: sampled, finished spans kept in memory and
 * cleared every 1000; `unsampled`: the sampler says no; `full`: sampled through the real
 * exporter to the sink on `port` (jt, jaeger-client: thrift over UDP; OTel: OTLP/HTTP), the
 * loop yielding to the event loop every 200 spans so the exporter runs, and the clock stopped
 * when the tracer's flush has completed. Prints `BENCH_RESULT {nsPerSpan, cpuNsPerSpan, ...}`.
 */
const path = require('node:path');
const { makeSpanSuiteSpan } = require('../lib/server-span-fixture');

const CLEAR_EVERY = 1000;
const YIELD_EVERY = 200;
const yieldLoop = () => new Promise((resolve) => setImmediate(resolve));

/** Each tracer behind the same three calls. */
function jtSetup(variant, port) {
  const core = require(path.join(__dirname, '../../packages/core'));
  let tracer;
  let memory;
  if (variant === 'full') {
    tracer = core.initTracer({
      serviceName: 'bench-span',
      sampler: { type: 'const', param: 1 },
      reporter: { agentHost: '127.0.0.1', agentPort: port, protocol: 'udp-compact', maxQueueSize: 100_000 },
    });
  } else if (variant === 'noreporter') {
    memory = new core.InMemoryReporter();
    tracer = new core.Tracer('bench-span', memory, new core.ConstSampler(true));
  } else {
    tracer = new core.Tracer('bench-span', new core.NoopReporter(), new core.ConstSampler(false));
  }
  return {
    version: require('../../packages/core/package.json').version,
    one: (i) => openTracingSpan(tracer, i),
    clear: memory ? () => memory.clear() : () => {},
    flush: () => tracer.flush(),
    close: () => tracer.close(),
  };
}

/**
 * The measured work for an OpenTracing tracer (jt and jaeger-client run exactly the same):
 * `makeSpanSuiteSpan`, shared with the A/B tools so they time the same span.
 */
const openTracingSpan = makeSpanSuiteSpan;

function jaegerSetup(variant, port) {
  const jaeger = require('jaeger-client');
  let tracer;
  let memory;
  const logger = { info() {}, error: (m) => console.error(`[jaeger-client] ${m}`) };
  if (variant === 'full') {
    tracer = jaeger.initTracer(
      { serviceName: 'bench-span', sampler: { type: 'const', param: 1 }, reporter: { agentHost: '127.0.0.1', agentPort: port } },
      { logger },
    );
  } else if (variant === 'noreporter') {
    memory = new jaeger.InMemoryReporter();
    tracer = new jaeger.Tracer('bench-span', memory, new jaeger.ConstSampler(true), { logger });
  } else {
    tracer = new jaeger.Tracer('bench-span', new jaeger.NoopReporter(), new jaeger.ConstSampler(false), { logger });
  }
  return {
    version: require('jaeger-client/package.json').version,
    one: (i) => openTracingSpan(tracer, i),
    clear: memory ? () => memory.clear() : () => {},
    flush: () => new Promise((resolve) => tracer._reporter.flush(() => resolve())),
    close: () => new Promise((resolve) => tracer.close(() => resolve())),
  };
}

function otelSetup(variant, port, totalSpans) {
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
  const { BatchSpanProcessor, AlwaysOnSampler, AlwaysOffSampler } = require('@opentelemetry/sdk-trace-base');
  const kept = [];
  let processor;
  if (variant === 'full') {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
    // The defaults (queue 2048, 30 concurrent exports) drop spans or reject forceFlush in a
    // tight loop: sized so every span is exported, as for the other tracers.
    const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces`, concurrencyLimit: 10_000 });
    processor = new BatchSpanProcessor(exporter, {
      maxQueueSize: totalSpans + 1024,
    });
  } else {
    // the in-memory counterpart of the other tracers' InMemoryReporter
    processor = { onStart() {}, onEnd: (span) => kept.push(span), forceFlush: async () => {}, shutdown: async () => {} };
  }
  const provider = new NodeTracerProvider({
    sampler: variant === 'unsampled' ? new AlwaysOffSampler() : new AlwaysOnSampler(),
    spanProcessors: [processor],
  });
  provider.register();
  const tracer = provider.getTracer('bench');
  return {
    version: require('@opentelemetry/sdk-trace-base/package.json').version,
    one(i) {
      const span = tracer.startSpan('bench-op');
      span.setAttribute('component', 'bench');
      span.setAttribute('http.status_code', 200 + (i & 7));
      span.setAttribute('cache.hit', (i & 1) === 0);
      span.end();
    },
    clear: () => {
      kept.length = 0;
    },
    flush: () => provider.forceFlush(),
    close: () => provider.shutdown(),
  };
}

async function runLoop(t, count, full) {
  for (let i = 0; i < count; i++) {
    t.one(i);
    if ((i + 1) % CLEAR_EVERY === 0) t.clear();
    if (full && (i + 1) % YIELD_EVERY === 0) await yieldLoop();
  }
  if (full) await t.flush();
}

async function main() {
  const o = JSON.parse(process.argv[2]);
  const full = o.variant === 'full';
  const setup = { jt: jtSetup, jaeger: jaegerSetup, otel: otelSetup }[o.tracer];
  const t = setup(o.variant, o.port, o.spans + o.warmup);
  if (full) await runLoop(t, o.warmup, true);
  else runLoop(t, o.warmup, false);
  t.clear();
  if (global.gc) global.gc();
  await globalThis.__benchProfile?.start();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  if (full) await runLoop(t, o.spans, true);
  else runLoop(t, o.spans, false);
  const ns = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(cpu0);
  await globalThis.__benchProfile?.stop();
  await t.close();
  const result = {
    tracer: o.tracer,
    variant: o.variant,
    version: t.version,
    spans: o.spans,
    warmup: o.warmup,
    nsPerSpan: ns / o.spans,
    cpuNsPerSpan: ((cpu.user + cpu.system) * 1000) / o.spans,
  };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
