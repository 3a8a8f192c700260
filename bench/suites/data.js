'use strict';
/**
 * Data clients: ioredis GET/SET and pg `SELECT 1` ops/s, bare and instrumented by
 * @jt/redis / @jt/pg (every command a sampled span exported over UDP), in fresh pinned
 * processes, the two modes alternating per round; the ratio is jt / bare of the same round.
 * Skips a client, with the reason, when its instrumentation is not exported yet or its server
 * does not answer.
 */
const path = require('node:path');
const { runJson, sleep } = require('../lib/proc');
const { rotate, summary } = require('../lib/stats');

/**
 * Two workloads per client: `saturated` keeps the client's core busy (the ratio is then
 * jt's CPU cost per operation), `sequential` is one request at a time (the ratio is jt's
 * added latency per operation, what an app waiting on its database sees).
 */
const CLIENTS = {
  'redis-saturated': { client: 'redis', concurrency: 16, describe: 'ioredis SET + GET (64-byte value), 16 concurrent loops on one connection' },
  'redis-sequential': { client: 'redis', concurrency: 1, describe: 'ioredis SET + GET (64-byte value), one loop' },
  'pg-saturated': { client: 'pg', concurrency: 8, describe: 'pg `SELECT 1`, 8 concurrent loops over 4 Client connections' },
  'pg-sequential': { client: 'pg', concurrency: 1, describe: 'pg `SELECT 1`, one loop on one Client' },
};

async function runDataSuite(sink, opts) {
  const out = { runs: [], skipped: [], summary: {} };
  const skippedClients = new Map();
  for (const workload of opts.workloads ?? Object.keys(CLIENTS)) {
    const { client, concurrency } = CLIENTS[workload];
    let skipped = skippedClients.get(client);
    for (let round = 0; round < opts.rounds && !skipped; round++) {
      for (const mode of rotate(['bare', 'jt'], round)) {
        const label = `data-${workload}-${mode}-r${round}`;
        try {
          const port = mode === 'jt' ? await sink.open(label, 'udp-compact') : undefined;
          const { result } = await runJson('app', [
            path.join(__dirname, 'data-worker.js'),
            JSON.stringify({ client, mode, port, durationS: opts.durationS, warmupS: opts.warmupS, concurrency }),
          ]);
          if (result.skipped) {
            skipped = result.skipped;
            if (port) await sink.close(label);
            break;
          }
          if (mode === 'jt') {
            const c = await sink.settle(label, { target: result.totalOps, quietMs: 400, maxMs: 5000 });
            result.spans = c.spans;
            result.spansPerOp = c.spans / result.totalOps;
            await sink.close(label);
          }
          result.round = round;
          result.workload = workload;
          out.runs.push(result);
          opts.log(
            `  data ${label}: ${Math.round(result.opsPerSecond)} ops/s` + (mode === 'jt' ? `, ${result.spansPerOp.toFixed(3)} spans/op` : ''),
          );
        } catch (err) {
          out.runs.push({ workload, client, mode, round, error: String(err.message ?? err).slice(0, 3000) });
          opts.log(`  data ${label}: FAILED ${String(err.message ?? err).split('\n')[0]}`);
        }
        await sleep(100);
      }
    }
    if (skipped) {
      if (!skippedClients.has(client)) out.skipped.push({ client, reason: skipped });
      skippedClients.set(client, skipped);
      opts.log(`  data ${workload}: skipped: ${skipped}`);
      continue;
    }
    const ok = out.runs.filter((r) => r.workload === workload && !r.error);
    const bare = new Map(ok.filter((r) => r.mode === 'bare').map((r) => [r.round, r]));
    const jt = ok.filter((r) => r.mode === 'jt');
    const paired = jt.filter((r) => bare.has(r.round));
    const ratios = paired.map((r) => r.opsPerSecond / bare.get(r.round).opsPerSecond);
    const cpuRatios = paired.map((r) => bare.get(r.round).cpuUsPerOp / r.cpuUsPerOp);
    out.summary[workload] = {
      client,
      describe: CLIENTS[workload].describe,
      version: ok[0]?.version,
      bare: summary([...bare.values()].map((r) => r.opsPerSecond)),
      jt: summary(jt.map((r) => r.opsPerSecond)),
      ratio: summary(ratios),
      cpuRatio: summary(cpuRatios),
      bareCpuUsPerOp: summary([...bare.values()].map((r) => r.cpuUsPerOp)),
      jtCpuUsPerOp: summary(jt.map((r) => r.cpuUsPerOp)),
      spansPerOp: summary(jt.map((r) => r.spansPerOp)),
      minSpans: jt.length ? Math.min(...jt.map((r) => r.spans)) : undefined,
      bareCpuShare: summary([...bare.values()].map((r) => r.cpuShare)),
      jtCpuShare: summary(jt.map((r) => r.cpuShare)),
    };
  }
  return out;
}

module.exports = { runDataSuite, CLIENTS };
