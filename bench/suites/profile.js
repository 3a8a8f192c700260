'use strict';
/**
 * Where jt's time goes: CPU profiles of the same work without and with jt, each over the
 * measured window only (lib/profiler.js; start-up excluded), divided by the operations
 * served, and diffed: the µs per request (or per command, per span) that jt adds, by area
 * and by function. Pairs: plain http and express 4 (bare vs `-r @jt/auto`, sampled and
 * unsampled), ioredis saturated (bare vs @jt/redis), and the full span path alone.
 */
const fs = require('node:fs');
const path = require('node:path');
const { runJson, stop, sleep } = require('../lib/proc');
const { summarize, diffPerOperation, mergeProfiles } = require('../lib/profile-summary');
const { startApp, finishApp, loadWindow } = require('./http');

const BENCH = path.join(__dirname, '..');
const PROFILER = path.join(BENCH, 'lib/profiler.js');

async function waitFor(pred, ms) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out waiting for the profile');
    await sleep(50);
  }
}

/** One app under load with the profiler on for one window; resolves {file, ops}. */
async function profileApp(sink, load, fw, mode, file, cfg) {
  const a = await startApp(sink, fw, mode, path.basename(file, '.cpuprofile'), {
    extraNodeArgs: ['-r', PROFILER],
    extraEnv: { BENCH_PROFILE_FILE: file },
  });
  try {
    await loadWindow(load, a, cfg.warmupS, 20);
    a.app.child.kill('SIGUSR2');
    await sleep(100);
    const w = await loadWindow(load, a, cfg.durationS, 20);
    a.app.child.kill('SIGUSR2');
    await waitFor(() => fs.existsSync(file) && a.app.output().includes('BENCH_PROFILE_WRITTEN'), 10_000);
    await finishApp(sink, a);
    return { file, ops: w.responses };
  } finally {
    await stop(a.app.child, 'SIGKILL');
  }
}

async function profileWorker(sink, worker, args, file, sinkKind) {
  const label = path.basename(file, '.cpuprofile');
  const port = sinkKind ? await sink.open(label, sinkKind) : undefined;
  try {
    const { result } = await runJson('app', ['-r', PROFILER, path.join(BENCH, 'suites', worker), JSON.stringify({ ...args, port })], {
      env: { BENCH_PROFILE_FILE: file },
    });
    return { file, ops: result.ops ?? result.spans, result };
  } finally {
    if (port) await sink.close(label);
  }
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const rel = (f) => path.relative(path.join(BENCH, '..'), f);
const load = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));

async function runProfileSuite(sink, loadGen, cfg) {
  const dir = path.join(BENCH, 'profiles');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = (name) => path.join(dir, `${name}-${stamp}.cpuprofile`);
  const out = { diffs: [], single: [], failures: [] };
  const attempt = async (name, fn) => {
    try {
      await fn();
      cfg.log(`  profile ${name}: done`);
    } catch (err) {
      out.failures.push({ name, error: String(err.message ?? err).slice(0, 2000) });
      cfg.log(`  profile ${name}: FAILED ${String(err.message ?? err).split('\n')[0]}`);
    }
  };
  const diffOf = (title, unit, base, traced) => ({
    title,
    unit,
    files: [...base, ...traced].map((r) => rel(r.file)),
    ops: [sum(base.map((r) => r.ops)), sum(traced.map((r) => r.ops))],
    repetitions: base.length,
    ...diffPerOperation(
      mergeProfiles(base.map((r) => load(r.file))),
      sum(base.map((r) => r.ops)),
      mergeProfiles(traced.map((r) => load(r.file))),
      sum(traced.map((r) => r.ops)),
      { top: 20 },
    ),
  });
  for (const fw of ['http', 'express4']) {
    await attempt(`${fw} bare vs jt`, async () => {
      const runs = { bare: [], jt: [], 'jt-unsampled': [], ...(fw === 'http' ? { 'als-only': [] } : {}) };
      for (let rep = 0; rep < cfg.repetitions; rep++) {
        for (const mode of Object.keys(runs)) runs[mode].push(await profileApp(sink, loadGen, fw, mode, file(`${fw}-${mode}-${rep}`), cfg));
      }
      for (const mode of Object.keys(runs).filter((m) => m !== 'bare')) {
        out.diffs.push(diffOf(`${fw} hello world: bare vs \`${mode}\` (per request)`, 'request', runs.bare, runs[mode]));
      }
    });
  }
  await attempt('ioredis bare vs @jt/redis', async () => {
    const args = { client: 'redis', durationS: cfg.durationS, warmupS: 1, concurrency: 16 };
    const runs = { bare: [], jt: [] };
    for (let rep = 0; rep < cfg.repetitions; rep++) {
      for (const mode of Object.keys(runs)) {
        const r = await profileWorker(sink, 'data-worker.js', { ...args, mode }, file(`redis-${mode}-${rep}`), mode === 'jt' ? 'udp-compact' : undefined);
        if (r.result.skipped) throw new Error(r.result.skipped);
        runs[mode].push(r);
      }
    }
    out.diffs.push(diffOf('ioredis SET+GET, saturated: bare vs @jt/redis (per command)', 'command', runs.bare, runs.jt));
  });
  await attempt('span path full', async () => {
    const r = await profileWorker(
      sink,
      'span-worker.js',
      { tracer: 'jt', variant: 'full', spans: 300_000, warmup: 50_000 },
      file('span-full'),
      'udp-compact',
    );
    const s = summarize(load(r.file), { top: 20 });
    out.single.push({
      title: 'span path, sampled, full: jt initTracer + UDP compact (per span)',
      file: rel(r.file),
      busyUsPerOp: (s.busyMs * 1000) / r.ops,
      areas: s.areas.map((x) => ({ name: x.area, us: (x.ms * 1000) / r.ops, share: x.shareOfBusy })),
      functions: s.self.map((x) => ({ name: x.fn, us: (x.ms * 1000) / r.ops, share: x.shareOfBusy })),
      inclusive: summarize(load(r.file), { top: 15, filter: 'packages/' }).inclusive.map((x) => ({ name: x.fn, us: (x.ms * 1000) / r.ops, share: x.shareOfBusy })),
    });
  });
  return out;
}

module.exports = { runProfileSuite };
