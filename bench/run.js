#!/usr/bin/env node
'use strict';
/**
 * jt benchmarks: jt against the bare app, jaeger-client and OpenTelemetry, in one harness.
 *
 *   node bench/run.js                 every suite, full length; writes bench/RESULTS.md
 *   node bench/run.js --smoke         a few seconds per suite; fails if a tracer exported nothing
 *   node bench/run.js --long          the memory growth check runs 5 minutes per mode
 *   node bench/run.js --suites=http,span --rounds=3
 *   node bench/run.js --render-only   RESULTS.md again from results/latest.json (no measuring)
 *
 * Suites: http, span, reporter, data, rss, profile. A partial run replaces only its suites in
 * bench/results/latest.json, and RESULTS.md is rendered from all of them (each section says
 * the command and date that produced it). See bench/README.md.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const BENCH = __dirname;
const REPO = path.join(BENCH, '..');

function parseArgs(argv) {
  const args = { smoke: false, long: false, install: true, suites: undefined, rounds: undefined, help: false, renderOnly: false };
  for (const a of argv) {
    if (a === '--smoke') args.smoke = true;
    else if (a === '--long') args.long = true;
    else if (a === '--no-install') args.install = false;
    else if (a === '--render-only') args.renderOnly = true;
    else if (a === '--help' || a === '-h') args.help = true;
    else if (a.startsWith('--suites=')) args.suites = a.slice(9).split(',').filter(Boolean);
    else if (a.startsWith('--rounds=')) args.rounds = Number(a.slice(9));
    else throw new Error(`unknown argument ${a} (try --help)`);
  }
  return args;
}

// ---------- setup: bench's own dependencies and the built packages ----------

function lockHash(dir) {
  const lock = path.join(dir, 'package-lock.json');
  return fs.existsSync(lock) ? crypto.createHash('sha1').update(fs.readFileSync(lock)).digest('hex') : undefined;
}

/** `npm ci --prefix dir` unless node_modules was installed from the same lock file. */
function ensureDeps(dir) {
  const hash = lockHash(dir);
  const stamp = path.join(dir, 'node_modules', '.jt-bench-lock');
  if (hash && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return;
  console.log(`[bench] installing ${path.relative(REPO, dir) || '.'} dependencies (npm ci)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm ci --prefix ${dir} failed (${r.status ?? r.signal})`);
  if (hash) fs.writeFileSync(stamp, hash);
}

/** The packages are measured from their dist/; build them if core or auto has never been built. */
function ensureBuilt() {
  const needed = ['packages/core/dist/index.js', 'packages/auto/dist/index.js'];
  if (needed.every((f) => fs.existsSync(path.join(REPO, f)))) return;
  console.log('[bench] building the packages (npx tsc -b)');
  spawnSync('npx', ['tsc', '-b'], { cwd: REPO, stdio: 'inherit' });
  const missing = needed.filter((f) => !fs.existsSync(path.join(REPO, f)));
  if (missing.length) throw new Error(`build output missing: ${missing.join(', ')}`);
}

// ---------- configuration of each suite ----------

/** Modes beside bare/jt/jaeger/otel on the frameworks `controlsOn` names: they split jt's cost. */
const CONTROL_MODES = ['jt-unsampled', 'jt-no-export', 'als-only', 'cpu-burn'];

function suiteConfig(args) {
  const smoke = args.smoke;
  const rounds = (full, quick) => args.rounds ?? (smoke ? quick : full);
  return {
    http: {
      frameworks: smoke ? ['express4'] : ['http', 'express4', 'express5', 'koa', 'fastify'],
      cycles: rounds(8, 1),
      // 4 sets of fresh processes over the cycles: one process's luck does not stand for its mode
      generations: smoke ? 1 : 4,
      warmupS: smoke ? 0.5 : 2,
      windowS: smoke ? 1 : 2,
      connections: 20,
      controlsOn: smoke ? [] : ['http', 'express4'],
    },
    span: {
      rounds: rounds(5, 1),
      spans: smoke ? 20_000 : 300_000,
      warmup: smoke ? 5_000 : 50_000,
      fullSpans: smoke ? 10_000 : 100_000,
      fullWarmup: smoke ? 2_000 : 20_000,
    },
    reporter: { rounds: rounds(3, 1), durationS: smoke ? 0.5 : 3, warmupS: smoke ? 0.2 : 0.5 },
    data: {
      rounds: rounds(5, 1),
      durationS: smoke ? 0.5 : 3,
      warmupS: smoke ? 0.2 : 1,
      workloads: smoke ? ['redis-saturated', 'pg-saturated'] : undefined,
    },
    rss: { framework: 'express4', durationS: smoke ? 4 : args.long ? 300 : 60, connections: 20 },
    profile: { warmupS: smoke ? 0.5 : 2, durationS: smoke ? 1 : 4, repetitions: args.rounds ?? (smoke ? 1 : 3) },
  };
}

const ALL_SUITES = ['http', 'span', 'reporter', 'data', 'rss', 'profile'];
const SMOKE_SUITES = ['http', 'span', 'reporter', 'data', 'rss'];

// ---------- smoke checks ----------

/** Problems that make `--smoke` fail: a suite that broke, or a tracer that exported nothing. */
function smokeProblems(results) {
  const problems = [];
  const s = results.suites;
  for (const [name, suite] of Object.entries(s)) if (suite.error) problems.push(`${name} suite failed: ${suite.error.split('\n')[0]}`);
  if (s.http && !s.http.error) {
    for (const f of s.http.data.frameworks) {
      if (f.error) problems.push(`http ${f.framework} failed: ${f.error.split('\n')[0]}`);
      for (const x of f.failures) problems.push(`http ${x.framework}/${x.mode} failed: ${x.error.split('\n')[0]}`);
    }
    for (const [fw, modes] of Object.entries(s.http.data.summary)) {
      for (const [mode, m] of Object.entries(modes)) {
        // per process: with several generations, one process exporting nothing must not hide behind the others
        const perProcess = m.spansPerProcess ?? [];
        if (m.expectsSpans && (perProcess.length === 0 || !perProcess.every((n) => n > 0))) {
          problems.push(`http ${fw}/${mode}: the tracer exported no span`);
        }
        if (!(m.rps.median > 0)) problems.push(`http ${fw}/${mode}: no request answered`);
      }
    }
  }
  if (s.span && !s.span.error) {
    for (const r of s.span.data.runs) if (r.error) problems.push(`span ${r.tracer}/${r.variant} failed: ${r.error.split('\n')[0]}`);
    for (const [tracer, f] of Object.entries(s.span.data.summary.full ?? {})) {
      if (!(f.minReceived > 0)) problems.push(`span full path: ${tracer} exported no span`);
    }
  }
  if (s.reporter && !s.reporter.error) {
    for (const r of s.reporter.data.runs) if (r.error) problems.push(`reporter ${r.sender} failed: ${r.error.split('\n')[0]}`);
    for (const [name, r] of Object.entries(s.reporter.data.summary)) if (!(r.minReceived > 0)) problems.push(`reporter ${name}: nothing received`);
  }
  if (s.data && !s.data.error) {
    for (const r of s.data.data.runs) if (r.error) problems.push(`data ${r.workload}/${r.mode} failed: ${r.error.split('\n')[0]}`);
    for (const [w, d] of Object.entries(s.data.data.summary)) if (!(d.minSpans > 0)) problems.push(`data ${w}: jt exported no span`);
  }
  if (s.rss && !s.rss.error) for (const r of s.rss.data.runs) if (r.error) problems.push(`rss ${r.mode} failed: ${r.error.split('\n')[0]}`);
  return problems;
}

// ---------- main ----------

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(fs.readFileSync(__filename, 'utf8').split('\n').slice(2, 16).join('\n'));
    return 0;
  }
  const started = Date.now();
  if (args.renderOnly) {
    const latest = JSON.parse(fs.readFileSync(path.join(BENCH, 'results', 'latest.json'), 'utf8'));
    writeMarkdown(latest, false);
    return 0;
  }
  if (args.install) {
    ensureDeps(BENCH);
    ensureDeps(path.join(BENCH, 'fixtures/express5'));
  }
  ensureBuilt();

  const { startSink, startLoadGenerator } = require('./lib/sink-client');
  const { machineNotes, versions, jtIntegrations } = require('./lib/machine');
  const { runHttpSuite, MODES } = require('./suites/http');
  const { runSpanSuite } = require('./suites/span');
  const { runReporterSuite } = require('./suites/reporter');
  const { runDataSuite } = require('./suites/data');
  const { runRssSuite } = require('./suites/rss');
  const { runProfileSuite } = require('./suites/profile');

  const cfg = suiteConfig(args);
  const suites = args.suites ?? (args.smoke ? SMOKE_SUITES : ALL_SUITES);
  for (const s of suites) if (!ALL_SUITES.includes(s)) throw new Error(`unknown suite ${s} (known: ${ALL_SUITES.join(', ')})`);
  const command = `node bench/run.js ${process.argv.slice(2).join(' ')}`.trim();
  const log = (line) => console.log(line);
  const machine = machineNotes();
  log(`[bench] ${command}: suites ${suites.join(', ')}; ${machine.nproc} cores; ${machine.pinning}`);

  const sink = await startSink();
  const load = await startLoadGenerator();
  const results = { versions: versions(), machine, jtIntegrations: jtIntegrations(), suites: {}, notes: [] };
  const runners = {
    http: () =>
      runHttpSuite(sink, load, {
        ...cfg.http,
        modesFor: (fw) => ['bare', 'jt', ...(cfg.http.controlsOn.includes(fw) ? CONTROL_MODES : []), 'jaeger', 'otel'],
        log,
      }),
    span: () => runSpanSuite(sink, { ...cfg.span, log }),
    reporter: () => runReporterSuite(sink, { ...cfg.reporter, log }),
    data: () => runDataSuite(sink, { ...cfg.data, log }),
    rss: () => runRssSuite({ ...cfg.rss, log }),
    profile: () => runProfileSuite(sink, load, { ...cfg.profile, log }),
  };
  try {
    for (const name of suites) {
      log(`[bench] suite ${name}`);
      const t0 = Date.now();
      const loadBefore = os.loadavg().map((v) => Number(v.toFixed(2)));
      const meta = { command, date: new Date().toISOString(), config: cfg[name], loadBefore };
      if (name === 'http') meta.modes = Object.fromEntries(Object.entries(MODES).map(([k, v]) => [k, v.describe]));
      try {
        const data = await runners[name]();
        results.suites[name] = { meta, data };
      } catch (err) {
        results.suites[name] = { meta, error: String(err.stack ?? err) };
        log(`[bench] suite ${name} FAILED: ${err.stack ?? err}`);
      }
      meta.elapsedS = (Date.now() - t0) / 1000;
      meta.loadAfter = os.loadavg().map((v) => Number(v.toFixed(2)));
    }
  } finally {
    await sink.shutdown();
    await load.shutdown();
  }

  const resultsDir = path.join(BENCH, 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  let merged = results;
  if (!args.smoke) {
    const latest = path.join(resultsDir, 'latest.json');
    if (fs.existsSync(latest) && args.suites) {
      const previous = JSON.parse(fs.readFileSync(latest, 'utf8'));
      merged = { ...results, suites: { ...previous.suites, ...results.suites } };
    }
    fs.writeFileSync(latest, JSON.stringify(merged, null, 1) + '\n');
  } else {
    fs.writeFileSync(path.join(resultsDir, 'smoke.json'), JSON.stringify(results, null, 1) + '\n');
  }
  const out = writeMarkdown(merged, args.smoke);
  log(`[bench] wrote ${path.relative(REPO, out)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);

  if (args.smoke) {
    const problems = smokeProblems(results);
    if (problems.length) {
      console.error(`[bench] smoke FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      return 1;
    }
    const checked = Object.keys(results.suites).length;
    log(`[bench] smoke: ${checked} passed, 0 failed`);
  }
  return 0;
}

/** Renders RESULTS.md (or RESULTS.smoke.md) from a results object; returns the path written. */
function writeMarkdown(results, smoke) {
  const { render } = require('./lib/report');
  const ok = (suite) => suite && !suite.error;
  const renderable = { ...results, suites: Object.fromEntries(Object.entries(results.suites).filter(([, s]) => ok(s))), notes: [] };
  for (const [name, s] of Object.entries(results.suites)) if (!ok(s)) renderable.notes.push(`Suite ${name} failed: ${s.error.split('\n')[0]}`);
  renderable.notes.push(...NOTES);
  const out = path.join(BENCH, smoke ? 'RESULTS.smoke.md' : 'RESULTS.md');
  fs.writeFileSync(out, render(renderable, { title: smoke ? 'Benchmark smoke run (not figures to quote)' : 'Benchmark results' }));
  return out;
}

const NOTES = [
  'Apps: hello world returning "hello world" on GET /, one route, no other middleware. jaeger-client has no ' +
    'auto-instrumentation, so its mode is the minimal middleware its users write (bench/tracers/jaeger-client-mw.js): ' +
    'extract, a server span with span.kind/http.method/http.url, status code and finish on the response\'s `finish`.',
  'OpenTelemetry mode registers the http and express instrumentations only (koa and fastify apps get the http server ' +
    'span, plus none of their framework spans), with the SDK defaults (BatchSpanProcessor: queue 2048, batch 512, ' +
    '5 s delay; the OTLP/HTTP exporter sends JSON). OTel lines pinned for Node 20: api 1.9, sdk-trace-* 2.12, ' +
    'instrumentation* 0.223 / express 0.71 (0.300+ and express 0.72 require Node ≥ 22.15).',
  'The sink (bench/lib/sink.js) counts spans by walking the thrift / protobuf framing up to the span list; it runs on the ' +
    'load generator\'s core. The packages\' own tests, not this harness, check the encodings with independent decoders.',
  'Ratios are per round (same round, same framework), then the median over rounds; the range is the lowest and highest ' +
    'round. A wide range means the shared machine was noisy during that suite: compare the load averages in each section. ' +
    'A single window can stall (another process holding the core): that is why medians, not means, are reported.',
  'When the load generator is near 100% busy (koa and fastify bare reach 80–90%), the bare app\'s req/s is partly capped by ' +
    'the generator, so the req/s ratios of those frameworks are optimistic; their CPU-per-request ratios are not affected.',
  'The ≥ 0.95× data-client target cannot be met by throughput when the client is CPU-bound ("saturated"): a sampled span ' +
    'per command costs more than 5% of a 5 µs command whatever the tracer. The sequential workloads are the latency view.',
  'Profiled CPU (the profile suite) runs ~15–35% above unprofiled CPU and the kernel part of socket writes (`writev`, ' +
    '`writeUtf8String`) grows whenever the app is slower (the load generator is more often asleep and must be woken): read ' +
    'the profile tables for shares and for which functions, and the HTTP table\'s CPU µs/req for the size of the overhead.',
];

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[bench] ${err.stack ?? err}`);
    process.exit(1);
  },
);
