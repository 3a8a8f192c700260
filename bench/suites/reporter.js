'use strict';
/**
 * Reporter: spans/s that jt's senders encode and send (one send in flight, batches of 100
 * realistic spans), and bytes per span on the wire as the sink received them, for thrift
 * compact and binary over UDP, binary thrift over HTTP (collector) and OTLP/HTTP protobuf.
 */
const path = require('node:path');
const { runJson, sleep } = require('../lib/proc');
const { rotate, summary } = require('../lib/stats');

const SENDERS = {
  'udp-compact': { sink: 'udp-compact', describe: 'UDPSender, thrift compact (agent 6831)' },
  'udp-binary': { sink: 'udp-binary', describe: 'UDPSender, thrift binary (agent 6832)' },
  http: { sink: 'http', describe: 'HTTPSender, binary thrift Batch POST (collector 14268)' },
  otlp: { sink: 'http', describe: 'OTLPSender, OTLP/HTTP protobuf (4318)' },
};

async function runReporterSuite(sink, opts) {
  const names = Object.keys(SENDERS);
  const runs = [];
  for (let round = 0; round < opts.rounds; round++) {
    for (const name of rotate(names, round)) {
      const label = `reporter-${name}-r${round}`;
      try {
        const port = await sink.open(label, SENDERS[name].sink);
        const { result } = await runJson('app', [
          path.join(__dirname, 'reporter-worker.js'),
          JSON.stringify({ sender: name, port, batchSize: 100, durationS: opts.durationS, warmupS: opts.warmupS }),
        ]);
        const c = await sink.settle(label, { target: result.totalSent, quietMs: 400, maxMs: 5000 });
        await sink.close(label);
        result.received = c.spans;
        result.wireBytes = c.bytes;
        result.messages = c.messages;
        result.bytesPerSpan = c.bytes / Math.max(1, c.spans);
        result.sinkErrors = c.errors ? `${c.errors} (${c.lastError})` : undefined;
        result.round = round;
        runs.push(result);
        opts.log(`  reporter ${label}: ${Math.round(result.spansPerSecond)} spans/s, ${result.bytesPerSpan.toFixed(1)} B/span, received ${c.spans}/${result.totalSent}`);
      } catch (err) {
        runs.push({ sender: name, round, error: String(err.message ?? err).slice(0, 3000) });
        opts.log(`  reporter ${label}: FAILED ${String(err.message ?? err).split('\n')[0]}`);
      }
      await sleep(100);
    }
  }
  const out = {};
  for (const name of names) {
    const mine = runs.filter((r) => r.sender === name && !r.error);
    if (mine.length === 0) continue;
    out[name] = {
      describe: SENDERS[name].describe,
      spansPerSecond: summary(mine.map((r) => r.spansPerSecond)),
      nsPerSpan: summary(mine.map((r) => r.nsPerSpan)),
      bytesPerSpan: summary(mine.map((r) => r.bytesPerSpan)),
      receivedShare: summary(mine.map((r) => r.received / r.totalSent)),
      failed: mine.reduce((a, r) => a + r.failed, 0),
      minReceived: Math.min(...mine.map((r) => r.received)),
    };
  }
  return { runs, summary: out };
}

module.exports = { runReporterSuite, SENDERS };
