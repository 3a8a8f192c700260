import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTracer, initTracer, initTracerFromEnv, InMemoryReporter } from '../../src/index';
import { decodeBatch, decodeEmitBatch, tagMap, traceIdHex } from '../thrift/thrift-decoder';

describe('initTracer', () => {
  const tracers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(tracers.splice(0).map((t) => t.close()));
  });

  it('rejects an invalid config at init, never a tracer that silently samples nothing', () => {
    assert.throws(() => initTracer({}), /serviceName is required/);
    assert.throws(() => initTracer({ serviceName: 's', sampler: { type: 'sometimes', param: 1 } }), /sometimes/);
    assert.throws(() => initTracer({ serviceName: 's', sampler: { type: 'probabilistic', param: 1.5 } }), /\[0, 1\]/);
    assert.throws(() => initTracer({ serviceName: 's', reporter: { protocol: 'file' } }), /filePath/);
  });

  it('sets the global tracer and uses a given reporter', () => {
    const reporter = new InMemoryReporter();
    const tracer = initTracer({ serviceName: 'given', sampler: { type: 'const', param: 1 } }, { reporter });
    tracers.push(tracer);
    assert.equal(getTracer(), tracer);
    tracer.startSpan('x').finish();
    assert.equal(reporter.spans.length, 1);
  });

  it('disable: true gives a tracer that propagates but never samples', () => {
    const tracer = initTracer({ serviceName: 'off', disable: true, sampler: { type: 'const', param: 1 } });
    tracers.push(tracer);
    const span = tracer.startSpan('x');
    assert.equal(span.context().isSampled(), false);
    assert.match(span.traceId, /^[0-9a-f]{32}$/);
  });

  it('reports over UDP (compact, jaeger-client config shape) to an agent, decoded by Apache Thrift', async () => {
    const agent = dgram.createSocket('udp4');
    agent.bind(0, '127.0.0.1');
    await once(agent, 'listening');
    const port = (agent.address() as AddressInfo).port;
    const tracer = initTracer(
      {
        serviceName: 'udp-svc',
        sampler: { type: 'const', param: 1 },
        reporter: { agentHost: '127.0.0.1', agentPort: port, flushIntervalMs: 50 },
      },
      { tags: { team: 'core' } },
    );
    tracers.push(tracer);
    const parent = tracer.startSpan('parent');
    const child = tracer.startSpan('child', { childOf: parent, tags: { count: 3, ratio: 0.5, ok: true } });
    child.finish();
    parent.finish();
    const received = once(agent, 'message');
    await tracer.flush();
    const [datagram] = (await received) as [Buffer];
    agent.close();
    const { batch } = decodeEmitBatch('compact', datagram);
    assert.equal(batch.process.serviceName, 'udp-svc');
    const processTags = tagMap(batch.process.tags);
    assert.equal(processTags.get('team')?.vStr, 'core');
    assert.match(String(processTags.get('jaeger.version')?.vStr), /^Node-jt-/);
    assert.ok(processTags.has('hostname') && processTags.has('ip') && processTags.has('client-uuid'));
    const byName = new Map(batch.spans.map((s) => [s.operationName, s]));
    const got = byName.get('child')!;
    assert.equal(traceIdHex(got), child.traceId);
    const tags = tagMap(got.tags);
    assert.equal(tags.get('count')?.vLong, 3n);
    assert.equal(tags.get('ratio')?.vDouble, 0.5);
    assert.equal(tags.get('ok')?.vBool, true);
  });

  it('reports over HTTP to a collector with a bearer token from env (initTracerFromEnv)', async () => {
    const bodies: { headers: http.IncomingHttpHeaders; body: Buffer }[] = [];
    const collector = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(202).end();
      });
    });
    collector.listen(0, '127.0.0.1');
    await once(collector, 'listening');
    const { port } = collector.address() as AddressInfo;
    const saved = { ...process.env };
    Object.assign(process.env, {
      JAEGER_SERVICE_NAME: 'env-svc',
      JAEGER_SAMPLER_TYPE: 'const',
      JAEGER_SAMPLER_PARAM: '1',
      JAEGER_ENDPOINT: `http://127.0.0.1:${port}/api/traces`,
      JAEGER_AUTH_TOKEN: 'sekret',
    });
    try {
      const tracer = initTracerFromEnv();
      tracers.push(tracer);
      tracer.startSpan('over-http').finish();
      await tracer.flush();
    } finally {
      process.env = saved;
      collector.close();
    }
    assert.equal(bodies.length, 1);
    assert.equal(bodies[0]!.headers['content-type'], 'application/x-thrift');
    assert.equal(bodies[0]!.headers['authorization'], 'Bearer sekret');
    const batch = decodeBatch('binary', bodies[0]!.body);
    assert.equal(batch.process.serviceName, 'env-svc');
    assert.deepEqual(batch.spans.map((s) => s.operationName), ['over-http']);
  });
});

describe('initTracer with a file copy', () => {
  it('keeps a Jaeger-UI JSON copy in reporter.filePath next to the UDP reporter', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jt-file-')), 'traces.json');
    const tracer = initTracer({
      serviceName: 'copy',
      sampler: { type: 'const', param: 1 },
      reporter: { agentHost: '127.0.0.1', agentPort: 9, filePath: file },
    });
    const span = tracer.startSpan('copied');
    span.finish();
    await tracer.close();
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { data: { traceID: string; spans: { operationName: string }[] }[] };
    assert.equal(json.data.length, 1);
    assert.equal(json.data[0]!.traceID, span.traceId);
    assert.deepEqual(json.data[0]!.spans.map((s) => s.operationName), ['copied']);
  });
});
