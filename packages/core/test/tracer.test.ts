import assert from 'node:assert/strict';
import * as opentracing from 'opentracing';
import apiCompatibilityChecks from 'opentracing/lib/test/api_compatibility';
import {
  ConstSampler,
  FORMAT_BINARY,
  FORMAT_HTTP_HEADERS,
  FORMAT_TEXT_MAP,
  InMemoryReporter,
  SpanContext,
  Tracer,
} from '../src/index';
import type { Sampler } from '../src/samplers/sampler';
import type { Span } from '../src/span';
import { JaegerThriftEncoder } from '../src/thrift/jaeger-encoder';
import { encodeBatch, encodeProcess } from '../src/thrift/jaeger-batch';
import { decodeBatch, hex64, traceIdHex } from './thrift/thrift-decoder';

describe('Tracer', () => {
  apiCompatibilityChecks(() => new Tracer('api-compat', new InMemoryReporter(), new ConstSampler(true)) as never, {
    checkBaggageValues: true,
  } as never);

  const reporter = new InMemoryReporter();
  const tracer = new Tracer('tracer-test', reporter, new ConstSampler(true));
  beforeEach(() => reporter.clear());

  it('uses the same format strings as the opentracing package', () => {
    assert.equal(FORMAT_HTTP_HEADERS, opentracing.FORMAT_HTTP_HEADERS);
    assert.equal(FORMAT_TEXT_MAP, opentracing.FORMAT_TEXT_MAP);
    assert.equal(FORMAT_BINARY, opentracing.FORMAT_BINARY);
  });

  it('starts roots with 128-bit trace ids whose span id is the low half, and 64-bit on request', () => {
    const root = tracer.startSpan('root');
    assert.match(root.traceId, /^[0-9a-f]{32}$/);
    assert.equal(root.spanId, root.traceId.slice(16));
    assert.equal(root.parentId, null);
    const short = new Tracer('s', reporter, new ConstSampler(true), { traceId128bit: false }).startSpan('r');
    assert.match(short.traceId, /^[0-9a-f]{16}$/);
  });

  it("keeps a sampled trace's id words for the encoder, in its children too, and none for an unsampled trace", async () => {
    const parent = tracer.startSpan('parent');
    const child = tracer.startSpan('child', { childOf: parent });
    const words = parent.context().traceIdWords!;
    assert.equal(words.hex, parent.traceId);
    assert.equal(child.context().traceIdWords, words);
    assert.equal(parent.context().withBaggage({ a: 'b' }).traceIdWords, words);
    const unsampled = new Tracer('u', reporter, new ConstSampler(false)).startSpan('r');
    assert.equal(unsampled.context().traceIdWords, undefined);
    // end to end: the ids the spans carry are the ids Apache Thrift decodes
    const encoder = new JaegerThriftEncoder('compact');
    child.finish();
    parent.finish();
    const batch = encodeBatch(encoder, encodeProcess('compact', { serviceName: 's', tags: [] }), reporter.spans, {});
    const decoded = decodeBatch('compact', batch).spans;
    assert.deepEqual(
      decoded.map((d) => [traceIdHex(d), hex64(d.spanId)]),
      [
        [parent.traceId, child.spanId],
        [parent.traceId, parent.spanId],
      ],
    );
  });

  it('parents on childOf given as a span or a context, inheriting flags and baggage', () => {
    const parent = tracer.startSpan('parent');
    parent.setBaggageItem('tenant', 'acme');
    for (const childOf of [parent, parent.context()]) {
      const child = tracer.startSpan('child', { childOf });
      assert.equal(child.traceId, parent.traceId);
      assert.equal(child.parentId, parent.spanId);
      assert.notEqual(child.spanId, parent.spanId);
      assert.equal(child.flags, parent.flags);
      assert.equal(child.getBaggageItem('tenant'), 'acme');
    }
  });

  it('takes the parent from opentracing References (child_of first) and keeps the rest as references', () => {
    const a = tracer.startSpan('a');
    const b = tracer.startSpan('b', { root: true });
    const span = tracer.startSpan('joined', {
      references: [opentracing.followsFrom(a.context() as never), opentracing.childOf(b.context() as never)],
    });
    assert.equal(span.parentId, b.spanId);
    assert.deepEqual(span.references, [{ type: 'follows_from', traceId: a.traceId, spanId: a.spanId }]);
  });

  it('records tags, logs with µs timestamps, and startTime/finishTime in ms', () => {
    const span = tracer.startSpan('timed', { startTime: 1_700_000_000_000.5, tags: { 'http.method': 'GET' } });
    span.setTag('n', 7).addTags({ ok: true });
    span.log({ event: 'cache-miss', key: 'k' }, 1_700_000_000_001.25);
    span.logEvent('retry', { attempt: 2 });
    span.finish(1_700_000_000_010);
    const [got] = reporter.spans;
    assert.ok(got);
    assert.equal(got.startTime, 1_700_000_000_000_500);
    assert.equal(got.duration, 9_500);
    const tags = Object.fromEntries(got.tags.map((t) => [t.key, t.value]));
    assert.equal(tags['http.method'], 'GET');
    assert.equal(tags['n'], 7);
    assert.equal(tags['ok'], true);
    assert.equal(tags['sampler.type'], 'const');
    assert.equal(got.logs[0]!.timestamp, 1_700_000_000_001_250);
    assert.deepEqual(got.logs[0]!.fields, [{ key: 'event', value: 'cache-miss' }, { key: 'key', value: 'k' }]);
    assert.deepEqual(got.logs[1]!.fields[0], { key: 'event', value: 'retry' });
  });

  it('reports a span once, even when finish is called twice, and ignores changes after finish', () => {
    const span = tracer.startSpan('once');
    span.finish();
    span.setTag('late', 1);
    span.finish();
    assert.equal(reporter.spans.length, 1);
    assert.ok(!reporter.spans[0]!.tags.some((t) => t.key === 'late'));
  });

  it('keeps unsampled spans cheap: ids and baggage but no tags, logs or report', () => {
    const quiet = new Tracer('quiet', reporter, new ConstSampler(false));
    const span = quiet.startSpan('unsampled', { tags: { a: 1 } });
    span.log({ event: 'x' });
    span.setBaggageItem('k', 'v');
    span.finish();
    assert.equal(span.context().isSampled(), false);
    assert.equal(span.tags.length, 0);
    assert.equal(span.logs.length, 0);
    assert.equal(span.getBaggageItem('k'), 'v');
    assert.equal(reporter.spans.length, 0);
  });

  it('lets sampling.priority force sampling+debug or turn sampling off', () => {
    const quiet = new Tracer('quiet', reporter, new ConstSampler(false));
    const forced = quiet.startSpan('forced');
    forced.setTag('sampling.priority', 1);
    assert.equal(forced.flags, 3);
    const child = quiet.startSpan('child', { childOf: forced });
    assert.equal(child.flags, 3);
    const dropped = tracer.startSpan('dropped');
    dropped.setTag('sampling.priority', 0);
    assert.equal(dropped.context().isSampled(), false);
    forced.finish();
    dropped.finish();
    assert.deepEqual(reporter.spans.map((s) => s.operationName), ['forced']);
    // an unsampled span skips the clock; once forced sampled it has a real start time
    assert.ok(Math.abs(forced.startTime - Date.now() * 1000) < 5_000_000);
    assert.ok(forced.duration >= 0);
  });

  it('decides sampling at the root only; children inherit', () => {
    let calls = 0;
    const counting: Sampler = {
      sample: () => {
        calls++;
        return { sampled: false, tags: [] };
      },
      close() {},
    };
    const t = new Tracer('s', reporter, counting);
    const root = t.startSpan('root');
    t.startSpan('child', { childOf: root }).finish();
    assert.equal(calls, 1);
  });

  it('contains a sampler that throws: the span is unsampled, the app sees no error', () => {
    const broken: Sampler = {
      sample: () => {
        throw new Error('sampler bug');
      },
      close() {},
    };
    const span = new Tracer('s', reporter, broken).startSpan('x');
    assert.equal(span.context().isSampled(), false);
  });

  it('makes a sampled+debug root tagged jaeger-debug-id for a carrier with only jaeger-debug-id', () => {
    const quiet = new Tracer('quiet', reporter, new ConstSampler(false));
    const ctx = quiet.extract(FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'req-42' });
    assert.ok(ctx instanceof SpanContext);
    const span = quiet.startSpan('handler', { childOf: ctx });
    assert.equal(span.flags, 3);
    assert.equal(span.parentId, null);
    span.finish();
    assert.ok(reporter.spans[0]!.tags.some((t) => t.key === 'jaeger-debug-id' && t.value === 'req-42'));
  });

  it("gives a debug-id root its id words, and none when the sampler made another id before them", () => {
    const quiet = new Tracer('quiet', reporter, new ConstSampler(false));
    const debugRoot = quiet.startSpan('handler', { childOf: quiet.extract(FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'req-7' })! });
    assert.equal(debugRoot.context().traceIdWords?.hex, debugRoot.traceId);
    // a sampler that starts a span of its own while deciding: the new trace's words are gone
    let inner: Span | undefined;
    const busy: Sampler = {
      sample: () => {
        inner ??= tracer.startSpan('inside the sampler');
        return { sampled: true, tags: [] };
      },
      close() {},
    };
    const root = new Tracer('busy', reporter, busy).startSpan('root');
    assert.ok(inner !== undefined);
    assert.equal(root.context().traceIdWords, undefined);
    root.finish();
    const encoded = encodeBatch(new JaegerThriftEncoder('compact'), encodeProcess('compact', { serviceName: 's', tags: [] }), [root], {});
    assert.equal(traceIdHex(decodeBatch('compact', encoded).spans[0]!), root.traceId, 'parsed from the hex instead');
  });

  it('returns null from extract when the carrier holds no context', () => {
    assert.equal(tracer.extract(FORMAT_HTTP_HEADERS, {}), null);
    assert.equal(tracer.extract(FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'garbage' }), null);
    assert.equal(tracer.extract(FORMAT_TEXT_MAP, null), null);
    assert.equal(tracer.extract(FORMAT_BINARY, { buffer: null }), null);
    assert.equal(tracer.extract('unknown-format', {}), null);
  });

  it('round-trips a context with baggage through every format', () => {
    const span = tracer.startSpan('rt');
    span.setBaggageItem('user', 'a b,c=d');
    for (const format of [FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP, FORMAT_BINARY]) {
      const carrier: Record<string, unknown> = {};
      tracer.inject(span, format, carrier);
      const ctx = tracer.extract(format, carrier);
      assert.ok(ctx, format);
      assert.equal(ctx.traceId, span.traceId, format);
      assert.equal(ctx.spanId, span.spanId, format);
      assert.equal(ctx.flags, span.flags, format);
      assert.equal(ctx.baggage['user'], 'a b,c=d', format);
    }
  });

  it('never throws from inject into a carrier that refuses writes', () => {
    const frozen = Object.freeze({});
    assert.doesNotThrow(() => tracer.inject(tracer.startSpan('x'), FORMAT_HTTP_HEADERS, frozen));
  });

  it('truncates oversize baggage values and logs a baggage event on sampled spans', () => {
    const t = new Tracer('b', reporter, new ConstSampler(true), { baggage: { maxValueLength: 4 } });
    const span = t.startSpan('bag');
    span.setBaggageItem('Long_Key', 'abcdefgh');
    assert.equal(span.getBaggageItem('long-key'), 'abcd');
    assert.equal(span.getBaggageItem('Long_Key'), 'abcd');
    span.finish();
    const fields = Object.fromEntries(reporter.spans[0]!.logs[0]!.fields.map((f) => [f.key, f.value]));
    assert.deepEqual(fields, { event: 'baggage', key: 'long-key', value: 'abcd', truncated: true });
  });

  it('trace() finishes on return, on resolve, and records thrown and rejected errors', async () => {
    assert.equal(tracer.trace('sync', () => 5), 5);
    assert.equal(await tracer.trace('async', async () => 6), 6);
    assert.throws(() =>
      tracer.trace('throws', () => {
        throw new TypeError('bad');
      }),
    /bad/);
    await assert.rejects(tracer.trace('rejects', { tags: { k: 1 } }, async () => Promise.reject(new RangeError('nope'))), /nope/);
    const byName = Object.fromEntries(reporter.spans.map((s) => [s.operationName, s]));
    assert.deepEqual(Object.keys(byName).sort(), ['async', 'rejects', 'sync', 'throws']);
    for (const [name, kind, message] of [['throws', 'TypeError', 'bad'], ['rejects', 'RangeError', 'nope']] as const) {
      const span = byName[name]!;
      assert.ok(span.tags.some((t) => t.key === 'error' && t.value === true), name);
      const log = Object.fromEntries(span.logs[0]!.fields.map((f) => [f.key, f.value]));
      assert.equal(log['event'], 'error');
      assert.equal(log['error.kind'], kind);
      assert.equal(log['message'], message);
      assert.match(String(log['stack']), new RegExp(kind));
    }
    assert.ok(!byName['sync']!.tags.some((t) => t.key === 'error'));
  });

  it('trace() returns a non-promise thenable unchanged and unexecuted, finishing its span at once', () => {
    let executed = 0;
    const query = {
      lean() {
        return this;
      },
      then(resolve: (v: number) => void) {
        executed++;
        resolve(1);
      },
    };
    const returned = tracer.trace('build-query', () => query);
    assert.equal(returned, query);
    assert.equal(executed, 0);
    assert.deepEqual(reporter.spans.map((s) => s.operationName), ['build-query']);
  });

  it('close() is idempotent and flush()/close() resolve', async () => {
    const t = new Tracer('c', new InMemoryReporter(), new ConstSampler(true));
    await t.flush();
    const first = t.close();
    assert.equal(t.close(), first);
    await first;
  });
});
