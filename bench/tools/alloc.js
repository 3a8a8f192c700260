'use strict';
/**
 * Bytes allocated per request, by allocating function: a hello-world app per mode under
 * load, V8's sampling heap profiler on for one window (lib/heap-sampler.js, collected
 * objects included). What found the per-call closure contexts on jt's request path.
 *
 *   node bench/tools/alloc.js [--framework=express4] [--modes=bare,jt] [--top=30] [--focus=packages/]
 *                             [--base=DIR]   (adds modes jt-base, jt-base-unsampled: see lib/base-modes.js)
 *
 * `--focus=TEXT` also prints the call paths of the functions whose name contains TEXT.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startApp, finishApp, loadWindow, MODES } = require('../suites/http');
const { startSink, startLoadGenerator } = require('../lib/sink-client');
const { stop, sleep } = require('../lib/proc');
const { registerBaseModes } = require('../lib/base-modes');

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const framework = arg('framework', 'express4');
const modes = arg('modes', 'bare,jt').split(',');
const top = Number(arg('top', 30));
const focus = arg('focus');
const base = arg('base');
if (base) registerBaseModes(MODES, base);
const unknown = modes.filter((m) => !MODES[m]);
if (unknown.length) throw new Error(`unknown modes ${unknown.join(', ')} (jt-base needs --base=DIR)`);

function frameName(node) {
  const cf = node.callFrame;
  const where = cf.url.replace(/^file:\/\//, '').replace(/.*\/(node_modules|packages)\//, '$1/');
  return `${cf.functionName || '(anonymous)'} ${where}:${cf.lineNumber + 1}`;
}

function collect(node, out, stack = []) {
  const name = frameName(node);
  out.self.set(name, (out.self.get(name) ?? 0) + node.selfSize);
  const here = [...stack, name];
  if (focus && name.includes(focus) && node.selfSize > 0) {
    const key = here.slice(-6).reverse().join('\n      <- ');
    out.paths.set(key, (out.paths.get(key) ?? 0) + node.selfSize);
  }
  for (const child of node.children) collect(child, out, here);
}

(async () => {
  const sink = await startSink();
  const load = await startLoadGenerator();
  try {
    for (const mode of modes) {
      const file = path.join(os.tmpdir(), `jt-alloc-${framework}-${mode}-${process.pid}.json`);
      const a = await startApp(sink, framework, mode, `alloc-${mode}`, {
        extraNodeArgs: ['-r', path.join(__dirname, '../lib/heap-sampler.js')],
        extraEnv: { BENCH_PROFILE_FILE: file },
      });
      let served;
      try {
        await loadWindow(load, a, 2, 20);
        a.app.child.kill('SIGUSR2');
        await sleep(200);
        served = (await loadWindow(load, a, 3, 20)).responses;
        a.app.child.kill('SIGUSR2');
        for (let i = 0; i < 100 && !a.app.output().includes('BENCH_PROFILE_WRITTEN'); i++) await sleep(100);
        await finishApp(sink, a);
      } finally {
        await stop(a.app.child, 'SIGKILL');
      }
      const out = { self: new Map(), paths: new Map() };
      collect(JSON.parse(fs.readFileSync(file, 'utf8')).head, out);
      fs.rmSync(file, { force: true });
      const perRequest = (bytes) => (bytes / served).toFixed(0).padStart(6);
      const total = [...out.self.values()].reduce((x, y) => x + y, 0);
      console.log(`== ${framework} ${mode}: ${perRequest(total).trim()} B allocated per request (${served} requests sampled)`);
      for (const [name, bytes] of [...out.self].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${perRequest(bytes)}  ${name}`);
      for (const [key, bytes] of [...out.paths].sort((x, y) => y[1] - x[1]).slice(0, 10)) console.log(`${perRequest(bytes)}  ${key}`);
    }
  } finally {
    process.exit(0);
  }
})();
