'use strict';
/**
 * Preload (`node -r bench/lib/profiler.js`) that CPU-profiles only a chosen window, so
 * start-up (module loading) does not pollute per-request figures: SIGUSR2 starts the V8
 * profiler, the next SIGUSR2 stops it and writes BENCH_PROFILE_FILE, then prints
 * `BENCH_PROFILE_WRITTEN`. Workers can call `globalThis.__benchProfile.start()/stop()` instead.
 */
const fs = require('node:fs');
const inspector = require('node:inspector');

const file = process.env.BENCH_PROFILE_FILE;
const intervalUs = Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 200);
const session = new inspector.Session();
session.connect();
let running = false;

function post(method, params) {
  return new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
}

async function start() {
  if (running) return;
  running = true;
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: intervalUs });
  await post('Profiler.start');
}

async function stop() {
  if (!running) return;
  running = false;
  const { profile } = await post('Profiler.stop');
  fs.writeFileSync(file, JSON.stringify(profile));
  process.stdout.write('BENCH_PROFILE_WRITTEN\n');
}

globalThis.__benchProfile = { start, stop };
process.on('SIGUSR2', () => {
  (running ? stop() : start()).catch((err) => console.error(`[profiler] ${err}`));
});
