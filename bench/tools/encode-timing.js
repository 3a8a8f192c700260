'use strict';
/**
 * When to encode: the same server spans encoded one by one as each finishes (hot in the CPU
 * cache) or as a batch after the app's work in between (~20 KB of other garbage per span, as a
 * hello-world request makes), the way the reporter does today. The question behind "encode at
 * report time": how much of the batch cost is the cold data.
 *
 *   node bench/tools/encode-timing.js [DIR]     (DIR: a built repo, default this one)
 *
 * Prints ns per span for both (medians of 41 trials of 500 spans); writes nothing. The hot
 * figure includes two `process.hrtime.bigint()` reads per span (~50–100 ns).
 */
const path = require('node:path');
const { makeServerSpan } = require('../lib/server-span-fixture');

const dist = path.join(path.resolve(process.argv[2] ?? path.join(__dirname, '../..')), 'packages/core/dist');
const core = require(path.join(dist, 'index.js'));
const { JaegerThriftEncoder } = require(path.join(dist, 'thrift/jaeger-encoder.js'));
const { encodeSpanList } = require(path.join(dist, 'thrift/span-list.js'));

const reporter = new core.InMemoryReporter();
const tracer = new core.Tracer('bench', reporter, new core.ConstSampler(true));
const encoder = new JaegerThriftEncoder('compact');

let garbage = [];
/** The app's own allocations between two spans. */
function appWork() {
  for (let k = 0; k < 200; k++) garbage.push({ a: k, b: `x${k}`, c: [k] });
  if (garbage.length > 20000) garbage = [];
}

function trial(atFinish) {
  reporter.clear();
  const spans = [];
  let hotNs = 0;
  for (let i = 0; i < 500; i++) {
    const span = makeServerSpan(tracer, i);
    if (atFinish) {
      const t0 = process.hrtime.bigint();
      encoder.writer.reset();
      encoder.writeSpan(span);
      hotNs += Number(process.hrtime.bigint() - t0);
    }
    spans.push(span);
    appWork();
  }
  if (atFinish) return hotNs / spans.length;
  encoder.writer.reset();
  const t0 = process.hrtime.bigint();
  encodeSpanList(encoder, spans);
  return Number(process.hrtime.bigint() - t0) / spans.length;
}

for (let i = 0; i < 50; i++) {
  trial(false);
  trial(true);
}
const batch = [];
const hot = [];
for (let i = 0; i < 41; i++) {
  batch.push(trial(false));
  hot.push(trial(true));
}
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
console.log(`batch after the app's work: ${median(batch).toFixed(0)} ns/span; one by one at finish: ${median(hot).toFixed(0)} ns/span`);
