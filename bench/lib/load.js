'use strict';
/**
 * Load generator (autocannon), two ways:
 * - one shot: `node lib/load.js '{"url", "connections", "warmupS", "durationS"}'` runs the
 *   warm-up (discarded) then the measured window, and prints `BENCH_RESULT {json}`;
 * - server: started with an IPC channel and no argument, it answers
 *   `{id, url, connections, durationS}` with `{id, result}` for as long as the parent
 *   wants, so short interleaved windows cost no process start.
 * `loadCpuShare` is how busy this process was: near 1 means the generator, not the app,
 * was the limit.
 */
const autocannon = require('autocannon');

function run(opts) {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function window({ url, connections = 20, durationS }) {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = await run({ url, connections, pipelining: 1, duration: durationS, renderStatusCodes: false });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const responses = r['2xx'] + r.non2xx;
  return {
    responses,
    rps: responses / r.duration,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    latencyP50: r.latency.p50,
    latencyP99: r.latency.p99,
    latencyMean: r.latency.average,
    loadCpuShare: (cpu.user + cpu.system) / 1e6 / wallS,
  };
}

async function oneShot(o) {
  let warmupResponses = 0;
  if (o.warmupS > 0) warmupResponses = (await window({ ...o, durationS: o.warmupS })).responses;
  const result = await window(o);
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ ...result, warmupResponses })}\n`);
}

if (process.argv[2]) {
  oneShot(JSON.parse(process.argv[2])).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else if (process.send) {
  process.on('message', (msg) => {
    window(msg).then(
      (result) => process.send({ id: msg.id, result }),
      (err) => process.send({ id: msg.id, error: String(err?.stack ?? err) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true });
} else {
  console.error('usage: node lib/load.js \'{"url":...,"durationS":...}\' (or as a child with an IPC channel)');
  process.exit(2);
}
