'use strict';
/**
 * Preload (`node -r bench/lib/heap-sampler.js`): SIGUSR2 starts V8's sampling heap profiler,
 * counting objects the GC already collected too (so it measures allocation, not retention);
 * the next SIGUSR2 stops it, writes BENCH_PROFILE_FILE and prints `BENCH_PROFILE_WRITTEN`.
 */
const fs = require('node:fs');
const inspector = require('node:inspector');

const session = new inspector.Session();
session.connect();
let running = false;
const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));

process.on('SIGUSR2', () => {
  const step = running
    ? post('HeapProfiler.stopSampling').then(({ profile }) => {
        fs.writeFileSync(process.env.BENCH_PROFILE_FILE, JSON.stringify(profile));
        process.stdout.write('BENCH_PROFILE_WRITTEN\n');
      })
    : post('HeapProfiler.enable').then(() =>
        post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }),
      );
  running = !running;
  step.catch((err) => console.error(`[heap-sampler] ${err}`));
});
