import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import * as path from 'node:path';
import { AgentSink, type ReceivedSpan } from './agent-sink';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(__dirname, 'fixtures');

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
}

async function startApp(args: string[], env: Record<string, string>, waitForPort = true): Promise<Started> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, JAEGER_AGENT_HOST: '127.0.0.1', JAEGER_REPORTER_FLUSH_INTERVAL: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (out += d));
  if (!waitForPort) return { child, port: 0, output: () => out };
  const deadline = Date.now() + 10_000;
  while (!/listening (\d+)/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`app did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child, port: Number(/listening (\d+)/.exec(out)![1]), output: () => out };
}

function get(port: number, urlPath: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, headers }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

const INBOUND_TRACE = '0000000000000000a1b2c3d4e5f60718';
const INBOUND_SPAN = '1122334455667788';
const INBOUND: Record<string, Record<string, string>> = {
  'uber-trace-id': { 'uber-trace-id': `a1b2c3d4e5f60718:${INBOUND_SPAN}:0:1` },
  traceparent: { traceparent: `00-${INBOUND_TRACE}-${INBOUND_SPAN}-01` },
  b3: { b3: `a1b2c3d4e5f60718-${INBOUND_SPAN}-1` },
};

/** Asserts the connected trace the chain app makes: inbound parent → /work → 3 clients → 3 downstream servers. */
function assertChain(spans: ReceivedSpan[]): void {
  const work = spans.find((s) => s.tags['span.kind'] === 'server' && String(s.tags['http.url']).endsWith('/work'));
  assert.ok(work, 'server span for /work');
  assert.equal(work.parentId, INBOUND_SPAN);
  assert.match(work.traceId, /a1b2c3d4e5f60718$/);
  const clients = spans.filter((s) => s.tags['span.kind'] === 'client');
  assert.equal(clients.length, 3, `3 client spans, got ${clients.map((c) => c.operationName)}`);
  const downstream = spans.filter((s) => s.tags['span.kind'] === 'server' && String(s.tags['http.url']).endsWith('/downstream'));
  assert.equal(downstream.length, 3);
  for (const client of clients) {
    assert.equal(client.parentId, work.spanId, 'client spans are children of the server span');
    assert.equal(client.traceId, work.traceId);
    assert.equal(client.operationName, 'GET');
    const server = downstream.find((d) => d.parentId === client.spanId);
    assert.ok(server, `downstream server span under client ${client.spanId}`);
    assert.equal(server.traceId, work.traceId);
  }
}

describe('@jt/auto', function () {
  this.timeout(30_000);
  let sink: AgentSink;
  let agentPort: number;
  let app: Started | undefined;

  beforeEach(async () => {
    sink = new AgentSink();
    agentPort = await sink.start();
  });
  afterEach(() => {
    app?.child.kill('SIGKILL');
    app = undefined;
    sink.close();
  });

  for (const [format, headers] of Object.entries(INBOUND)) {
    it(`node -r @jt/auto: an inbound ${format} request gives one connected trace through http.get, fetch and undici`, async () => {
      app = await startApp(['-r', '@jt/auto', path.join(FIXTURES, 'chain-app.js')], {
        JAEGER_SERVICE_NAME: 'chain',
        JAEGER_AGENT_PORT: String(agentPort),
      });
      assert.equal(await get(app.port, '/work', headers), 'done');
      const spans = await sink.waitFor((s) => s.length >= 7);
      assert.ok(spans.every((s) => s.service === 'chain'));
      assertChain(spans);
    });
  }

  it('node --import @jt/auto: the same for an ES-module app', async () => {
    app = await startApp(['--import', '@jt/auto', path.join(FIXTURES, 'chain-app.mjs')], {
      JAEGER_SERVICE_NAME: 'chain-esm',
      JAEGER_AGENT_PORT: String(agentPort),
    });
    assert.equal(await get(app.port, '/work', INBOUND['uber-trace-id']!), 'done');
    assertChain(await sink.waitFor((s) => s.length >= 7));
  });

  it('node --import @jt/auto: an ES-module Express app gets its server span named by the route template', async () => {
    app = await startApp(['--import', '@jt/auto', path.join(FIXTURES, 'express-app.mjs')], {
      JAEGER_AGENT_PORT: String(agentPort),
    });
    assert.equal(await get(app.port, '/users/42', {}), '{"id":"42"}');
    const [span] = await sink.waitFor((s) => s.length >= 1);
    assert.equal(span!.operationName, 'GET /users/:id');
    assert.equal(span!.tags['http.route'], '/users/:id');
  });

  it('node -r @jt/auto: a request that reads Redis and PostgreSQL sends one trace with redis and pg client spans', async () => {
    app = await startApp(['-r', '@jt/auto', path.join(FIXTURES, 'data-app.js')], {
      JAEGER_SERVICE_NAME: 'data',
      JAEGER_AGENT_PORT: String(agentPort),
    });
    assert.equal(await get(app.port, '/data', {}), 'ok');
    const spans = await sink.waitFor((s) => s.length >= 4);
    const server = spans.find((s) => s.tags['span.kind'] === 'server')!;
    assert.ok(server);
    const byName = (name: string) => spans.filter((s) => s.operationName === name);
    const [set] = byName('SET');
    const [getSpan] = byName('GET');
    const [select] = byName('SELECT');
    for (const span of [set, getSpan, select]) {
      assert.ok(span, `spans: ${spans.map((s) => s.operationName)}`);
      assert.equal(span.traceId, server.traceId);
      assert.equal(span.parentId, server.spanId);
    }
    assert.equal(set!.tags['db.type'], 'redis');
    assert.equal(select!.tags['db.type'], 'postgresql');
    assert.ok(!JSON.stringify(spans, (_k, v) => (typeof v === 'bigint' ? String(v) : v)).includes('secret-value'), 'no recorded value');
  });

  it('exits on its own with no close() call, and spans finished just before exit arrive', async () => {
    app = await startApp(['-r', '@jt/auto', path.join(FIXTURES, 'exit-app.js')], {
      JAEGER_AGENT_PORT: String(agentPort),
      JAEGER_REPORTER_FLUSH_INTERVAL: '60000',
    }, false);
    const [code] = (await once(app.child, 'exit')) as [number | null];
    assert.equal(code, 0, app.output());
    const spans = await sink.waitFor((s) => s.length >= 2, 3000);
    assert.deepEqual(spans.map((s) => s.tags['span.kind']).sort(), ['client', 'server']);
    // no JAEGER_SERVICE_NAME: named after the app's package.json
    assert.equal(spans[0]!.service, 'auto-fixture-app');
  });

  it('flushes on SIGTERM and still dies by the signal when the app has no handler', async () => {
    app = await startApp(['-r', '@jt/auto', path.join(FIXTURES, 'signal-app.js')], {
      JAEGER_AGENT_PORT: String(agentPort),
      JAEGER_REPORTER_FLUSH_INTERVAL: '60000',
    });
    assert.equal(await get(app.port, '/ping', {}), 'up');
    app.child.kill('SIGTERM');
    const [code, signal] = (await once(app.child, 'exit')) as [number | null, string | null];
    assert.equal(code, null);
    assert.equal(signal, 'SIGTERM');
    await sink.waitFor((s) => s.some((x) => String(x.tags['http.url']).endsWith('/ping')), 3000);
  });

  it('honours JAEGER_INSTRUMENTATIONS_DISABLED and JAEGER_IGNORE_PATHS', async () => {
    app = await startApp(['-r', '@jt/auto', path.join(FIXTURES, 'chain-app.js')], {
      JAEGER_AGENT_PORT: String(agentPort),
      JAEGER_INSTRUMENTATIONS_DISABLED: 'http-client',
      JAEGER_IGNORE_PATHS: '/downstream',
    });
    await get(app.port, '/work', {});
    const spans = await sink.waitFor((s) => s.length >= 1);
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(spans.map((s) => String(s.tags['http.url']).replace(/^.*\//, '/')), ['/work']);
  });

  it('applies JAEGER_IGNORE_PATHS to framework hooks even with the http hook off, and logs spans with JAEGER_REPORTER_LOG_SPANS', async () => {
    app = await startApp(['--import', '@jt/auto', path.join(FIXTURES, 'express-app.mjs')], {
      JAEGER_AGENT_PORT: String(agentPort),
      JAEGER_INSTRUMENTATIONS: 'express',
      JAEGER_IGNORE_PATHS: '/users/1',
      JAEGER_REPORTER_LOG_SPANS: 'true',
    });
    await get(app.port, '/users/1', {});
    await get(app.port, '/users/2', {});
    const spans = await sink.waitFor((s) => s.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(spans.map((s) => String(s.tags['http.url']).replace(/^.*\/users/, '/users')), ['/users/2']);
    assert.match(app.output(), /Reporting span [0-9a-f]+:[0-9a-f]+:0:1 GET \/users\/:id/);
  });

  it('warns in one line and runs the app untraced when the config is invalid', async () => {
    app = await startApp(['-r', '@jt/auto', path.join(FIXTURES, 'signal-app.js')], {
      JAEGER_AGENT_PORT: String(agentPort),
      JAEGER_SAMPLER_TYPE: 'sometimes',
    });
    assert.equal(await get(app.port, '/ping', {}), 'up');
    assert.match(app.output(), /\[jt\] tracing disabled, the app runs untraced: .*sometimes/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(sink.spans.length, 0);
  });
});
