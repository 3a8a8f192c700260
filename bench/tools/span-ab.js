'use strict';
/**
 * Interleaved A/B of the span suite's full path (start a root span, 3 tags, finish, then the
 * reporter encodes and sends it over UDP) for two builds (or more), in one process. Each
 * round runs a block of spans through each build's tracer in turn, each to its own UDP port
 * of one counting sink in a child process, and stops the clock when that tracer's flush
 * has completed, as `suites/span-worker.js` does. One process: no process-to-process luck;
 * alternating blocks: the machine's drift hits every build alike. The builds share one heap, so
 * one block's garbage may be collected in the next build's block; the order alternating per
 * round spreads that over both.
 *
 *   node bench/tools/span-ab.js DIR_A DIR_B [--rounds=21] [--spans=20000]
 *
 * Each DIR holds a built repo (its `packages/core/dist`). Prints ns per span (median and
 * quartiles of the rounds) and the spans the sink counted; writes nothing.
 */
const path = require('node:path');
const { startSink } = require('../lib/sink-client');
const { makeSpanSuiteSpan } = require('../lib/server-span-fixture');
const { median, quantile } = require('../lib/stats');

const args = process.argv.slice(2);
const option = (name, fallback) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const rounds = option('rounds', 21);
const spansPerBlock = option('spans', 20_000);
const builds = args.filter((a) => !a.startsWith('--')).map((d) => path.resolve(d));
if (builds.length < 2) throw new Error('usage: span-ab.js DIR_A DIR_B [--rounds=21] [--spans=20000]');

const YIELD_EVERY = 200; // as the span suite: the reporter runs between these
const yieldLoop = () => new Promise((resolve) => setImmediate(resolve));

async function block(tracer, count) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    makeSpanSuiteSpan(tracer, i);
    if ((i + 1) % YIELD_EVERY === 0) await yieldLoop();
  }
  await tracer.flush();
  return Number(process.hrtime.bigint() - t0) / count;
}

async function main() {
  const sink = await startSink();
  try {
    const tracers = [];
    for (const [i, build] of builds.entries()) {
      const port = await sink.open(`b${i}`, 'udp-compact');
      const core = require(path.join(build, 'packages/core/dist/index.js'));
      tracers.push(
        core.initTracer({
          serviceName: 'bench-span',
          sampler: { type: 'const', param: 1 },
          reporter: { agentHost: '127.0.0.1', agentPort: port, protocol: 'udp-compact', maxQueueSize: 100_000 },
        }),
      );
    }
    for (const tracer of tracers) await block(tracer, spansPerBlock); // warm-up
    const samples = tracers.map(() => []);
    for (let r = 0; r < rounds; r++) {
      // the order alternates too, so neither build always runs right after the other
      const order = r % 2 === 0 ? tracers.map((_, i) => i) : tracers.map((_, i) => i).reverse();
      for (const i of order) samples[i].push(await block(tracers[i], spansPerBlock));
    }
    for (const tracer of tracers) await tracer.close();
    const expected = spansPerBlock * (rounds + 1);
    for (const [i, build] of builds.entries()) {
      const counted = await sink.settle(`b${i}`, { target: expected, quietMs: 300, maxMs: 5_000 });
      const xs = samples[i];
      console.log(
        `${build}: ${median(xs).toFixed(0)} ns/span (quartiles ${quantile(xs, 0.25).toFixed(0)}–${quantile(xs, 0.75).toFixed(0)}); ` +
          `sink counted ${counted.spans}/${expected}` +
          (counted.errors ? `, ${counted.errors} sink errors (${counted.lastError})` : ''),
      );
      // a build whose spans did not all arrive may look faster than it is
      if (counted.spans < expected) console.log(`  WARNING: ${expected - counted.spans} spans of ${build} not received`);
    }
  } finally {
    await sink.shutdown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
