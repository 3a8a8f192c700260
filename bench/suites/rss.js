'use strict';
/**
 * Memory growth: an express 4 hello world under steady load for a long window, bare and under
 * `-r @jt/auto` (100% sampled) with the agent NOT listening (every UDP send refused), RSS
 * sampled every second from /proc. A leak shows as a positive slope over the second half of
 * the window; the queue bound shows as a flat line once the queue is full.
 */
const dgram = require('node:dgram');
const path = require('node:path');
const { spawnReady, runJson, rssOf, stop } = require('../lib/proc');
const { FRAMEWORKS } = require('./http');

const BENCH = path.join(__dirname, '..');

/** A UDP port that nothing listens on (bound, then released). */
function deadPort() {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, p) => a + p[0], 0) / n;
  const my = points.reduce((a, p) => a + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return num / den;
}

async function growthRun(mode, opts) {
  const framework = FRAMEWORKS[opts.framework];
  const env = { BENCH_MODE: mode };
  const nodeArgs = [];
  if (mode === 'jt-agent-down') {
    nodeArgs.push('-r', '@jt/auto');
    Object.assign(env, {
      JAEGER_SERVICE_NAME: 'bench-jt',
      JAEGER_AGENT_HOST: '127.0.0.1',
      JAEGER_AGENT_PORT: String(await deadPort()),
      JAEGER_SAMPLER_TYPE: 'const',
      JAEGER_SAMPLER_PARAM: '1',
    });
  }
  const app = await spawnReady('app', [...nodeArgs, path.join(BENCH, framework.script)], { env, cwd: framework.cwd });
  const pid = app.child.pid;
  const samples = [];
  const t0 = Date.now();
  const timer = setInterval(() => {
    const rss = rssOf(pid);
    if (rss !== undefined) samples.push([(Date.now() - t0) / 1000, rss]);
  }, 1000);
  try {
    const { result } = await runJson(
      'load',
      [
        path.join(BENCH, 'lib/load.js'),
        JSON.stringify({ url: `http://127.0.0.1:${app.info.port}/`, connections: opts.connections, warmupS: 0, durationS: opts.durationS }),
      ],
      { timeoutMs: (opts.durationS + 60) * 1000 },
    );
    clearInterval(timer);
    if (app.child.exitCode !== null || app.child.signalCode !== null) {
      throw new Error(`the app died under load:\n${app.output().trim().slice(-1500)}`);
    }
    const secondHalf = samples.filter(([t]) => t >= opts.durationS / 2);
    const rss = samples.map(([, r]) => r);
    return {
      mode,
      rps: result.rps,
      errors: result.errors,
      durationS: opts.durationS,
      rssEnd: rss[rss.length - 1],
      rssMax: Math.max(...rss),
      rssStart: rss[0],
      slopeMBPerMin: (slope(secondHalf) * 60) / 1048576,
      samples: samples.map(([t, r]) => [Math.round(t), Math.round(r / 1048576)]),
      stderr: app.output().trim().slice(-500) || undefined,
    };
  } finally {
    clearInterval(timer);
    await stop(app.child, 'SIGKILL');
  }
}

async function runRssSuite(opts) {
  const runs = [];
  for (const mode of ['bare', 'jt-agent-down']) {
    try {
      const r = await growthRun(mode, opts);
      runs.push(r);
      opts.log(
        `  rss ${mode}: ${(r.rssEnd / 1048576).toFixed(1)} MB at the end (max ${(r.rssMax / 1048576).toFixed(1)}), ` +
          `slope ${r.slopeMBPerMin.toFixed(2)} MB/min over the 2nd half, ${Math.round(r.rps)} req/s`,
      );
    } catch (err) {
      runs.push({ mode, error: String(err.message ?? err).slice(0, 3000) });
      opts.log(`  rss ${mode}: FAILED ${String(err.message ?? err).split('\n')[0]}`);
    }
  }
  return { framework: opts.framework, durationS: opts.durationS, connections: opts.connections, runs };
}

module.exports = { runRssSuite };
