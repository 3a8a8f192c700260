'use strict';
/**
 * Preloaded into an app by `tools/rss-ab.js`: on SIGUSR2 it prints one line
 * `BENCH_MEMORY {"oldSpace", "heapUsed", "spaces", "external", "live"}` (bytes): the old space
 * V8 had committed, the heap in use, every heap space's committed size and the memory outside
 * the heap (buffers, native) as load left them, then the live heap after a full GC. The full GC
 * runs after the readings, so it does not shrink what they show.
 */
const v8 = require('node:v8');
const vm = require('node:vm');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

process.on('SIGUSR2', () => {
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]));
  const oldSpace = spaces.old_space ?? 0;
  const { heapUsed, external } = process.memoryUsage();
  gc();
  gc();
  const live = process.memoryUsage().heapUsed;
  // For a heap breakdown by hand: BENCH_SNAPSHOT_DIR=/tmp/snaps writes the live heap there.
  if (process.env.BENCH_SNAPSHOT_DIR) v8.writeHeapSnapshot(`${process.env.BENCH_SNAPSHOT_DIR}/${process.env.BENCH_MODE ?? 'app'}-${process.pid}.heapsnapshot`);
  process.stdout.write(`BENCH_MEMORY ${JSON.stringify({ oldSpace, heapUsed, spaces, external, live })}\n`);
});
