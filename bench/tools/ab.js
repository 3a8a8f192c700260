'use strict';
/**
 * A/B of two jt builds on one hello-world app, in the http suite's harness (interleaved
 * windows, ratios to bare per cycle): the working tree's `-r @jt/auto` against a snapshot.
 *
 *   node bench/tools/ab.js --base=DIR [--framework=express4] [--cycles=10] [--generations=2]
 *                          [--modes=jt-base,jt-unsampled] [--base-env=NAME=VALUE,...]
 *
 * DIR holds a copy of the repo's `package.json`, `node_modules` and built `packages/` from
 * before the change (e.g. `mkdir DIR && cp -a package.json node_modules packages DIR/`).
 * `--generations`: fresh processes per mode this many times over the cycles (one process's
 * luck is not its mode's). Prints the median ratio and CPU ratio per mode; writes nothing.
 */
const { MODES } = require('../suites/http');
const { registerBaseModes } = require('../lib/base-modes');
const { runHttpTool, printLine } = require('../lib/http-tool');

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const base = arg('base');
const framework = arg('framework', 'express4');
const cycles = Number(arg('cycles', 10));
const generations = Number(arg('generations', 2));
const extra = arg('modes', base ? 'jt-base' : '').split(',').filter(Boolean);
// extra environment for the snapshot's modes only (e.g. a switch an experimental build reads)
const baseEnv = Object.fromEntries(
  (arg('base-env', '') ?? '').split(',').filter(Boolean).map((pair) => [pair.split('=')[0], pair.split('=').slice(1).join('=')]),
);

if (base) registerBaseModes(MODES, base, baseEnv);
const unknown = extra.filter((m) => !MODES[m]);
if (unknown.length) throw new Error(`unknown modes ${unknown.join(', ')} (jt-base needs --base=DIR)`);

runHttpTool('ab.js', { framework, modes: ['bare', 'jt', ...extra], cycles, generations }, (summary) => {
  for (const [mode, m] of Object.entries(summary)) {
    const rss = m.rssDelta.median === undefined ? '' : ` Δ RSS ${(m.rssDelta.median / 2 ** 20).toFixed(1)} MB`;
    const added = mode === 'bare' ? '' : `  (+${m.cpuAddedUs.median.toFixed(1)} vs bare, per-cycle median)`;
    printLine(
      `${mode.padEnd(18)} ratio ${m.ratio.median.toFixed(3)}  CPU ratio ${m.cpuRatio.median.toFixed(3)}  CPU ${m.cpuUsPerRequest.median.toFixed(1)} µs/req${added}${rss}`,
    );
  }
});
