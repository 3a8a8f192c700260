'use strict';
/**
 * Where the CPU of a traced request goes, seen by Linux `perf` instead of V8's profiler: the
 * whole process (V8 runtime, inline-cache misses, GC threads, libuv, kernel), at a fixed
 * sampling cost that does not grow with stack depth (V8's profiler slows every function of a
 * deeper-stacked app, so it overstates a tracer). Two modes of the http suite run under the
 * same load, one after the other, each recorded for one window; samples are divided by the
 * requests served in that window.
 *
 *   node bench/tools/perf-diff.js [--framework=express4] [--modes=bare,jt] [--seconds=6] [--top=30]
 *
 * Needs `perf` (linux-perf) and permission to record another process (root, or
 * kernel.perf_event_paranoid <= 1). Apps run with `--perf-basic-prof`, so JIT frames have
 * names; inlined functions show as the function they were inlined into, and a name can be
 * stale: V8 reuses the address of collected code, and the map file keeps the first owner's name
 * (`resolve node:path` inside express's router was seen this way). Trust the kinds of code more
 * than single JIT names. Writes perf data under the system temp dir; prints tables, writes
 * nothing else.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { startApp, loadWindow, finishApp } = require('../suites/http');
const { startSink, startLoadGenerator } = require('../lib/sink-client');

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const framework = arg('framework', 'express4');
const [modeA, modeB] = arg('modes', 'bare,jt').split(',');
const seconds = Number(arg('seconds', 6));
const top = Number(arg('top', 30));

/** Coarse kind of a sampled leaf symbol. */
const CATEGORIES = [
  ['kernel', (sym, kernel) => kernel],
  ['JIT-compiled JS', (sym) => sym.startsWith('JS:') || sym.startsWith('RegExp:')],
  ['GC and write barriers', (sym) => /Scaveng|Heap::|MarkCompact|Sweep|Evacuat|Marking|MinorMC|RememberedSet|SlotSet|WriteBarrier|RecordWrite/.test(sym)],
  ['inline caches, maps, property lookup', (sym) => /IC_|IC::|LoadIC|StoreIC|LookupIterator|ComputeHandler|FeedbackVector|StubCache|DescriptorArray|Map::|TransitionsAccessor|MigrateToMap|FieldIndex|JSObject::/.test(sym)],
  ['other V8 builtins', (sym) => sym.startsWith('Builtins_')],
  ['node C++ and libuv', (sym) => /node::|uv_|uv__|llhttp/.test(sym)],
  ['libc', (sym, kernel, dso) => /libc|libstdc\+\+/.test(dso)],
  ['other V8', (sym) => sym.includes('v8::')],
  ['other', () => true],
];

/**
 * `perf record` of one process on the cpu-clock event (its sample period is in ns; the default
 * event on hardware with counters is `cycles`, whose period is not time). `stop()` rejects when
 * perf ended before it was asked to (no permission, no such process), with perf's own message.
 */
function record(pid, file) {
  const perf = spawn('perf', ['record', '-e', 'cpu-clock', '-F', '2999', '-p', String(pid), '-o', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  perf.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => perf.once('exit', resolve));
  return {
    async stop() {
      const early = perf.exitCode !== null || perf.signalCode !== null;
      if (!early) perf.kill('SIGINT');
      const code = await exited;
      if (early) throw new Error(`perf record ended early (exit ${code}): ${stderr.trim().slice(0, 500)}`);
    },
  };
}

/** µs per request by category and by symbol, from `perf script` of one recording. */
function summarise(file, requests) {
  const out = spawnSync('perf', ['script', '-i', file, '-F', 'period,ip,sym,dso'], { maxBuffer: 1 << 30, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`perf script failed: ${out.stderr}`);
  const byCategory = new Map();
  const bySymbol = new Map();
  for (const line of out.stdout.split('\n')) {
    // "   period   ip sym (dso)"
    const m = /^\s*(\d+)\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$/.exec(line);
    if (!m) continue;
    const period = Number(m[1]);
    const sym = m[2] === '[unknown]' ? `[unknown] ${m[3]}` : m[2];
    const dso = m[3];
    const kernel = dso.includes('kernel');
    const category = CATEGORIES.find(([, test]) => test(sym, kernel, dso))[0];
    byCategory.set(category, (byCategory.get(category) ?? 0) + period);
    bySymbol.set(sym, (bySymbol.get(sym) ?? 0) + period);
  }
  const perRequest = (map) => new Map([...map].map(([k, ns]) => [k, ns / 1000 / requests]));
  return { byCategory: perRequest(byCategory), bySymbol: perRequest(bySymbol) };
}

function printDiff(title, a, b, limit) {
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => (b.get(y) ?? 0) - (a.get(y) ?? 0) - ((b.get(x) ?? 0) - (a.get(x) ?? 0)));
  console.log(`\n${title} (µs per request: ${modeA}, ${modeB}, added)`);
  for (const k of keys.slice(0, limit)) {
    const x = a.get(k) ?? 0;
    const y = b.get(k) ?? 0;
    console.log(`${x.toFixed(2).padStart(8)} ${y.toFixed(2).padStart(8)} ${(y - x >= 0 ? '+' : '') + (y - x).toFixed(2).padStart(7)}  ${k.slice(0, 120)}`);
  }
}

(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jt-perf-'));
  const apps = [];
  let sink;
  try {
    if (spawnSync('perf', ['--version']).status !== 0) throw new Error('perf is not installed (apt-get install linux-perf)');
    sink = await startSink();
    const load = await startLoadGenerator();
    for (const mode of [modeA, modeB]) {
      // --perf-basic-prof also opens V8's log: keep it out of the working directory
      const v8log = ['--perf-basic-prof', `--logfile=${path.join(dir, `v8-${mode}.log`)}`, '--no-logfile-per-isolate'];
      apps.push(await startApp(sink, framework, mode, `perf-${mode}`, { extraNodeArgs: v8log }));
    }
    // two warm-up windows each, interleaved, so both are optimised before recording
    for (let i = 0; i < 2; i++) for (const a of apps) await loadWindow(load, a, 3, 20);
    const results = [];
    for (const a of apps) {
      const file = path.join(dir, `${a.mode}.data`);
      const perf = record(a.pid, file);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const w = await loadWindow(load, a, seconds, 20);
      await perf.stop();
      results.push({ mode: a.mode, window: w, ...summarise(file, w.responses) });
      console.log(`${a.mode}: ${w.responses} requests, ${Math.round(w.rps)} req/s, ${w.cpuUsPerRequest.toFixed(1)} µs CPU per request (/proc)`);
    }
    const [ra, rb] = results;
    const total = (m) => [...m.values()].reduce((s, v) => s + v, 0);
    console.log(`sampled: ${total(ra.byCategory).toFixed(1)} vs ${total(rb.byCategory).toFixed(1)} µs per request`);
    printDiff('by kind of code', ra.byCategory, rb.byCategory, CATEGORIES.length);
    printDiff('by symbol', ra.bySymbol, rb.bySymbol, top);
  } catch (err) {
    console.error(`perf-diff.js: ${err.stack ?? err}`);
    process.exitCode = 1;
  } finally {
    for (const a of apps) {
      await finishApp(sink, a).catch(() => {});
      // the JIT symbol map --perf-basic-prof wrote for perf (always under /tmp, whatever TMPDIR says)
      fs.rmSync(`/tmp/perf-${a.pid}.map`, { force: true });
    }
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit();
  }
})();
