'use strict';
/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self and inclusive time per
 * function and self time per area (jt packages, the framework, node internals, GC, idle).
 * CLI: `node bench/lib/profile-summary.js file.cpuprofile [--top=25] [--filter=packages/]`.
 */
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.join(__dirname, '..', '..');

function shortUrl(url) {
  if (!url) return '';
  let u = url.replace(/^file:\/\//, '');
  if (u.startsWith(REPO)) u = u.slice(REPO.length + 1);
  u = u.replace(/^.*node_modules\//, 'node_modules/');
  return u;
}

function area(frame) {
  const url = shortUrl(frame.url);
  const name = frame.functionName;
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'program (native, outside JS)';
  if (url.startsWith('packages/')) return `jt: ${url.split('/').slice(0, 2).join('/')}`;
  if (url.startsWith('node:') || url === '') return 'node internals / native';
  if (url.startsWith('node_modules/')) return `dep: ${url.split('/')[1].startsWith('@') ? url.split('/').slice(1, 3).join('/') : url.split('/')[1]}`;
  return `app: ${url}`;
}

function summarize(profile, { top = 25, filter } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const deltas = profile.timeDeltas ?? [];
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n) => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

  const self = new Map();
  const areas = new Map();
  for (const n of profile.nodes) {
    const us = selfUs.get(n.id) ?? 0;
    if (!us) continue;
    self.set(key(n), (self.get(key(n)) ?? 0) + us);
    const a = area(n.callFrame);
    areas.set(a, (areas.get(a) ?? 0) + us);
  }
  // inclusive: a sample counts once for every distinct function on its stack
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur));
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const busy = total - (areas.get('idle') ?? 0);
  const rank = (m) =>
    [...m.entries()]
      .filter(([k]) => !filter || k.includes(filter))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => ({ fn: k, ms: us / 1000, shareOfBusy: us / busy }));
  return {
    totalMs: total / 1000,
    busyMs: busy / 1000,
    areas: [...areas.entries()].sort((a, b) => b[1] - a[1]).map(([a, us]) => ({ area: a, ms: us / 1000, shareOfBusy: us / busy })),
    self: rank(self),
    inclusive: rank(inclusive),
  };
}

/** Several profiles of the same kind of work as one (node ids renumbered), to pool their samples. */
function mergeProfiles(profiles) {
  if (profiles.length === 1) return profiles[0];
  const merged = { nodes: [], samples: [], timeDeltas: [] };
  let offset = 0;
  for (const p of profiles) {
    let max = 0;
    for (const n of p.nodes) {
      merged.nodes.push({ ...n, id: n.id + offset, children: (n.children ?? []).map((c) => c + offset) });
      if (n.id > max) max = n.id;
    }
    for (const id of p.samples) merged.samples.push(id + offset);
    for (const d of p.timeDeltas ?? []) merged.timeDeltas.push(d);
    offset += max + 1;
  }
  return merged;
}

/**
 * Self time per operation (µs) by function and by area for two profiles of the same work
 * (`base`, e.g. the bare app, and `traced`), each divided by the operations it served, and
 * what the traced one adds: "where does the extra time per request go".
 */
function diffPerOperation(base, baseOps, traced, tracedOps, { top = 20 } = {}) {
  const a = summarize(base, { top: Infinity });
  const b = summarize(traced, { top: Infinity });
  const perOp = (list, ops, key) => new Map(list.map((x) => [x[key], (x.ms * 1000) / ops]));
  const added = (ka, kb) => {
    const out = [];
    for (const [k, us] of kb) out.push({ name: k, baseUs: ka.get(k) ?? 0, tracedUs: us, addedUs: us - (ka.get(k) ?? 0) });
    for (const [k, us] of ka) if (!kb.has(k)) out.push({ name: k, baseUs: us, tracedUs: 0, addedUs: -us });
    return out.sort((x, y) => y.addedUs - x.addedUs);
  };
  const areas = added(perOp(a.areas, baseOps, 'area'), perOp(b.areas, tracedOps, 'area')).filter((x) => x.name !== 'idle');
  const fns = added(perOp(a.self, baseOps, 'fn'), perOp(b.self, tracedOps, 'fn')).filter((x) => !x.name.startsWith('(idle)'));
  const busyUs = (s, ops) => (s.busyMs * 1000) / ops;
  return {
    baseBusyUsPerOp: busyUs(a, baseOps),
    tracedBusyUsPerOp: busyUs(b, tracedOps),
    areas,
    functions: fns.slice(0, top),
    jtInclusive: summarize(traced, { top, filter: 'packages/' }).inclusive.map((f) => ({ fn: f.fn, usPerOp: (f.ms * 1000) / tracedOps })),
  };
}

function summarizeFile(file, opts) {
  return summarize(JSON.parse(fs.readFileSync(file, 'utf8')), opts);
}

if (require.main === module) {
  const file = process.argv[2];
  const top = Number((process.argv.find((a) => a.startsWith('--top=')) ?? '--top=25').slice(6));
  const filter = process.argv.find((a) => a.startsWith('--filter='))?.slice(9);
  const s = summarizeFile(file, { top, filter });
  const pct = (x) => `${(x * 100).toFixed(1)}%`.padStart(6);
  console.log(`busy ${s.busyMs.toFixed(0)} ms of ${s.totalMs.toFixed(0)} ms sampled\n\nby area (share of busy time):`);
  for (const a of s.areas) console.log(`  ${pct(a.shareOfBusy)}  ${a.area}`);
  console.log('\nself time:');
  for (const f of s.self) console.log(`  ${pct(f.shareOfBusy)}  ${f.fn}`);
  console.log('\ninclusive time:');
  for (const f of s.inclusive) console.log(`  ${pct(f.shareOfBusy)}  ${f.fn}`);
}

module.exports = { summarize, summarizeFile, diffPerOperation, mergeProfiles };
