'use strict';
/**
 * Preloaded into an app by `tools/rss-ab.js`: on SIGUSR2 it prints one line
 * `BENCH_MEMORY {"oldSpace", "heapUsed", "live"}` (bytes): the old space V8 had committed and
 * the heap in use as load left them, then the live heap after a full GC. The full GC runs
 * after the readings, so it does not shrink what they show.
 */
const v8 = require('node:v8');
const vm = require('node:vm');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

process.on('SIGUSR2', () => {
  const oldSpace = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_size ?? 0;
  const heapUsed = process.memoryUsage().heapUsed;
  gc();
  gc();
  const live = process.memoryUsage().heapUsed;
  process.stdout.write(`BENCH_MEMORY ${JSON.stringify({ oldSpace, heapUsed, live })}\n`);
});
