// examples/manual: the TypeScript script run for real under tsx, its spans decoded off a local UDP agent.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { hex64, tagMap, traceIdHex, type DecodedSpan, type DecodedTag } from '../../packages/core/test/thrift/thrift-decoder';
import { EXAMPLES_DIR, killStarted, outputOf, startExample, waitForExit } from './helpers/example-process';
import { startUdpAgent, waitUntil, type UdpAgentSink } from './helpers/sinks';

function tagValue(tags: DecodedTag[] | undefined, key: string): unknown {
  const tag = tagMap(tags).get(key);
  return tag === undefined ? undefined : (tag.vStr ?? tag.vLong ?? tag.vBool ?? tag.vDouble);
}

describe('examples/manual', () => {
  let agent: UdpAgentSink | undefined;
  afterEach(async () => {
    killStarted();
    await agent?.close();
    agent = undefined;
  });

  it('runs to completion and reports every span it makes, linked across the text-map boundary', async () => {
    agent = await startUdpAgent('compact');
    const dir = path.join(EXAMPLES_DIR, 'manual');
    const script = startExample(['--require', 'tsx/cjs', 'main.ts'], {
      cwd: dir,
      env: { JAEGER_AGENT_HOST: '127.0.0.1', JAEGER_AGENT_PORT: String(agent.port) },
    });
    assert.equal(await waitForExit(script), 0, outputOf(script));
    const out = script.stdout();
    assert.match(out, /4\. closed/);

    const spans = (): DecodedSpan[] => agent!.batches().flatMap((b) => b.spans);
    await waitUntil(() => spans().length >= 7, 'seven spans over UDP');
    assert.equal(spans().length, 7);
    for (const batch of agent.batches()) {
      assert.equal(batch.process.serviceName, 'manual-example');
      assert.equal(tagValue(batch.process.tags, 'example.language'), 'typescript');
    }
    const byName = new Map(spans().map((s) => [s.operationName, s]));
    // logSpans: one line per span through the given logger, with the span's ids
    for (const span of spans()) {
      const line = `Reporting span ${traceIdHex(span)}:${hex64(span.spanId)}:`;
      assert.ok(out.includes(line) && out.includes(span.operationName), `logged: ${span.operationName}`);
    }

    const root = byName.get('TestSpan')!;
    assert.equal(root.parentSpanId, 0n);
    assert.equal(tagValue(root.tags, 'order.id'), 1001n);
    const child = byName.get('TestSpan.validate')!;
    assert.equal(child.parentSpanId, root.spanId);
    assert.equal(traceIdHex(child), traceIdHex(root));
    const fields = child.logs?.[0]?.fields;
    assert.equal(tagValue(fields, 'event'), 'validated');
    assert.equal(tagValue(fields, 'items'), 3n);

    // extracted from the JSON-serialised text map: same trace, parent TestSpan, baggage kept
    const received = byName.get('process-order')!;
    assert.equal(traceIdHex(received), traceIdHex(root));
    assert.equal(received.parentSpanId, root.spanId);
    assert.equal(tagValue(received.tags, 'span.kind'), 'consumer');
    assert.equal(tagValue(received.logs?.[0]?.fields, 'customer'), 'alice');

    // tracer.trace + @traced methods: children of checkout, the error recorded on both
    const checkout = byName.get('checkout')!;
    assert.notEqual(traceIdHex(checkout), traceIdHex(root));
    assert.equal(checkout.parentSpanId, 0n);
    assert.equal(tagValue(checkout.tags, 'order.total.cents'), 2500n);
    for (const name of ['load-order', 'OrderService.total', 'OrderService.charge']) {
      const span = byName.get(name);
      assert.ok(span, `${name} reported`);
      assert.equal(span.parentSpanId, checkout.spanId, `${name} is a child of checkout`);
      assert.equal(traceIdHex(span), traceIdHex(checkout));
    }
    for (const failed of [byName.get('OrderService.charge')!, checkout]) {
      assert.equal(tagValue(failed.tags, 'error'), true, failed.operationName);
      const log = failed.logs?.find((l) => tagValue(l.fields, 'event') === 'error');
      assert.equal(tagValue(log?.fields, 'message'), 'card declined for order 1001');
    }
    assert.equal(tagValue(byName.get('load-order')!.tags, 'error'), undefined);
  });
});
