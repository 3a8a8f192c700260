// examples/fastify: the app started for real, requests served, spans decoded off a local UDP agent.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { hex64, tagMap, type DecodedSpan, type DecodedTag } from '../../packages/core/test/thrift/thrift-decoder';
import { EXAMPLES_DIR, killStarted, startExample, stopExample, waitForOutput, outputOf } from './helpers/example-process';
import { startUdpAgent, waitUntil, type UdpAgentSink } from './helpers/sinks';

function tagValue(tags: DecodedTag[] | undefined, key: string): unknown {
  const tag = tagMap(tags).get(key);
  return tag === undefined ? undefined : (tag.vStr ?? tag.vLong ?? tag.vBool ?? tag.vDouble);
}

describe('examples/fastify', () => {
  let agent: UdpAgentSink | undefined;
  afterEach(async () => {
    killStarted();
    await agent?.close();
    agent = undefined;
  });

  it('reports one server span per request, named by route, with the handler span as its child', async () => {
    agent = await startUdpAgent('compact');
    const app = startExample([path.join(EXAMPLES_DIR, 'fastify', 'app.js')], {
      cwd: path.join(EXAMPLES_DIR, 'fastify'),
      env: { PORT: '0', JAEGER_AGENT_HOST: '127.0.0.1', JAEGER_AGENT_PORT: String(agent.port) },
    });
    const [, origin] = await waitForOutput(app, /listening on (http:\/\/\S+)/);

    const ok = await fetch(`${origin}/users/42`, {
      headers: { 'uber-trace-id': '0123456789abcdef0123456789abcdef:00000000000000aa:0:1' },
    });
    assert.deepEqual(await ok.json(), { id: 42, name: 'Grace' });
    assert.equal((await fetch(`${origin}/users/7`)).status, 404);
    assert.equal((await fetch(`${origin}/boom`)).status, 500);
    assert.equal(await (await fetch(`${origin}/health`)).text(), 'ok');

    assert.equal(await stopExample(app), 0, outputOf(app)); // SIGTERM: app.close() then tracer.close()
    const spans = (): DecodedSpan[] => agent!.batches().flatMap((b) => b.spans);
    await waitUntil(() => spans().length >= 5, 'five spans over UDP');
    const batches = agent.batches();
    for (const batch of batches) {
      assert.equal(batch.process.serviceName, 'fastify-example');
      assert.equal(tagValue(batch.process.tags, 'deployment.environment'), 'example');
    }

    const servers = spans().filter((s) => tagValue(s.tags, 'span.kind') === 'server');
    assert.deepEqual(servers.map((s) => s.operationName).sort(), ['GET /boom', 'GET /users/:id', 'GET /users/:id']);
    assert.ok(!spans().some((s) => String(tagValue(s.tags, 'http.url')).includes('/health')), '/health is ignored');

    // continued from the caller's uber-trace-id, tagged in the handler, parent of load-user
    const found = servers.find((s) => tagValue(s.tags, 'user.id') === '42')!;
    assert.equal(hex64(found.traceIdHigh) + hex64(found.traceIdLow), '0123456789abcdef0123456789abcdef');
    assert.equal(hex64(found.parentSpanId), '00000000000000aa');
    assert.equal(tagValue(found.tags, 'http.status_code'), 200n);
    assert.equal(tagValue(found.tags, 'http.route'), '/users/:id');
    const loadUser = spans().find((s) => s.operationName === 'load-user' && s.parentSpanId === found.spanId);
    assert.ok(loadUser, 'load-user is a child of the request span');
    assert.equal(loadUser.traceIdLow, found.traceIdLow);
    assert.equal(tagValue(loadUser.logs?.[0]?.fields, 'event'), 'found');

    const missing = servers.find((s) => tagValue(s.tags, 'user.id') === '7')!;
    assert.equal(tagValue(missing.tags, 'http.status_code'), 404n);
    assert.equal(tagValue(missing.tags, 'error'), undefined);

    const boom = servers.find((s) => s.operationName === 'GET /boom')!;
    assert.equal(tagValue(boom.tags, 'http.status_code'), 500n);
    assert.equal(tagValue(boom.tags, 'error'), true);
    const errorLog = boom.logs?.find((l) => tagValue(l.fields, 'event') === 'error');
    assert.ok(errorLog, 'the error is logged on the span');
    assert.equal(tagValue(errorLog.fields, 'message'), 'something broke');
    assert.equal(spans().length, 5);
  });
});
