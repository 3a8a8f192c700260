import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as index from '../src/index';
import { defineLazyExports, lazy } from '../src/lazy';

const ROOT = path.resolve(__dirname, '../../..');
/** The names `@jt/core` exports as getters that load their module on first read. */
const LAZY_EXPORTS: Record<string, string> = {
  HTTPSender: 'senders/http-sender',
  OTLPSender: 'senders/otlp-sender',
  FileSender: 'senders/file-sender',
  createPromMetrics: 'metrics/prom-metrics',
  ProbabilisticSampler: 'samplers/probabilistic-sampler',
  RateLimitingSampler: 'samplers/rate-limiting-sampler',
  GuaranteedThroughputSampler: 'samplers/guaranteed-throughput-sampler',
  PerOperationSampler: 'samplers/per-operation-sampler',
  RemoteSampler: 'samplers/remote-sampler',
};

/** Runs `script` in a fresh node (from the repo root, so `@jt/core` is the built package); its last line as JSON. */
function runNode(args: string[]): unknown {
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

/** A script prelude: which of core's dist modules (by path under dist, no extension) are loaded. */
const LOADED = `
  const dist = require('node:path').dirname(require.resolve('@jt/core'));
  const loaded = () => Object.keys(require.cache).filter((f) => f.startsWith(dist)).map((f) => f.slice(dist.length + 1, -3));
`;

describe('lazy', () => {
  it('runs the load once, on the first call, and keeps its result', () => {
    let loads = 0;
    const get = lazy(() => ({ n: ++loads }));
    assert.equal(loads, 0);
    const first = get();
    assert.equal(get(), first);
    assert.equal(loads, 1);
  });

  it('defineLazyExports turns names into enumerable getters that load once, on first read', () => {
    let loads = 0;
    const target: Record<string, unknown> = { Thing: undefined };
    assert.equal(defineLazyExports({ exports: target }, target, { Thing: () => (loads++, 'thing') }), true);
    assert.equal(loads, 0);
    assert.deepEqual(Object.keys(target), ['Thing']);
    assert.equal(target.Thing, 'thing');
    assert.equal(target.Thing, 'thing');
    assert.equal(loads, 1);
  });

  it('defineLazyExports defines nothing, and says so, when `exports` is not what the module exports', () => {
    const stale = {};
    assert.equal(defineLazyExports({ exports: {} }, stale, { Thing: () => 'thing' }), false);
    assert.deepEqual(Object.getOwnPropertyNames(stale), []);
  });

  it('the source index (compiled by esbuild under tsx, not tsc) still exports every lazy name', () => {
    for (const name of Object.keys(LAZY_EXPORTS)) assert.equal(typeof (index as Record<string, unknown>)[name], 'function', name);
  });

  describe('@jt/core (built)', () => {
    it('a tracer with the UDP sender and the const sampler loads none of the optional modules', () => {
      const out = runNode([
        '-e',
        `${LOADED}
        const core = require('@jt/core');
        const tracer = core.initTracer({ serviceName: 'lazy', sampler: { type: 'const', param: 1 }, reporter: { agentHost: '127.0.0.1' } });
        tracer.startSpan('x').finish();
        const before = loaded();
        const tls = process.moduleLoadList.includes('NativeModule tls');
        tracer.close().then(() => console.log(JSON.stringify({ before, tls })));`,
      ]) as { before: string[]; tls: boolean };
      assert.ok(out.before.includes('senders/udp-sender'), 'the UDP sender is loaded');
      assert.equal(out.tls, false, 'tls is not loaded');
      for (const module of new Set(Object.values(LAZY_EXPORTS))) assert.ok(!out.before.includes(module), `${module} not loaded`);
      // of the OTLP code only the default endpoint and the small header parser (an eager export)
      for (const module of out.before) assert.ok(!module.startsWith('otlp/') || module === 'otlp/endpoint' || module === 'otlp/headers', `${module} not loaded`);
    });

    it('the lazy exports are exactly the list here (the names index declares with `export let`)', () => {
      const declarations = fs.readFileSync(path.join(ROOT, 'packages/core/dist/index.d.ts'), 'utf8');
      const declared = [...declarations.matchAll(/^export declare let (\w+)/gm)].map((m) => m[1]);
      assert.deepEqual(declared.sort(), Object.keys(LAZY_EXPORTS).sort());
    });

    it('each lazy export loads its module when read, and is that module’s own export', () => {
      const out = runNode([
        '-e',
        `${LOADED}
        const core = require('@jt/core');
        const names = ${JSON.stringify(LAZY_EXPORTS)};
        const result = {};
        for (const [name, module] of Object.entries(names)) {
          const value = core[name];
          result[name] = { listed: Object.keys(core).includes(name), loaded: loaded().includes(module), same: value === require(dist + '/' + module)[name], type: typeof value };
        }
        console.log(JSON.stringify(result));`,
      ]) as Record<string, { listed: boolean; loaded: boolean; same: boolean; type: string }>;
      for (const name of Object.keys(LAZY_EXPORTS)) {
        assert.deepEqual(out[name], { listed: true, loaded: true, same: true, type: 'function' }, name);
      }
    });

    it('a configured sender or sampler loads its module', () => {
      const out = runNode([
        '-e',
        `${LOADED}
        const core = require('@jt/core');
        const tracer = core.initTracer({ serviceName: 'lazy', sampler: { type: 'remote', host: '127.0.0.1', port: 9, refreshIntervalMs: 0 }, reporter: { protocol: 'otlp', otlpEndpoint: 'http://127.0.0.1:9/v1/traces' } });
        const now = loaded();
        tracer.close().then(() => console.log(JSON.stringify({ now })));`,
      ]) as { now: string[] };
      for (const module of ['senders/otlp-sender', 'otlp/trace-encoder', 'samplers/remote-sampler', 'samplers/probabilistic-sampler']) {
        assert.ok(out.now.includes(module), `${module} loaded`);
      }
      assert.ok(!out.now.includes('senders/http-sender'), 'the HTTP sender is not');
    });

    it('TypeScript sees each lazy export as the class or function it was (value and type)', function () {
      this.timeout(60_000);
      const tsc = (file: string) =>
        spawnSync(
          process.execPath,
          [require.resolve('typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'commonjs', '--moduleResolution', 'node', '--target', 'ES2022', '--types', 'node', '--skipLibCheck', path.join(__dirname, 'fixtures', file)],
          { cwd: ROOT, encoding: 'utf8' },
        );
      const good = tsc('lazy-exports-types.ts');
      assert.equal(good.status, 0, good.stdout + good.stderr);
      const bad = tsc('lazy-exports-misuse.ts');
      assert.notEqual(bad.status, 0);
      assert.match(bad.stdout, /lazy-exports-misuse\.ts.*error TS2322: Type 'number' is not assignable to type 'HTTPSender'/);
    });

    it('an ES module imports every lazy export by name (Node finds the names in the CommonJS source)', () => {
      const names = Object.keys(LAZY_EXPORTS);
      const out = runNode([
        '--input-type=module',
        '-e',
        `import { ${names.join(', ')} } from '@jt/core';
        console.log(JSON.stringify([${names.map((n) => `typeof ${n}`).join(', ')}]));`,
      ]);
      assert.deepEqual(out, names.map(() => 'function'));
    });
  });
});
