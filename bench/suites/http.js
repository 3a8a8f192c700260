'use strict';
/**
 * HTTP overhead: hello-world apps under each tracer, driven by autocannon. Every
 * measurement is a fresh app process pinned to the app core (warm-up, then the measured
 * window), the load generator and the sink on the other core. Each round runs every mode
 * once, in an order rotated per round, and each mode's req/s is divided by bare's req/s of
 * the same round and framework.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnReady, runJson, rssOf, cpuSecondsOf, stop, sleep } = require('../lib/proc');
const { rotate, summary } = require('../lib/stats');

const BENCH = path.join(__dirname, '..');

const FRAMEWORKS = {
  http: { script: 'apps/http.js', cwd: BENCH },
  express4: { script: 'apps/express4.js', cwd: BENCH },
  express5: {
    script: 'fixtures/express5/app.js',
    cwd: path.join(BENCH, 'fixtures/express5'),
    needs: path.join(BENCH, 'fixtures/express5/node_modules/express/package.json'),
  },
  koa: { script: 'apps/koa.js', cwd: BENCH },
  fastify: { script: 'apps/fastify.js', cwd: BENCH },
};

const JT_ENV = (port, param) => ({
  JAEGER_SERVICE_NAME: 'bench-jt',
  JAEGER_AGENT_HOST: '127.0.0.1',
  JAEGER_AGENT_PORT: String(port),
  JAEGER_SAMPLER_TYPE: 'const',
  JAEGER_SAMPLER_PARAM: String(param),
});

/** How each mode starts the app: extra node arguments, environment, and the sink it exports to. */
const MODES = {
  bare: { describe: 'node app.js', nodeArgs: [], env: () => ({}), sink: null },
  jt: {
    describe: 'node -r @jt/auto app.js (JAEGER_SAMPLER_TYPE=const JAEGER_SAMPLER_PARAM=1, UDP compact thrift to the sink)',
    nodeArgs: ['-r', '@jt/auto'],
    env: (port) => JT_ENV(port, 1),
    sink: 'udp-compact',
  },
  'jt-unsampled': {
    describe: 'node -r @jt/auto app.js with JAEGER_SAMPLER_PARAM=0 (instrumentation cost alone)',
    nodeArgs: ['-r', '@jt/auto'],
    env: (port) => JT_ENV(port, 0),
    sink: 'udp-compact',
    expectsSpans: false,
  },
  jaeger: {
    describe: 'jaeger-client 3.19 initTracer (const 1, UDP binary thrift to the sink) + a minimal middleware',
    nodeArgs: [],
    env: (port) => ({ BENCH_MODE: 'jaeger', BENCH_AGENT_PORT: String(port) }),
    sink: 'udp-binary',
  },
  otel: {
    describe: 'node -r tracers/otel-preload.js app.js (NodeTracerProvider, BatchSpanProcessor defaults, OTLP/HTTP JSON, http + express instrumentations)',
    nodeArgs: ['-r', path.join(BENCH, 'tracers/otel-preload.js')],
    env: (port) => ({ BENCH_OTLP_ENDPOINT: `http://127.0.0.1:${port}/v1/traces` }),
    sink: 'http',
  },
};

/** One app process: start, warm up + measure with autocannon, RSS, stop, count spans at the sink. */
async function measureOnce(sink, fw, modeName, label, opts) {
  const mode = MODES[modeName];
  const framework = FRAMEWORKS[fw];
  const port = mode.sink ? await sink.open(label, mode.sink) : undefined;
  const nodeArgs = [...mode.nodeArgs];
  const env = { BENCH_MODE: modeName === 'jaeger' ? 'jaeger' : modeName, ...mode.env(port) };
  if (opts.profileDir && opts.profileModes.includes(modeName)) {
    fs.mkdirSync(opts.profileDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`, `--cpu-prof-name=${label}.cpuprofile`);
    env.BENCH_CLEAN_EXIT = '1';
  }
  const app = await spawnReady('app', [...nodeArgs, path.join(BENCH, framework.script)], { env, cwd: framework.cwd });
  const pid = app.child.pid;
  try {
    const rssBefore = rssOf(pid);
    const cpu0 = cpuSecondsOf(pid);
    const { result } = await runJson('load', [
      path.join(BENCH, 'lib/load.js'),
      JSON.stringify({ url: `http://127.0.0.1:${app.info.port}/`, connections: opts.connections, warmupS: opts.warmupS, durationS: opts.durationS }),
    ]);
    if (app.child.exitCode !== null || app.child.signalCode !== null) {
      throw new Error(`the app died under load (${app.child.exitCode ?? app.child.signalCode}):\n${app.output().trim().slice(-1500)}`);
    }
    const rssAfter = rssOf(pid);
    const appCpuS = cpuSecondsOf(pid) - cpu0;
    const exit = await stop(app.child, 'SIGTERM');
    let spans;
    let sinkErrors;
    if (mode.sink) {
      const c = await sink.settle(label, { quietMs: 400, maxMs: 8000 });
      spans = c.spans;
      sinkErrors = c.errors ? `${c.errors} (${c.lastError})` : undefined;
      await sink.close(label);
    }
    const requests = result.responses + result.warmupResponses;
    return {
      framework: fw,
      frameworkVersion: app.info.frameworkVersion,
      mode: modeName,
      label,
      ...result,
      rssBefore,
      rssAfter,
      appCpuS,
      exit,
      spans,
      spansPerRequest: spans === undefined ? undefined : spans / requests,
      sinkErrors,
      jtInstrumentations: app.info.jtInstrumentations,
      stderr: app.output().trim().slice(-2000) || undefined,
    };
  } finally {
    if (app.child.exitCode === null && app.child.signalCode === null) await stop(app.child, 'SIGKILL');
  }
}

/**
 * Runs the suite. opts: {frameworks, modesFor(fw), rounds, warmupS, durationS, connections,
 * profileDir?, profileModes?, log}. Returns {config, runs, summary}.
 */
async function runHttpSuite(sink, opts) {
  const runs = [];
  const skipped = [];
  for (const fw of opts.frameworks) {
    const framework = FRAMEWORKS[fw];
    if (framework.needs && !fs.existsSync(framework.needs)) {
      skipped.push({ framework: fw, reason: `${path.relative(BENCH, framework.needs)} is not installed` });
      continue;
    }
    const modes = opts.modesFor(fw);
    for (let round = 0; round < opts.rounds; round++) {
      for (const modeName of rotate(modes, round)) {
        const label = `${fw}-${modeName}-r${round}`;
        try {
          const run = await measureOnce(sink, fw, modeName, label, { ...opts, profileModes: opts.profileModes ?? [] });
          run.round = round;
          runs.push(run);
          opts.log(
            `  http ${label}: ${run.rps.toFixed(0)} req/s, p99 ${run.latencyP99} ms, RSS ${(run.rssAfter / 1048576).toFixed(1)} MB` +
              (run.spans !== undefined ? `, ${run.spansPerRequest.toFixed(3)} spans/req` : ''),
          );
        } catch (err) {
          runs.push({ framework: fw, mode: modeName, label, round, error: String(err.message ?? err).slice(0, 3000) });
          opts.log(`  http ${label}: FAILED ${String(err.message ?? err).split('\n')[0]}`);
        }
        await sleep(200);
      }
    }
  }
  return { runs, skipped, summary: summarize(runs) };
}

/** Per framework and mode: medians over rounds; ratios and RSS deltas against bare of the same round. */
function summarize(runs) {
  const out = {};
  const ok = runs.filter((r) => !r.error);
  for (const r of ok) {
    out[r.framework] ??= {};
    out[r.framework][r.mode] ??= { runs: [] };
    out[r.framework][r.mode].runs.push(r);
  }
  for (const [fw, modes] of Object.entries(out)) {
    const bareByRound = new Map((modes.bare?.runs ?? []).map((r) => [r.round, r]));
    for (const [mode, m] of Object.entries(modes)) {
      const ratios = [];
      const rssDeltas = [];
      for (const r of m.runs) {
        const bare = bareByRound.get(r.round);
        if (!bare) continue;
        ratios.push(r.rps / bare.rps);
        rssDeltas.push(r.rssAfter - bare.rssAfter);
      }
      m.summary = {
        frameworkVersion: m.runs[0]?.frameworkVersion,
        rps: summary(m.runs.map((r) => r.rps)),
        ratio: summary(ratios),
        latencyP50: summary(m.runs.map((r) => r.latencyP50)),
        latencyP99: summary(m.runs.map((r) => r.latencyP99)),
        rssAfter: summary(m.runs.map((r) => r.rssAfter)),
        rssDelta: summary(rssDeltas),
        spansPerRequest: summary(m.runs.map((r) => r.spansPerRequest)),
        spansMin: Math.min(...m.runs.map((r) => r.spans ?? Infinity)),
        loadCpuShare: summary(m.runs.map((r) => r.loadCpuShare)),
        errors: m.runs.reduce((a, r) => a + (r.errors ?? 0) + (r.non2xx ?? 0), 0),
        jtInstrumentations: m.runs[0]?.jtInstrumentations,
        expectsSpans: MODES[mode].sink !== null && MODES[mode].expectsSpans !== false,
      };
      delete m.runs;
    }
  }
  return out;
}

module.exports = { runHttpSuite, FRAMEWORKS, MODES, measureOnce };
