'use strict';
/**
 * Memory A/B: one fresh app process per mode and repetition, in an order rotated per
 * repetition, each loaded alone for one window (pinned as in the http suite), then its RSS read
 * from /proc and its V8 heap asked for (`lib/memory-probe.js`, preloaded: old space, the live
 * heap after a full GC). One process per measurement, nothing else loaded beside it: single
 * readings here repeat within ~2 MB, where the http suite's RSS after its short windows
 * (several processes alive, each loaded in turn) spread over ~15 MB.
 *
 *   node bench/tools/rss-ab.js [--base=DIR] [--modes=bare,jt,jt-base] [--framework=express4]
 *                              [--repeats=6] [--seconds=8]
 *
 * Prints per mode the median and range of RSS, old space and live heap, and each median's
 * difference from bare's; writes nothing.
 */
const path = require('node:path');
const { MODES, startApp, finishApp, loadWindow } = require('../suites/http');
const { registerBaseModes } = require('../lib/base-modes');
const { startSink, startLoadGenerator } = require('../lib/sink-client');
const { printLine } = require('../lib/http-tool');
const { median } = require('../lib/stats');

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const base = arg('base');
const framework = arg('framework', 'express4');
const repeats = Number(arg('repeats', 6));
const seconds = Number(arg('seconds', 8));
const modes = arg('modes', base ? 'bare,jt,jt-base' : 'bare,jt').split(',').filter(Boolean);
if (base) registerBaseModes(MODES, base);
const unknown = modes.filter((m) => !MODES[m]);
if (unknown.length) throw new Error(`unknown modes ${unknown.join(', ')} (jt-base needs --base=DIR)`);

const PROBE = path.join(__dirname, '../lib/memory-probe.js');
const MB = 2 ** 20;

/** Asks the app's memory probe for its heap (SIGUSR2) and reads the line it prints. */
function heapOf(app) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 5000);
    const onData = (chunk) => {
      const line = String(chunk).split('\n').find((l) => l.startsWith('BENCH_MEMORY '));
      if (line === undefined) return;
      clearTimeout(timer);
      app.app.child.stdout.off('data', onData);
      resolve(JSON.parse(line.slice('BENCH_MEMORY '.length)));
    };
    app.app.child.stdout.on('data', onData);
    app.app.child.kill('SIGUSR2');
  });
}

async function main() {
  const sink = await startSink();
  const load = await startLoadGenerator();
  const readings = Object.fromEntries(modes.map((m) => [m, []]));
  try {
    for (let r = 0; r < repeats; r++) {
      const order = modes.map((_, i) => modes[(i + r) % modes.length]);
      for (const mode of order) {
        const app = await startApp(sink, framework, mode, `rss-${mode}-${r}`, { extraNodeArgs: ['-r', PROBE] });
        await loadWindow(load, app, 1, 20); // warm-up, as the http suite does
        const w = await loadWindow(load, app, seconds, 20);
        const heap = await heapOf(app);
        readings[mode].push({ rss: w.rss, rps: w.rps, ...heap });
        await finishApp(sink, app);
        process.stderr.write(`  rss-ab ${framework} ${mode} #${r + 1}: RSS ${(w.rss / MB).toFixed(1)} MB, old space ${heap ? (heap.oldSpace / MB).toFixed(1) : '?'} MB, live ${heap ? (heap.live / MB).toFixed(2) : '?'} MB\n`);
      }
    }
    const stat = (mode, key) => {
      const values = readings[mode].map((x) => x[key]).filter((v) => typeof v === 'number');
      return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
    };
    for (const mode of modes) {
      const parts = [];
      for (const [key, label, digits] of [['rss', 'RSS', 1], ['oldSpace', 'old space', 1], ['live', 'live heap', 2]]) {
        const s = stat(mode, key);
        const b = stat('bare', key);
        const delta = mode === 'bare' || !modes.includes('bare') ? '' : ` (${s.median - b.median >= 0 ? '+' : ''}${((s.median - b.median) / MB).toFixed(digits)})`;
        parts.push(`${label} ${(s.median / MB).toFixed(digits)}${delta} [${(s.min / MB).toFixed(digits)}–${(s.max / MB).toFixed(digits)}]`);
      }
      printLine(`${mode.padEnd(10)} ${parts.join('  ')} MB`);
    }
    // Where the rest of RSS sits: every heap space's committed size and the memory outside the
    // heap, as medians, each against bare's.
    const spaceNames = [...new Set(Object.values(readings).flat().flatMap((x) => Object.keys(x.spaces ?? {})))];
    for (const mode of modes) {
      for (const x of readings[mode]) for (const name of spaceNames) x[name] = x.spaces?.[name];
      const parts = [...spaceNames, 'external'].map((key) => {
        const s = stat(mode, key).median;
        const delta = mode === 'bare' || !modes.includes('bare') ? '' : `(${s - stat('bare', key).median >= 0 ? '+' : ''}${((s - stat('bare', key).median) / MB).toFixed(2)})`;
        return `${key.replace(/_space$/, '')} ${(s / MB).toFixed(2)}${delta}`;
      });
      printLine(`${mode.padEnd(10)} ${parts.join('  ')} MB`);
    }
  } finally {
    process.exit();
  }
}

main().catch((err) => {
  process.stderr.write(`rss-ab.js: ${err.stack ?? err}\n`);
  process.exit(1);
});
