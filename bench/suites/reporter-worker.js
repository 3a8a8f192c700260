'use strict';
/**
 * One sender throughput measurement in a fresh process:
 *   node suites/reporter-worker.js '{"sender":"udp-compact|udp-binary|http|otlp","port":P,
 *                                   "batchSize":100,"durationS":S,"warmupS":W}'
 * Builds 1000 realistic server spans with the jt tracer (8 tags, one log), then calls
 * `sender.send(batch)` back to back (awaiting each, as RemoteReporter does: one send in
 * flight) for the measured window. Prints spans/s encoded and sent, and ns per span.
 */
const path = require('node:path');
const core = require(path.join(__dirname, '../../packages/core'));

function makeSpans(count) {
  const memory = new core.InMemoryReporter();
  const tracer = new core.Tracer('bench-reporter', memory, new core.ConstSampler(true));
  for (let i = 0; i < count; i++) {
    const span = tracer.startSpan('GET /users/:id', {
      tags: {
        'span.kind': 'server',
        component: 'express',
        'http.method': 'GET',
        'http.url': `http://127.0.0.1:3000/users/${i}?expand=orders`,
        'http.route': '/users/:id',
        'http.status_code': 200,
        'peer.ipv4': '127.0.0.1',
        'sampler.type': 'const',
      },
    });
    span.log({ event: 'cache.miss', key: `user:${i}` });
    span.finish();
  }
  return { spans: memory.spans.slice(), process: tracer.processData() };
}

function makeSender(kind, port) {
  switch (kind) {
    case 'udp-compact':
      return new core.UDPSender({ host: '127.0.0.1', port, protocol: 'compact' });
    case 'udp-binary':
      return new core.UDPSender({ host: '127.0.0.1', port, protocol: 'binary' });
    case 'http':
      return new core.HTTPSender({ endpoint: `http://127.0.0.1:${port}/api/traces` });
    case 'otlp':
      return new core.OTLPSender({ endpoint: `http://127.0.0.1:${port}/v1/traces` });
    default:
      throw new Error(`unknown sender ${kind}`);
  }
}

async function sendFor(sender, spans, batchSize, seconds, counter) {
  const stats = { fullQueueDroppedSpans: 0, tooLargeDroppedSpans: 0, failedToEmitSpans: 0 };
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  let offset = 0;
  while (process.hrtime.bigint() < end) {
    const batch = spans.slice(offset, offset + batchSize);
    offset = (offset + batchSize) % (spans.length - batchSize);
    const r = await sender.send(batch, { seqNo: ++counter.seqNo, stats });
    counter.sent += r.sent;
    counter.failed += r.failed;
    if (r.error) counter.lastError = String(r.error.message ?? r.error);
  }
}

async function main() {
  const o = JSON.parse(process.argv[2]);
  const { spans, process: proc } = makeSpans(1000);
  const sender = makeSender(o.sender, o.port);
  sender.setProcess(proc);
  const counter = { seqNo: 0, sent: 0, failed: 0 };
  await sendFor(sender, spans, o.batchSize, o.warmupS, counter);
  const warm = { ...counter };
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await sendFor(sender, spans, o.batchSize, o.durationS, counter);
  const ns = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(cpu0);
  await sender.close();
  const sent = counter.sent - warm.sent;
  const result = {
    sender: o.sender,
    batchSize: o.batchSize,
    sent,
    totalSent: counter.sent,
    failed: counter.failed,
    lastError: counter.lastError,
    spansPerSecond: sent / (ns / 1e9),
    nsPerSpan: ns / sent,
    cpuNsPerSpan: ((cpu.user + cpu.system) * 1000) / sent,
  };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
