// examples/collector: both scripts run for real against local HTTP sinks on port 0. The thrift
// body is decoded with Apache Thrift's own library, the OTLP body with protobufjs.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { decodeRequest, attributeMap, type DecodedSpan as OtlpSpan } from '../../packages/core/test/otlp/otlp-decoder';
import { decodeBatch, tagMap, type DecodedTag } from '../../packages/core/test/thrift/thrift-decoder';
import { EXAMPLES_DIR, killStarted, outputOf, startExample, waitForExit } from './helpers/example-process';
import { startHttpSink, type HttpSink } from './helpers/sinks';

const DIR = path.join(EXAMPLES_DIR, 'collector');
const JOB_SPANS = ['fetch-orders', 'nightly-report', 'render-report', 'upload-report'];

function tagValue(tags: DecodedTag[] | undefined, key: string): unknown {
  const tag = tagMap(tags).get(key);
  return tag === undefined ? undefined : (tag.vStr ?? tag.vLong ?? tag.vBool ?? tag.vDouble);
}

async function runScript(script: string, env: Record<string, string>): Promise<ReturnType<typeof startExample>> {
  const run = startExample([script], { cwd: DIR, env });
  assert.equal(await waitForExit(run), 0, outputOf(run));
  return run;
}

describe('examples/collector', () => {
  let sink: HttpSink | undefined;
  afterEach(async () => {
    killStarted();
    await sink?.close();
    sink = undefined;
  });

  it('collector.js posts a thrift Batch to JAEGER_ENDPOINT with the bearer token', async () => {
    sink = await startHttpSink(200);
    const run = await runScript('collector.js', {
      JAEGER_ENDPOINT: `${sink.origin}/api/traces`,
      JAEGER_AUTH_TOKEN: 's3cret-token',
    });
    assert.match(run.stdout(), /collector-example: done/);
    assert.ok(sink.requests.length >= 1, 'at least one request');
    const spans = sink.requests.flatMap((request) => {
      assert.equal(request.method, 'POST');
      assert.equal(request.url, '/api/traces');
      assert.equal(request.headers.authorization, 'Bearer s3cret-token');
      assert.equal(request.headers['content-type'], 'application/x-thrift');
      const batch = decodeBatch('binary', request.body);
      assert.equal(batch.process.serviceName, 'collector-example');
      return batch.spans;
    });
    assert.deepEqual(spans.map((s) => s.operationName).sort(), JOB_SPANS);
    const root = spans.find((s) => s.operationName === 'nightly-report')!;
    assert.equal(root.parentSpanId, 0n);
    assert.equal(tagValue(root.tags, 'report.total.cents'), 6500n);
    for (const child of spans.filter((s) => s !== root)) {
      assert.equal(child.parentSpanId, root.spanId, `${child.operationName} is a child of nightly-report`);
      assert.equal(child.traceIdLow, root.traceIdLow);
      assert.equal(child.traceIdHigh, root.traceIdHigh);
    }
    const upload = spans.find((s) => s.operationName === 'upload-report')!;
    assert.equal(tagValue(upload.tags, 'error'), true);
    assert.equal(tagValue(spans.find((s) => s.operationName === 'fetch-orders')!.tags, 'orders.count'), 3n);
  });

  it('collector.js logs a rejected token and still exits cleanly', async () => {
    sink = await startHttpSink(401);
    const run = await runScript('collector.js', { JAEGER_ENDPOINT: `${sink.origin}/api/traces`, JAEGER_AUTH_TOKEN: 'wrong' });
    assert.equal(sink.requests.length, 1, '4xx is not retried');
    assert.match(run.stderr(), /\[jt\].*HTTP 401/);
  });

  it('otlp.js posts OTLP protobuf to OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces with OTEL_EXPORTER_OTLP_HEADERS', async () => {
    sink = await startHttpSink(200);
    const run = await runScript('otlp.js', {
      OTEL_EXPORTER_OTLP_ENDPOINT: `${sink.origin}/`,
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20otlp-token,x-tenant=acme',
    });
    assert.match(run.stdout(), /otlp-example: done/);
    assert.ok(sink.requests.length >= 1, 'at least one request');
    const spans: OtlpSpan[] = [];
    for (const request of sink.requests) {
      assert.equal(request.method, 'POST');
      assert.equal(request.url, '/v1/traces');
      assert.equal(request.headers['content-type'], 'application/x-protobuf');
      assert.equal(request.headers.authorization, 'Bearer otlp-token');
      assert.equal(request.headers['x-tenant'], 'acme');
      assert.ok(request.body.length > 0, 'a non-empty body');
      for (const resourceSpans of decodeRequest(request.body).resourceSpans) {
        assert.equal(attributeMap(resourceSpans.resource.attributes).get('service.name')?.stringValue, 'otlp-example');
        for (const scopeSpans of resourceSpans.scopeSpans) spans.push(...scopeSpans.spans);
      }
    }
    assert.deepEqual(spans.map((s) => s.name).sort(), JOB_SPANS);
    const root = spans.find((s) => s.name === 'nightly-report')!;
    assert.equal(root.parentSpanId, '');
    for (const child of spans.filter((s) => s !== root)) {
      assert.equal(child.traceId, root.traceId);
      assert.equal(child.parentSpanId, root.spanId, `${child.name} is a child of nightly-report`);
    }
    const upload = spans.find((s) => s.name === 'upload-report')!;
    assert.equal(upload.status?.code, 'STATUS_CODE_ERROR');
    const rendered = spans.find((s) => s.name === 'render-report')!;
    assert.equal(rendered.events[0]?.name, 'rendered');
  });
});
