// examples/shop: `node examples/shop/run.js` for real (Express + pg + ioredis calling a Koa
// service, both under node -r @jt/auto), against the local Redis and PostgreSQL. Checks the
// printed trace tree, the Jaeger-UI JSON file, and the same spans arriving over UDP.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hex64, traceIdHex } from '../../packages/core/test/thrift/thrift-decoder';
import { EXAMPLES_DIR, REPO_ROOT, killStarted, outputOf, startExample, waitForExit } from './helpers/example-process';
import { startUdpAgent, waitUntil, type UdpAgentSink } from './helpers/sinks';

interface UiSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; spanID: string }[];
  processID: string;
}
interface UiTrace {
  traceID: string;
  spans: UiSpan[];
  processes: Record<string, { serviceName: string }>;
}

describe('examples/shop', () => {
  let agent: UdpAgentSink | undefined;
  afterEach(async () => {
    killStarted();
    await agent?.close();
    agent = undefined;
  });

  it('npm run example: prints trees spanning both services and writes out/traces.json', async () => {
    agent = await startUdpAgent('compact');
    const run = startExample([path.join(EXAMPLES_DIR, 'shop', 'run.js')], {
      cwd: REPO_ROOT,
      processGroup: true, // run.js starts the shop and inventory services: a kill must reach them
      env: { JAEGER_AGENT_HOST: '127.0.0.1', JAEGER_AGENT_PORT: String(agent.port) },
    });
    assert.equal(await waitForExit(run, 20_000), 0, outputOf(run));
    const out = run.stdout();

    assert.match(out, /GET \/api\/products\/1 -> 200 \{"id":1,"name":"Teapot","price_cents":2500,"inStock":12\}/);
    assert.match(out, /GET \/api\/products\/42 -> 404/);
    // the tree: server span named by route, a SQL query, a Redis GET, the inventory hop
    assert.match(out, /^ {2}shop: GET \/api\/products\/:id .*http\.status_code=200/m);
    assert.match(out, /^ {4}shop: SELECT .*db\.type=postgresql/m);
    assert.match(out, /^ {4}shop: GET .*db\.type=redis/m);
    assert.match(out, /^ {6}inventory: GET \/stock\/:id .*http\.route=\/stock\/:id/m, 'inventory nested under the shop call');

    const json = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, 'shop', 'out', 'traces.json'), 'utf8')) as {
      data: UiTrace[];
    };
    assert.equal(json.data.length, 4, 'one trace per request');
    const withInventory = json.data.filter((t) => t.spans.some((s) => s.operationName === 'GET /stock/:id'));
    assert.equal(withInventory.length, 3, 'the three found products ask the inventory');
    for (const trace of withInventory) {
      const stock = trace.spans.find((s) => s.operationName === 'GET /stock/:id')!;
      assert.equal(trace.processes[stock.processID]?.serviceName, 'inventory');
      const parent = trace.spans.find((s) => s.spanID === stock.references[0]?.spanID);
      assert.ok(parent, 'the inventory span has its parent in the same trace');
      assert.equal(trace.processes[parent.processID]?.serviceName, 'shop');
    }

    // the same spans went over UDP to the agent (thrift compact, decoded by Apache Thrift)
    const fileSpans = json.data.reduce((n, t) => n + t.spans.length, 0);
    const udpSpans = () => agent!.batches().flatMap((b) => b.spans.map((s) => ({ service: b.process.serviceName, s })));
    await waitUntil(() => udpSpans().length >= fileSpans, `${fileSpans} spans over UDP`);
    const fileIds = new Set(json.data.flatMap((t) => t.spans.map((s) => `${t.traceID}:${s.spanID}`)));
    assert.equal(udpSpans().length, fileSpans, 'each span sent once');
    for (const { s } of udpSpans()) assert.ok(fileIds.has(`${traceIdHex(s)}:${hex64(s.spanId)}`), s.operationName);
    assert.deepEqual(new Set(udpSpans().map((x) => x.service)), new Set(['shop', 'inventory']));
  });
});
