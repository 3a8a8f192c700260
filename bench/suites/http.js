'use strict';
/**
 * HTTP overhead: hello-world apps under each tracer, driven by autocannon.
 *
 * The machine is shared, and other work comes and goes on a scale of seconds; so, per
 * framework, one app process per mode runs at a time (all pinned to the app core, idle unless
 * loaded), and the load generator visits them in short windows, cycle after cycle, in an
 * order rotated per cycle; every few cycles the processes are replaced by fresh ones
 * (`generations`, see `runFramework`). Each window's req/s is divided by bare's in
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

/**
 * One framework, all its modes. The cycles are split among `opts.generations` sets of
 * processes: each generation starts a fresh process per mode (in an order rotated per
 * generation), warms them up, runs its share of the cycles and stops them. A process keeps
 * whatever luck it had at start (JIT decisions, heap sizing, the load on the machine while it
 * warmed up): two processes of the same mode measured side by side differed by up to 10% in
 * CPU per request here, and the first one started was the slow one more often than not, so
 * more than one process per mode is what makes the ratios about the tracer.
 */
async function runFramework(sink, load, fw, opts) {
  const modes = opts.modesFor(fw);
  const generations = Math.max(1, Math.min(opts.generations ?? 1, opts.cycles));
  const merged = new Map(modes.map((m) => [m, { windows: [], responses: 0, processes: 0, spansPerProcess: [] }]));
  const failures = [];
  const dropped = new Set();
  let frameworkVersion;
  for (let gen = 0; gen < generations; gen++) {
    // bare failed in an earlier generation: nothing left to compare with, keep what was measured
    if (dropped.has('bare')) break;
    const first = Math.floor((gen * opts.cycles) / generations);
    const last = Math.floor(((gen + 1) * opts.cycles) / generations);
    const apps = new Map();
    const fail = (modeName, err) => {
      failures.push({ framework: fw, mode: modeName, error: String(err.message ?? err).slice(0, 3000) });
      opts.log(`  http ${fw}/${modeName}: FAILED ${String(err.message ?? err).split('\n')[0]}`);
      dropped.add(modeName);
      const a = apps.get(modeName);
      apps.delete(modeName);
      if (a && !isDead(a)) return stop(a.app.child, 'SIGKILL');
      return undefined;
    };
    try {
      for (const modeName of rotate(modes, gen)) {
        if (dropped.has(modeName)) continue;
        try {
          const label = generations === 1 ? `${fw}-${modeName}` : `${fw}-${modeName}-g${gen}`;
          apps.set(modeName, await startApp(sink, fw, modeName, label));
        } catch (err) {
          await fail(modeName, err);
        }
      }
      if (!apps.has('bare')) {
        if (gen === 0) throw new Error(`${fw}: the bare app did not start`);
        // a later generation: its other processes are stopped unmeasured (sink labels closed)
        for (const a of apps.values()) await finishApp(sink, a).catch(() => undefined);
        apps.clear();
        break;
      }
      frameworkVersion ??= apps.get('bare').app.info.frameworkVersion;
      for (const [modeName, a] of [...apps]) {
        try {
          await loadWindow(load, a, opts.warmupS, opts.connections);
        } catch (err) {
          await fail(modeName, err);
        }
      }
      for (let cycle = first; cycle < last; cycle++) {
        const line = [];
        for (const modeName of rotate(modes, cycle)) {
          const a = apps.get(modeName);
          if (!a) continue;
          try {
            const w = await loadWindow(load, a, opts.windowS, opts.connections);
            a.windows.push({ cycle, generation: gen, ...w });
            line.push(`${modeName} ${Math.round(w.rps)}`);
          } catch (err) {
            await fail(modeName, err);
          }
        }
        opts.log(`  http ${fw} cycle ${cycle}${generations > 1 ? ` (processes ${gen + 1}/${generations})` : ''}: ${line.join(', ')} req/s`);
      }
      for (const [modeName, a] of apps) addProcess(merged.get(modeName), a, await finishApp(sink, a));
    } finally {
      for (const a of apps.values()) if (!isDead(a)) await stop(a.app.child, 'SIGKILL');
    }
  }
  const result = { framework: fw, frameworkVersion, generations, modes: {}, failures };
  for (const [modeName, m] of merged) {
    if (dropped.has(modeName) && m.windows.length === 0) continue;
    const r = modeResult(m);
    result.modes[modeName] = r;
    opts.log(
      `  http ${fw}/${modeName}: ${m.responses} responses from ${m.processes} process(es)` +
        (r.spans !== undefined ? `, ${r.spans} spans at the sink (${r.spansPerRequest.toFixed(3)}/req)` : ''),
    );
  }
  return result;
}

/** Adds one stopped process (`end`: what `finishApp` said) to its mode's merged figures. */
function addProcess(m, a, end) {
  m.windows.push(...a.windows);
  m.responses += a.responses;
  m.processes++;
  if (end.spans !== undefined) m.spansPerProcess.push(end.spans);
  m.exit = end.exit;
  if (end.sinkErrors) m.sinkErrors = end.sinkErrors;
  m.stderr = a.app.output().replace(/BENCH_READY .*\n?/, '').trim().slice(-1000) || m.stderr;
  m.jtInstrumentations ??= a.app.info.jtInstrumentations;
}

/** A mode's figures over all its processes; span counts only for modes with a sink. */
function modeResult(m) {
  const out = { windows: m.windows, totalResponses: m.responses, processes: m.processes, exit: m.exit };
  if (m.spansPerProcess.length > 0) {
    out.spans = m.spansPerProcess.reduce((sum, n) => sum + n, 0);
    out.spansPerProcess = m.spansPerProcess;
    out.spansPerRequest = out.spans / Math.max(1, m.responses);
  }
  if (m.sinkErrors) out.sinkErrors = m.sinkErrors;
  out.jtInstrumentations = m.jtInstrumentations;
  out.stderr = m.stderr;
  return out;
}

/**
 * Runs the suite. opts: {frameworks, modesFor(fw), cycles, generations, windowS, warmupS, connections, log}
 * (`generations`: fresh processes per mode this many times over the cycles; default 1).
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
        spansPerProcess: m.spansPerProcess,
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
