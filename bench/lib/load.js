'use strict';
/**
 * Load generator child: `node lib/load.js '{"url":..., "connections":..., "warmupS":..., "durationS":...}'`.
 * Runs autocannon for the warm-up (discarded), then for the measured window, and prints
 * `BENCH_RESULT {json}` with throughput, latency and how busy this process was (if the load
 * generator itself saturates its core, the app's throughput is under-measured).
 */
const autocannon = require('autocannon');

function run(opts) {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function main() {
  const o = JSON.parse(process.argv[2]);
  const base = { url: o.url, connections: o.connections ?? 20, pipelining: 1, renderStatusCodes: false };
  let warmupResponses = 0;
  if (o.warmupS > 0) {
    const w = await run({ ...base, duration: o.warmupS });
    warmupResponses = w['2xx'] + w.non2xx;
  }
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = await run({ ...base, duration: o.durationS });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const responses = r['2xx'] + r.non2xx;
  const out = {
    responses,
    warmupResponses,
    rps: responses / r.duration,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    latencyP50: r.latency.p50,
    latencyP99: r.latency.p99,
    latencyMean: r.latency.average,
    loadCpuShare: (cpu.user + cpu.system) / 1e6 / wallS,
  };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(out)}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
