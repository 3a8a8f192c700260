'use strict';
/**
 * Span path: ns per span (start + 3 tags + finish) for jt, jaeger-client and the OTel SDK,
 * sampled without a reporter, sampled through the full exporter path (counted at the sink),
 * and unsampled. Each measurement is a fresh pinned process (suites/span-worker.js); each
 * round runs every case once, in an order rotated per round; we report medians and spread.
 */
const path = require('node:path');
const { runJson, sleep } = require('../lib/proc');
const { rotate, summary } = require('../lib/stats');

const TRACERS = ['jt', 'jaeger', 'otel'];
const VARIANTS = ['noreporter', 'full', 'unsampled'];
const SINK_KIND = { jt: 'udp-compact', jaeger: 'udp-binary', otel: 'http' };

async function runSpanSuite(sink, opts) {
  const cases = [];
  for (const variant of VARIANTS) for (const tracer of TRACERS) cases.push({ tracer, variant });
  const runs = [];
  for (let round = 0; round < opts.rounds; round++) {
    for (const c of rotate(cases, round)) {
      const full = c.variant === 'full';
      const spans = full ? opts.fullSpans : opts.spans;
      const warmup = full ? opts.fullWarmup : opts.warmup;
      const label = `span-${c.tracer}-${c.variant}-r${round}`;
      try {
        const port = full ? await sink.open(label, SINK_KIND[c.tracer]) : undefined;
        const { result, stderr } = await runJson('app', [
          path.join(__dirname, 'span-worker.js'),
          JSON.stringify({ tracer: c.tracer, variant: c.variant, spans, warmup, port }),
        ]);
        if (full) {
          const counters = await sink.settle(label, { target: spans + warmup, quietMs: 500, maxMs: 10_000 });
          result.received = counters.spans;
          result.expected = spans + warmup;
          result.wireBytes = counters.bytes;
          result.sinkErrors = counters.errors ? `${counters.errors} (${counters.lastError})` : undefined;
          await sink.close(label);
        }
        if (stderr.trim()) result.stderr = stderr.trim().slice(-1000);
        result.round = round;
        runs.push(result);
        opts.log(
          `  span ${label}: ${result.nsPerSpan.toFixed(0)} ns/span` +
            (full ? ` (received ${result.received}/${result.expected})` : ''),
        );
      } catch (err) {
        runs.push({ ...c, round, error: String(err.message ?? err).slice(0, 3000) });
        opts.log(`  span ${label}: FAILED ${String(err.message ?? err).split('\n')[0]}`);
      }
      await sleep(100);
    }
  }
  return { runs, summary: summarize(runs) };
}

function summarize(runs) {
  const out = {};
  for (const variant of VARIANTS) {
    out[variant] = {};
    for (const tracer of TRACERS) {
      const mine = runs.filter((r) => r.tracer === tracer && r.variant === variant && !r.error);
      if (mine.length === 0) continue;
      out[variant][tracer] = {
        version: mine[0].version,
        nsPerSpan: summary(mine.map((r) => r.nsPerSpan)),
        cpuNsPerSpan: summary(mine.map((r) => r.cpuNsPerSpan)),
        receivedShare: variant === 'full' ? summary(mine.map((r) => r.received / r.expected)) : undefined,
        minReceived: variant === 'full' ? Math.min(...mine.map((r) => r.received)) : undefined,
        wireBytesPerSpan: variant === 'full' ? summary(mine.map((r) => r.wireBytes / Math.max(1, r.received))) : undefined,
      };
    }
  }
  return out;
}

module.exports = { runSpanSuite, TRACERS, VARIANTS };
