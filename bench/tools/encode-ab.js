'use strict';
/**
 * Interleaved A/B of the thrift span encoder of two builds (or more), in one process, on 500
 * spans from one fixture, each build's made by its own tracer: by default server spans as
 * `-r @jt/auto` makes them for an express hello world (root spans, 10 tags); `--spans=span-suite`
 * takes the span suite's spans instead (root spans, 3 tags: a fixed string, a varying number,
 * an alternating boolean).
 * Rounds alternate between the builds, in an order rotated per round, so the machine's drift
 * hits both alike.
 *
 *   node bench/tools/encode-ab.js DIR_A DIR_B [--rounds=21] [--spans=server|span-suite]
 *
 * Each DIR holds a built repo (its `packages/core/dist`), e.g. the working tree and a snapshot
 * made as for `ab.js`. Prints ns per span (median and quartiles of the rounds); writes nothing.
 */
const path = require('node:path');
const { makeServerSpan, makeSpanSuiteSpan } = require('../lib/server-span-fixture');
const { median, quantile, rotate } = require('../lib/stats');

const args = process.argv.slice(2);
const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 21);
const kind = args.find((a) => a.startsWith('--spans='))?.slice(8) ?? 'server';
const makeSpan = { server: makeServerSpan, 'span-suite': makeSpanSuiteSpan }[kind];
if (!makeSpan) throw new Error(`--spans: server or span-suite, not ${kind}`);
const builds = args.filter((a) => !a.startsWith('--')).map((d) => path.resolve(d));
if (builds.length < 2) throw new Error('usage: encode-ab.js DIR_A DIR_B [--rounds=21] [--spans=server|span-suite]');

const dist = (build, file) => require(path.join(build, 'packages/core/dist', file));

function fixtureSpans(core) {
  const reporter = new core.InMemoryReporter();
  const tracer = new core.Tracer('bench', reporter, new core.ConstSampler(true));
  for (let i = 0; i < 500; i++) makeSpan(tracer, i);
  return reporter.spans;
}

const runners = builds.map((build) => {
  // each build encodes spans its own tracer made (what it carries for its encoder is part of
  // the comparison), from the same fixture; only the random ids differ
  const spans = fixtureSpans(dist(build, 'index.js'));
  const { JaegerThriftEncoder } = dist(build, 'thrift/jaeger-encoder.js');
  const { encodeSpanList } = dist(build, 'thrift/span-list.js');
  const encoder = new JaegerThriftEncoder('compact');
  return (batches) => {
    const t0 = process.hrtime.bigint();
    for (let b = 0; b < batches; b++) {
      encoder.writer.reset();
      encodeSpanList(encoder, spans);
    }
    return Number(process.hrtime.bigint() - t0) / (batches * spans.length);
  };
});

for (const run of runners) run(300); // warm-up: optimized code for both
const samples = runners.map(() => []);
// the order rotates per round: no build always runs first
const indexes = builds.map((_, i) => i);
for (let r = 0; r < rounds; r++) for (const i of rotate(indexes, r)) samples[i].push(runners[i](100));
samples.forEach((xs, i) => {
  console.log(`${builds[i]}: ${median(xs).toFixed(0)} ns/span (quartiles ${quantile(xs, 0.25).toFixed(0)}–${quantile(xs, 0.75).toFixed(0)})`);
});
