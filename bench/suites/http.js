'use strict';
/**
 * HTTP overhead: hello-world apps under each tracer, driven by autocannon.
 *
 * The machine is shared, and other work comes and goes on a scale of seconds; so, per
 * framework, one app process per mode runs for the whole measurement (all pinned to the app
 * core, idle unless loaded), and the load generator visits them in short windows, cycle
 * after cycle, in an order rotated per cycle. Each window's req/s is divided by bare's in
 * the same cycle (seconds apart). We also read each app's CPU time per window: CPU per
 * request is barely moved by other processes taking turns on the core, so bare's CPU/request
 * divided by the mode's is a second, steadier estimate of the throughput ratio.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnReady, rssOf, cpuSecondsOf, stop, sleep } = require('../lib/proc');
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

/** What the `cpu-burn` control spins per request, in µs. */
const CPU_BURN_US = 8;

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
    describe: 'node -r @jt/auto app.js with JAEGER_SAMPLER_PARAM=0 (instrumentation and context cost alone)',
    nodeArgs: ['-r', '@jt/auto'],
    env: (port) => JT_ENV(port, 0),
    sink: 'udp-compact',
    expectsSpans: false,
  },
  'jt-no-export': {
    describe: 'node -r @jt/auto -r tracers/jt-no-export.js app.js: as `jt`, but the reporter discards each finished span (a control: `jt` minus this is what encoding and sending cost)',
    nodeArgs: ['-r', '@jt/auto', '-r', path.join(BENCH, 'tracers/jt-no-export.js')],
    env: (port) => JT_ENV(port, 1),
    sink: 'udp-compact',
    expectsSpans: false,
  },
  'als-only': {
    describe: 'node -r tracers/als-only.js app.js: each request run inside AsyncLocalStorage.run and nothing else (a control: the async_hooks cost every context-keeping tracer pays on Node 20)',
    nodeArgs: ['-r', path.join(BENCH, 'tracers/als-only.js')],
    env: () => ({}),
    sink: null,
  },
  'cpu-burn': {
    describe: `node -r tracers/cpu-burn.js app.js: a pure ${CPU_BURN_US} µs of CPU per request and nothing else (a control: how req/s answers a known cost on this machine)`,
    nodeArgs: ['-r', path.join(BENCH, 'tracers/cpu-burn.js')],
    env: () => ({ BENCH_BURN_US: String(CPU_BURN_US) }),
    sink: null,
  },
  jaeger: {
    describe: 'jaeger-client 3.19 initTracer (const 1, UDP binary thrift to the sink) + a minimal middleware',
    nodeArgs: [],
    env: (port) => ({ BENCH_AGENT_PORT: String(port) }),
    sink: 'udp-binary',
  },
  otel: {
    describe: 'node -r tracers/otel-preload.js app.js (NodeTracerProvider, BatchSpanProcessor defaults, OTLP/HTTP JSON, http + express instrumentations)',
    nodeArgs: ['-r', path.join(BENCH, 'tracers/otel-preload.js')],
    env: (port) => ({ BENCH_OTLP_ENDPOINT: `http://127.0.0.1:${port}/v1/traces` }),
    sink: 'http',
  },
};

/** Starts one app process in `modeName` (its sink listener first). */
async function startApp(sink, fw, modeName, label, { extraNodeArgs = [], extraEnv = {} } = {}) {
  const mode = MODES[modeName];
  const framework = FRAMEWORKS[fw];
  const port = mode.sink ? await sink.open(label, mode.sink) : undefined;
  const nodeArgs = [...mode.nodeArgs, ...extraNodeArgs];
  const env = { BENCH_MODE: modeName, ...mode.env(port), ...extraEnv };
  const app = await spawnReady('app', [...nodeArgs, path.join(BENCH, framework.script)], { env, cwd: framework.cwd });
  return { fw, mode: modeName, label, app, pid: app.child.pid, url: `http://127.0.0.1:${app.info.port}/`, responses: 0, windows: [] };
}

function isDead(a) {
  return a.app.child.exitCode !== null || a.app.child.signalCode !== null;
}

/** One load window against one app; CPU and RSS of the app read around it. */
async function loadWindow(load, a, durationS, connections) {
  const cpu0 = cpuSecondsOf(a.pid);
  const result = await load.window({ url: a.url, connections, durationS });
  const cpuS = cpuSecondsOf(a.pid) - cpu0;
  if (isDead(a)) throw new Error(`the app died under load (${a.app.child.exitCode ?? a.app.child.signalCode}):\n${a.app.output().trim().slice(-1500)}`);
  a.responses += result.responses;
  return { ...result, cpuS, cpuUsPerRequest: (cpuS * 1e6) / Math.max(1, result.responses), rss: rssOf(a.pid) };
}

/** Stops the app (SIGTERM: the tracers flush) and counts what its sink received. */
async function finishApp(sink, a) {
  const exit = await stop(a.app.child, 'SIGTERM');
  const mode = MODES[a.mode];
  const out = { exit };
  if (mode.sink) {
    const c = await sink.settle(a.label, { quietMs: 400, maxMs: 8000 });
    out.spans = c.spans;
    out.spansPerRequest = c.spans / Math.max(1, a.responses);
    if (c.errors) out.sinkErrors = `${c.errors} (${c.lastError})`;
    await sink.close(a.label);
  }
  return out;
}

async function runFramework(sink, load, fw, opts) {
  const modes = opts.modesFor(fw);
  const apps = new Map();
  const failures = [];
  const fail = (modeName, err) => {
    failures.push({ framework: fw, mode: modeName, error: String(err.message ?? err).slice(0, 3000) });
    opts.log(`  http ${fw}/${modeName}: FAILED ${String(err.message ?? err).split('\n')[0]}`);
    const a = apps.get(modeName);
    apps.delete(modeName);
    if (a && !isDead(a)) return stop(a.app.child, 'SIGKILL');
    return undefined;
  };
  try {
    for (const modeName of modes) {
      try {
        apps.set(modeName, await startApp(sink, fw, modeName, `${fw}-${modeName}`));
      } catch (err) {
        await fail(modeName, err);
      }
    }
    if (!apps.has('bare')) throw new Error(`${fw}: the bare app did not start`);
    for (const [modeName, a] of [...apps]) {
      try {
        await loadWindow(load, a, opts.warmupS, opts.connections);
      } catch (err) {
        await fail(modeName, err);
      }
    }
    for (let cycle = 0; cycle < opts.cycles; cycle++) {
      const line = [];
      for (const modeName of rotate(modes, cycle)) {
        const a = apps.get(modeName);
        if (!a) continue;
        try {
          const w = await loadWindow(load, a, opts.windowS, opts.connections);
          a.windows.push({ cycle, ...w });
          line.push(`${modeName} ${Math.round(w.rps)}`);
        } catch (err) {
          await fail(modeName, err);
        }
      }
      opts.log(`  http ${fw} cycle ${cycle}: ${line.join(', ')} req/s`);
    }
    const result = { framework: fw, frameworkVersion: apps.get('bare').app.info.frameworkVersion, modes: {}, failures };
    for (const [modeName, a] of apps) {
      const end = await finishApp(sink, a);
      result.modes[modeName] = {
        windows: a.windows,
        totalResponses: a.responses,
        ...end,
        jtInstrumentations: a.app.info.jtInstrumentations,
        stderr: a.app.output().replace(/BENCH_READY .*\n?/, '').trim().slice(-1000) || undefined,
      };
      opts.log(
        `  http ${fw}/${modeName}: ${a.responses} responses` +
          (end.spans !== undefined ? `, ${end.spans} spans at the sink (${end.spansPerRequest.toFixed(3)}/req)` : ''),
      );
    }
    return result;
  } finally {
    for (const a of apps.values()) if (!isDead(a)) await stop(a.app.child, 'SIGKILL');
  }
}

/**
 * Runs the suite. opts: {frameworks, modesFor(fw), cycles, windowS, warmupS, connections, log}.
 */
async function runHttpSuite(sink, load, opts) {
  const frameworks = [];
  const skipped = [];
  for (const fw of opts.frameworks) {
    const framework = FRAMEWORKS[fw];
    if (framework.needs && !fs.existsSync(framework.needs)) {
      skipped.push({ framework: fw, reason: `${path.relative(BENCH, framework.needs)} is not installed` });
      continue;
    }
    try {
      frameworks.push(await runFramework(sink, load, fw, opts));
    } catch (err) {
      frameworks.push({ framework: fw, error: String(err.message ?? err).slice(0, 3000), modes: {}, failures: [] });
      opts.log(`  http ${fw}: FAILED ${String(err.message ?? err).split('\n')[0]}`);
    }
    await sleep(300);
  }
  return { frameworks, skipped, summary: summarize(frameworks) };
}

/** Per framework and mode: medians over cycles; ratios against bare of the same cycle. */
function summarize(frameworks) {
  const out = {};
  for (const f of frameworks) {
    if (f.error) continue;
    const bare = new Map((f.modes.bare?.windows ?? []).map((w) => [w.cycle, w]));
    out[f.framework] = {};
    for (const [mode, m] of Object.entries(f.modes)) {
      const ratios = [];
      const cpuRatios = [];
      const rssDeltas = [];
      const cpuAdded = [];
      for (const w of m.windows) {
        const b = bare.get(w.cycle);
        if (!b) continue;
        ratios.push(w.rps / b.rps);
        cpuRatios.push(b.cpuUsPerRequest / w.cpuUsPerRequest);
        cpuAdded.push(w.cpuUsPerRequest - b.cpuUsPerRequest);
        rssDeltas.push(w.rss - b.rss);
      }
      out[f.framework][mode] = {
        frameworkVersion: f.frameworkVersion,
        rps: summary(m.windows.map((w) => w.rps)),
        ratio: summary(ratios),
        cpuUsPerRequest: summary(m.windows.map((w) => w.cpuUsPerRequest)),
        cpuRatio: summary(cpuRatios),
        /** CPU µs per request above bare's in the same cycle. */
        cpuAddedUs: summary(cpuAdded),
        latencyP50: summary(m.windows.map((w) => w.latencyP50)),
        latencyP99: summary(m.windows.map((w) => w.latencyP99)),
        rss: summary(m.windows.map((w) => w.rss)),
        rssDelta: summary(rssDeltas),
        spans: m.spans,
        spansPerRequest: m.spansPerRequest,
        loadCpuShare: summary(m.windows.map((w) => w.loadCpuShare)),
        errors: m.windows.reduce((a, w) => a + (w.errors ?? 0) + (w.non2xx ?? 0), 0),
        jtInstrumentations: m.jtInstrumentations,
        expectsSpans: MODES[mode].sink !== null && MODES[mode].expectsSpans !== false,
      };
    }
  }
  return out;
}

module.exports = { runHttpSuite, FRAMEWORKS, MODES, CPU_BURN_US, startApp, finishApp, loadWindow };
