'use strict';
/**
 * How far apart two processes of the same mode are: the http suite's harness with extra
 * copies of `bare` and `jt` (same settings, separate processes), one process per mode for
 * the whole run, so each copy keeps whatever luck it had at start.
 *
 *   node bench/tools/replicas.js [--framework=express4] [--replicas=3] [--cycles=8]
 *                                [--order=bare-2,jt,bare,...]   (start order; default bare, jt, copies)
 *
 * Prints each process's median ratio to `bare` and its median CPU µs per request; writes
 * nothing. This is what made the http suite start fresh processes several times per run
 * (`generations`).
 */
const { MODES } = require('../suites/http');
const { runHttpTool, printLine } = require('../lib/http-tool');

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const framework = arg('framework', 'express4');
const replicas = Number(arg('replicas', 3));
const cycles = Number(arg('cycles', 8));

const copies = [];
for (let i = 2; i <= replicas; i++) {
  MODES[`bare-${i}`] = { ...MODES.bare, describe: `${MODES.bare.describe} (copy ${i})` };
  copies.push(`bare-${i}`);
}
MODES['jt-2'] = { ...MODES.jt, describe: `${MODES.jt.describe} (copy 2)` };
copies.push('jt-2');
const order = arg('order', ['bare', 'jt', ...copies].join(',')).split(',');
const unknown = order.filter((m) => !MODES[m]);
if (unknown.length) throw new Error(`unknown modes ${unknown.join(', ')}`);

runHttpTool('replicas.js', { framework, modes: order, cycles, generations: 1 }, (summary) => {
  for (const [mode, m] of Object.entries(summary)) {
    printLine(
      `${mode.padEnd(8)} ratio to bare ${m.ratio.median.toFixed(3)} (${m.ratio.min.toFixed(3)}–${m.ratio.max.toFixed(3)})  ` +
        `CPU ${m.cpuUsPerRequest.median.toFixed(1)} µs/req`,
    );
  }
});
