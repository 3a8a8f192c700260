'use strict';
/** Renders the merged results (results/latest.json) as RESULTS.md. */
const { fmt } = require('./stats');
const { CPU_BURN_US } = require('../suites/http');

const MB = 1048576;

const TARGETS = [
  {
    name: 'express 4 hello world under `-r @jt/auto`, 100% sampled, exported',
    target: '≥ 0.90× bare req/s',
    measure: (r) => r.suites.http?.data.summary.express4?.jt?.ratio,
    extra: (r) => r.suites.http?.data.summary.express4?.jt?.cpuRatio,
    showExtra: (s) => `; by CPU per request ${fmt.ratio(s.median)}`,
    show: (s) => `${fmt.ratio(s.median)} (rounds ${fmt.range(s)})`,
    pass: (s) => s.median >= 0.9,
  },
  {
    name: 'span path, sampled, full (encode + UDP send)',
    target: '≤ 1,500 ns/span',
    measure: (r) => r.suites.span?.data.summary.full?.jt?.nsPerSpan,
    extra: (r) => r.suites.span?.data.summary.full?.jt?.cpuNsPerSpan,
    showExtra: (s) => `; CPU time ${fmt.num(s.median)} ns`,
    show: (s) => `${fmt.num(s.median)} ns (${fmt.range(s, 0)})`,
    pass: (s) => s.median <= 1500,
  },
  {
    name: 'span path, sampled, no reporter',
    target: '≤ 500 ns/span',
    measure: (r) => r.suites.span?.data.summary.noreporter?.jt?.nsPerSpan,
    extra: (r) => r.suites.span?.data.summary.noreporter?.jt?.cpuNsPerSpan,
    showExtra: (s) => `; CPU time ${fmt.num(s.median)} ns`,
    show: (s) => `${fmt.num(s.median)} ns (${fmt.range(s, 0)})`,
    pass: (s) => s.median <= 500,
  },
  {
    name: 'span path, unsampled',
    target: '≤ 100 ns/span',
    measure: (r) => r.suites.span?.data.summary.unsampled?.jt?.nsPerSpan,
    extra: (r) => r.suites.span?.data.summary.unsampled?.jt?.cpuNsPerSpan,
    showExtra: (s) => `; CPU time ${fmt.num(s.median)} ns`,
    show: (s) => `${fmt.num(s.median)} ns (${fmt.range(s, 0)})`,
    pass: (s) => s.median <= 100,
  },
  {
    name: 'RSS after load, express 4 under `-r @jt/auto` vs bare',
    target: '≤ bare + 10 MB',
    measure: (r) => r.suites.http?.data.summary.express4?.jt?.rssDelta,
    show: (s) => `${s.median >= 0 ? '+' : ''}${fmt.mb(s.median)} MB (rounds ${fmt.mb(s.min)} to ${fmt.mb(s.max)})`,
    pass: (s) => s.median <= 10 * MB,
  },
  ...['redis-saturated', 'redis-sequential', 'pg-saturated', 'pg-sequential'].map((w) => ({
    name: `${w.startsWith('redis') ? 'ioredis GET/SET' : 'pg SELECT 1'}, ${w.split('-')[1]}, instrumented vs bare`,
    target: '≥ 0.95×',
    measure: (r) => r.suites.data?.data.summary[w]?.ratio,
    extra: (r) => r.suites.data?.data.summary[w]?.cpuRatio,
    showExtra: (s) => `; by CPU per op ${fmt.ratio(s.median)}`,
    show: (s) => `${fmt.ratio(s.median)} (rounds ${fmt.range(s)})`,
    pass: (s) => s.median >= 0.95,
  })),
];

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function meta(section) {
  const m = section.meta;
  const cfg = Object.entries(m.config)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`)
    .join(', ');
  return [
    `Produced by \`${m.command}\` on ${m.date} (${m.elapsedS.toFixed(0)} s; ${cfg}).`,
    `Load average before/after: ${m.loadBefore.join(' ')} / ${m.loadAfter.join(' ')}.`,
  ].join(' ');
}

function targetsSection(results) {
  const rows = TARGETS.map((t) => {
    const s = t.measure(results);
    if (!s || !Number.isFinite(s.median)) return [t.name, t.target, 'not measured', '—'];
    const extra = t.extra?.(results);
    const shown = t.show(s) + (extra && Number.isFinite(extra.median) ? t.showExtra(extra) : '');
    return [t.name, t.target, shown, t.pass(s) ? 'met' : '**missed**'];
  });
  return `## Targets\n\nMedians over rounds; ranges are the lowest and highest round.\n\n${table(['what', 'target', 'measured', ''], rows)}\n`;
}

function httpSection(section) {
  const d = section.data;
  const parts = [`## HTTP overhead\n\n${meta(section)}\n`];
  const generations = Math.max(1, ...(d.frameworks ?? []).map((f) => f.generations ?? 1));
  const processes =
    generations === 1
      ? 'one app process per mode runs throughout (all pinned to the app core); after a warm-up, the load '
      : `the cycles are split among ${generations} sets of fresh processes, one per mode, started in an order rotated ` +
        'per set and warmed up (all pinned to the app core; two processes of one mode can differ by up to 10% in CPU ' +
        'per request, so no single process stands for its mode); within a set the load ';
  parts.push(
    `Per framework, ${processes}` +
      'generator visits them in windows, cycle after cycle, the order rotated per cycle. "ratio" is the mode\'s req/s ' +
      'divided by bare\'s req/s *in the same cycle* (median over cycles, range = lowest–highest cycle). "CPU ratio" is ' +
      'bare\'s CPU time per request divided by the mode\'s (from /proc, per window): other processes taking turns on the ' +
      'core change it much less than req/s, so it is the steadier estimate of the same ratio. RSS is read after each ' +
      'window; Δ is against bare in the same cycle. Spans/req = spans the sink counted after the app was stopped ÷ all ' +
      'responses it served (warm-up included): the proof each tracer exported. "load CPU" is how busy the load generator ' +
      'was (near 100% would mean the generator, not the app, was the limit).\n',
  );
  parts.push('Modes:\n' + Object.entries(section.meta.modes).map(([k, v]) => `- \`${k}\`: ${v}`).join('\n') + '\n');
  for (const [fw, modes] of Object.entries(d.summary)) {
    const rows = Object.entries(modes).map(([mode, s]) => [
      `\`${mode}\``,
      fmt.num(s.rps.median),
      mode === 'bare' ? '1' : `${fmt.ratio(s.ratio.median)} (${fmt.range(s.ratio)})`,
      fmt.num(s.cpuUsPerRequest.median, 1),
      mode === 'bare' ? '1' : `${fmt.ratio(s.cpuRatio.median)} (${fmt.range(s.cpuRatio)})`,
      fmt.ms(s.latencyP50.median),
      fmt.ms(s.latencyP99.median),
      fmt.mb(s.rss.median),
      mode === 'bare' ? '—' : `${s.rssDelta.median >= 0 ? '+' : ''}${fmt.mb(s.rssDelta.median)}`,
      Number.isFinite(s.spansPerRequest) ? fmt.num(s.spansPerRequest, 3) : '—',
      `${fmt.num(s.loadCpuShare.median * 100)}%`,
      String(s.errors),
    ]);
    const version = Object.values(modes)[0]?.frameworkVersion;
    parts.push(
      `### ${fw} (${version})\n\n` +
        table(['mode', 'req/s', 'ratio vs bare', 'CPU µs/req', 'CPU ratio', 'p50 ms', 'p99 ms', 'RSS MB', 'Δ RSS MB', 'spans/req', 'load CPU', 'errors'], rows) +
        '\n',
    );
    const jt = modes.jt?.jtInstrumentations;
    if (jt) parts.push(`@jt/auto registered: ${jt.join(', ')}.\n`);
    const budget = budgetTable(fw, modes);
    if (budget) parts.push(budget);
  }
  const failed = d.frameworks.flatMap((f) => (f.error ? [{ framework: f.framework, mode: '(all)', error: f.error }] : f.failures));
  if (failed.length) {
    parts.push('### Failed\n\n' + failed.map((r) => `- ${r.framework}/${r.mode}: ${firstLines(r.error, 6)}`).join('\n') + '\n');
  }
  for (const s of d.skipped ?? []) parts.push(`Skipped ${s.framework}: ${s.reason}.\n`);
  return parts.join('\n');
}

/** Steps from bare to `jt`, each a control mode; "added" is CPU µs/request above bare, per-cycle median. */
const BUDGET_STEPS = [
  ['als-only', 'async context alone: every request in `AsyncLocalStorage.run` (async_hooks on)'],
  ['jt-unsampled', 'jt with every trace unsampled: hooks, context, extract, route naming, no span data'],
  ['jt-no-export', 'jt 100% sampled, spans tagged and finished, discarded at the reporter'],
  ['jt', 'jt 100% sampled and exported: encoding and UDP sending too'],
];

function budgetTable(fw, modes) {
  const burn = modes['cpu-burn'];
  if (!burn || !modes.jt || !modes['jt-unsampled']) return '';
  const rows = [];
  let previous = 0;
  for (const [mode, what] of BUDGET_STEPS) {
    const m = modes[mode];
    if (!m || !Number.isFinite(m.cpuAddedUs?.median)) continue;
    const added = m.cpuAddedUs.median;
    const signed = (x) => `${x >= 0 ? '+' : ''}${fmt.num(x, 1)}`;
    rows.push([`\`${mode}\``, what, signed(added), signed(added - previous), fmt.ratio(m.cpuRatio.median)]);
    previous = added;
  }
  // 0.90x bare throughput leaves a tracer bare's CPU per request times (1/0.9 - 1)
  const allowance = modes.bare.cpuUsPerRequest.median * (1 / 0.9 - 1);
  return (
    `Where ${fw}'s CPU per request goes: each control adds one layer of jt's work; "added" is the median of ` +
    `per-cycle differences to bare, so the steps are only as steady as the cycles (±2 µs here is noise, and a ` +
    `negative step is noise). At bare's ${fmt.num(modes.bare.cpuUsPerRequest.median, 1)} µs per request, 0.90× ` +
    `leaves a tracer about ${fmt.num(allowance, 1)} µs. Yardstick: \`cpu-burn\` spins a known ${CPU_BURN_US} µs per ` +
    `request and measured +${fmt.num(burn.cpuAddedUs.median, 1)} µs (CPU ratio ${fmt.ratio(burn.cpuRatio.median)}, ` +
    `req/s ratio ${fmt.ratio(burn.ratio.median)}).\n\n` +
    table(['mode', 'what runs', 'CPU µs/req added vs bare', 'step', 'CPU ratio'], rows) +
    '\n'
  );
}

function spanSection(section) {
  const d = section.data.summary;
  const names = { noreporter: 'sampled, no reporter', full: 'sampled, full path (encode + send, counted at the sink)', unsampled: 'unsampled' };
  const tracers = { jt: 'jt', jaeger: 'jaeger-client', otel: 'OpenTelemetry SDK' };
  const rows = [];
  for (const [variant, byTracer] of Object.entries(d)) {
    for (const [tracer, s] of Object.entries(byTracer)) {
      rows.push([
        names[variant],
        `${tracers[tracer]} ${s.version}`,
        fmt.num(s.nsPerSpan.median),
        fmt.range(s.nsPerSpan, 0),
        fmt.num(s.cpuNsPerSpan.median),
        variant === 'full' ? `${fmt.num(s.receivedShare.median * 100, 1)}% (min ${s.minReceived})` : '—',
        variant === 'full' ? fmt.num(s.wireBytesPerSpan.median) : '—',
      ]);
    }
  }
  const failed = section.data.runs.filter((r) => r.error);
  return [
    `## Span path\n\n${meta(section)}\n`,
    'ns per span for `startSpan` + 3 tags (string, number, boolean) + `finish`, a root span each time. No reporter: ' +
      'spans kept in memory (jt/jaeger-client `InMemoryReporter`, OTel a span processor that pushes to an array), ' +
      'cleared every 1000. Full: jt `initTracer` with the UDP compact reporter, jaeger-client `initTracer` with its ' +
      'UDP (binary thrift) reporter, OTel `BatchSpanProcessor` + OTLP/HTTP (JSON) exporter with queue and export concurrency ' +
      'raised so nothing is dropped; the loop yields every 200 spans and the clock stops when the tracer\'s flush completes. ' +
      'Each run is a fresh process; median and range over rounds.\n',
    table(['variant', 'tracer', 'ns/span', 'range', 'CPU ns/span', 'received', 'wire B/span'], rows),
    failed.length ? '\nFailed runs:\n' + failed.map((r) => `- ${r.tracer} ${r.variant} r${r.round}: ${firstLines(r.error, 4)}`).join('\n') : '',
    '',
  ].join('\n');
}

function reporterSection(section) {
  const d = section.data.summary;
  const rows = Object.entries(d).map(([name, s]) => [
    `\`${name}\``,
    s.describe,
    fmt.num(s.spansPerSecond.median),
    `${fmt.num(s.spansPerSecond.min)}–${fmt.num(s.spansPerSecond.max)}`,
    fmt.num(s.nsPerSpan.median),
    fmt.num(s.bytesPerSpan.median, 1),
    `${fmt.num(s.receivedShare.median * 100, 1)}%`,
  ]);
  return [
    `## Reporter (jt senders)\n\n${meta(section)}\n`,
    'Batches of 100 realistic server spans (8 tags, one log) sent back to back with one `send` in flight, ' +
      'as RemoteReporter does. Bytes per span = bytes the sink received ÷ spans it counted (batch and process overhead included).\n',
    table(['sender', 'what', 'spans/s', 'range', 'ns/span', 'wire B/span', 'received'], rows),
    '',
  ].join('\n');
}

function dataSection(section) {
  const d = section.data;
  const rows = Object.entries(d.summary).map(([w, s]) => [
    `\`${w}\``,
    s.describe,
    fmt.num(s.bare.median),
    fmt.num(s.jt.median),
    `${fmt.ratio(s.ratio.median)} (${fmt.range(s.ratio)})`,
    fmt.num(s.spansPerOp.median, 3),
    `${fmt.num(s.bareCpuUsPerOp.median, 2)} / ${fmt.num(s.jtCpuUsPerOp.median, 2)}`,
    `${fmt.ratio(s.cpuRatio.median)} (${fmt.range(s.cpuRatio)})`,
    `${fmt.num(s.bareCpuShare.median * 100)}% / ${fmt.num(s.jtCpuShare.median * 100)}%`,
  ]);
  const parts = [
    `## Data clients\n\n${meta(section)}\n`,
    'Ops/s bare and with @jt/redis / @jt/pg (a sampled span per command, exported over UDP to the sink); ratio per round. ' +
      '"saturated" keeps the client process\'s core busy, so the ratio is jt\'s CPU cost per operation; "sequential" is ' +
      'one operation at a time, so the ratio is the added latency an app waiting on its database sees. "CPU ratio" is ' +
      'bare\'s client CPU time per operation divided by jt\'s (steadier than ops/s on a shared machine). The Redis and ' +
      'PostgreSQL servers are not pinned.\n',
    rows.length ? table(['workload', 'what', 'bare ops/s', 'jt ops/s', 'ratio', 'spans/op', 'client CPU µs/op bare / jt', 'CPU ratio', 'client core busy bare / jt'], rows) : '_nothing measured_',
  ];
  for (const s of d.skipped) parts.push(`\nSkipped ${s.client}: ${s.reason}.`);
  const failed = d.runs.filter((r) => r.error);
  if (failed.length) parts.push('\nFailed runs:\n' + failed.map((r) => `- ${r.workload} ${r.mode} r${r.round}: ${firstLines(r.error, 4)}`).join('\n'));
  parts.push('');
  return parts.join('\n');
}

function rssSection(section) {
  const d = section.data;
  const rows = d.runs.map((r) =>
    r.error
      ? [`\`${r.mode}\``, 'failed', '', '', '', '', firstLines(r.error, 3)]
      : [
          `\`${r.mode}\``,
          fmt.num(r.rps),
          fmt.mb(r.rssStart),
          fmt.mb(r.rssMax),
          fmt.mb(r.rssEnd),
          r.slopeMBPerMin.toFixed(2),
          (r.samples.length > 12 ? sampleEvery(r.samples, Math.ceil(r.samples.length / 12)) : r.samples).map(([, mb]) => mb).join(' '),
        ],
  );
  return [
    `## Memory under load, agent not listening\n\n${meta(section)}\n`,
    `${d.framework} hello world under constant load for ${d.durationS} s; \`jt-agent-down\` is \`-r @jt/auto\` (100% sampled) ` +
      'exporting over UDP to a port nothing listens on. RSS from /proc every second; the slope is a least-squares fit over the second half.\n',
    table(['mode', 'req/s', 'RSS first MB', 'RSS max MB', 'RSS end MB', 'slope MB/min', 'RSS MB over time'], rows),
    '',
  ].join('\n');
}

function profileSection(section) {
  const d = section.data;
  const us = (v) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
  const parts = [
    `## Where jt's time goes (CPU profiles)\n\n${meta(section)}\n`,
    'V8 CPU profiles (200 µs sampling) of the measured window only, start-up excluded (bench/lib/profiler.js), ' +
      'divided by the requests or commands served in that window, bare and traced diffed. "busy" excludes idle. ' +
      'Profiles are in bench/profiles/ (not committed); `node bench/lib/profile-summary.js FILE` prints one.\n',
  ];
  for (const p of d.diffs) {
    parts.push(
      `### ${p.title}\n\nBusy CPU per ${p.unit}: ${us(p.baseBusyUsPerOp)} µs bare, ${us(p.tracedBusyUsPerOp)} µs traced ` +
        `(+${us(p.tracedBusyUsPerOp - p.baseBusyUsPerOp)} µs; ${fmt.num(p.ops[0])} and ${fmt.num(p.ops[1])} ${p.unit}s profiled ` +
        `over ${p.repetitions ?? 1} interleaved process pair(s), samples pooled).\n`,
    );
    parts.push(table(['area', `bare µs/${p.unit}`, `traced µs/${p.unit}`, 'added'], p.areas.slice(0, 10).map((a) => [a.name, us(a.baseUs), us(a.tracedUs), us(a.addedUs)])));
    parts.push('\nFunctions adding the most self time:\n');
    parts.push(table(['function', `bare µs/${p.unit}`, `traced µs/${p.unit}`, 'added'], p.functions.slice(0, 15).map((f) => [`\`${f.name}\``, us(f.baseUs), us(f.tracedUs), us(f.addedUs)])));
    parts.push('\njt functions by inclusive time (everything they call):\n');
    parts.push(table(['function', `µs/${p.unit}`], p.jtInclusive.slice(0, 12).map((f) => [`\`${f.fn}\``, us(f.usPerOp)])));
    parts.push('');
  }
  for (const p of d.single) {
    parts.push(`### ${p.title}\n\nBusy CPU per span: ${us(p.busyUsPerOp)} µs (profiler on).\n`);
    parts.push(table(['area', 'µs/span', 'share'], p.areas.slice(0, 8).map((a) => [a.name, us(a.us), `${(a.share * 100).toFixed(1)}%`])));
    parts.push('\nSelf time:\n');
    parts.push(table(['function', 'µs/span', 'share'], p.functions.slice(0, 15).map((f) => [`\`${f.name}\``, us(f.us), `${(f.share * 100).toFixed(1)}%`])));
    parts.push('\njt functions by inclusive time:\n');
    parts.push(table(['function', 'µs/span', 'share'], p.inclusive.slice(0, 12).map((f) => [`\`${f.name}\``, us(f.us), `${(f.share * 100).toFixed(1)}%`])));
    parts.push('');
  }
  for (const f of d.failures) parts.push(`Profile ${f.name} failed: ${firstLines(f.error, 4)}\n`);
  return parts.join('\n');
}

function sampleEvery(samples, k) {
  return samples.filter((_, i) => i % k === 0 || i === samples.length - 1);
}

function firstLines(text, n) {
  return String(text).split('\n').filter(Boolean).slice(0, n).join(' / ').replace(/\|/g, '\\|').slice(0, 600);
}

function render(results, { title = 'Benchmark results' } = {}) {
  const v = results.versions;
  const m = results.machine;
  const out = [
    `# ${title}\n`,
    `Written by \`bench/run.js\`; regenerate with \`npm run bench\` at the repo root (see bench/README.md). ` +
      'Every figure is a ratio against, or a side-by-side with, a baseline measured in the same run, because the machine is shared and noisy.\n',
    '## Setup\n',
    `- Machine: ${m.nproc} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.platform}. ${m.pinning}.`,
    `- Versions: ${Object.entries(v).map(([k, x]) => `${k} ${x}`).join(', ')}.`,
    `- jt integrations at the time of the run: ${Object.entries(results.jtIntegrations).map(([k, x]) => `@jt/${k} ${x}`).join('; ')}.`,
    '',
    targetsSection(results),
  ];
  const s = results.suites;
  if (s.http) out.push(httpSection(s.http));
  if (s.span) out.push(spanSection(s.span));
  if (s.reporter) out.push(reporterSection(s.reporter));
  if (s.data) out.push(dataSection(s.data));
  if (s.rss) out.push(rssSection(s.rss));
  if (s.profile) out.push(profileSection(s.profile));
  if (results.notes?.length) out.push('## Notes\n\n' + results.notes.map((n) => `- ${n}`).join('\n') + '\n');
  return out.join('\n');
}

module.exports = { render, TARGETS };
