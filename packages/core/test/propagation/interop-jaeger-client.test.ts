import assert from 'node:assert/strict';
import {
  ConstSampler,
  FORMAT_HTTP_HEADERS,
  FORMAT_TEXT_MAP,
  InMemoryReporter,
  SpanContext,
  Tracer,
} from '../../src/index';

// jaeger-client ships no types; it is the independent implementation we check against.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaeger = require('jaeger-client') as any; // eslint-disable-line @typescript-eslint/no-explicit-any

type Headers = Record<string, string>;
/* eslint-disable @typescript-eslint/no-explicit-any */
type TheirContext = any;
type TheirTracer = any;
/* eslint-enable @typescript-eslint/no-explicit-any */

const B3 = 'b3-zipkin';

function theirTracer(sampled = true, traceId128bit = true): TheirTracer {
  const tracer = new jaeger.Tracer('them', new jaeger.NoopReporter(), new jaeger.ConstSampler(sampled), { traceId128bit });
  const b3 = new jaeger.ZipkinB3TextMapCodec({ urlEncoding: true });
  tracer.registerInjector(B3, b3);
  tracer.registerExtractor(B3, b3);
  return tracer;
}

function ourTracer(options: ConstructorParameters<typeof Tracer>[3] = {}, sampled = true): Tracer {
  return new Tracer('us', new InMemoryReporter(), new ConstSampler(sampled), options);
}

/**
 * jaeger-client keeps ids as given (often unpadded); its Buffer getters give the normalised
 * bytes. A missing parent reads as null or as an all-zero buffer there (zero = no parent in Jaeger).
 */
function theirIds(ctx: TheirContext): { traceId: string; spanId: string; parentId: string | null } {
  const parent = ctx.parentId == null ? null : (ctx.parentId as Buffer).toString('hex').padStart(16, '0');
  return {
    traceId: (ctx.traceId as Buffer).toString('hex'),
    spanId: (ctx.spanId as Buffer).toString('hex').padStart(16, '0'),
    parentId: parent === null || /^0+$/.test(parent) ? null : parent,
  };
}

const BAGGAGE = { plain: 'value', spaced: 'a b,c=d;e', unicode: 'héllo wörld ☃', percent: '100%25 of %' };

interface Case {
  name: string;
  traceId: string;
  parentId: string | null;
  flags: number;
}

const CASES: Case[] = [
  { name: '128-bit sampled', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentId: '00f067aa0ba902b7', flags: 1 },
  { name: '128-bit unsampled', traceId: '0af7651916cd43dd8448eb211c80319c', parentId: null, flags: 0 },
  { name: '128-bit debug', traceId: '0af7651916cd43dd8448eb211c80319c', parentId: '0000000000000abc', flags: 3 },
  { name: '64-bit sampled', traceId: '00f067aa0ba902b7', parentId: null, flags: 1 },
  { name: '64-bit with leading zeros, unsampled', traceId: '000000000000abcd', parentId: '0000000000000001', flags: 0 },
  { name: '64-bit debug', traceId: 'a3ce929d0e0e4736', parentId: null, flags: 3 },
];

const SPAN_ID = '0000c0ffee123456';

describe('interop with jaeger-client 3.19', () => {
  describe('Jaeger headers we inject, jaeger-client extracts', () => {
    for (const c of CASES) {
      it(`${c.name} (http headers, with URL-encoded baggage)`, () => {
        const ctx = new SpanContext(c.traceId, SPAN_ID, c.parentId, c.flags, BAGGAGE);
        const headers: Headers = {};
        ourTracer().inject(ctx, FORMAT_HTTP_HEADERS, headers);
        const theirs = theirTracer().extract(FORMAT_HTTP_HEADERS, headers);
        assert.ok(theirs.isValid, `jaeger-client rejected ${headers['uber-trace-id']}`);
        assert.deepEqual(theirIds(theirs), { traceId: c.traceId, spanId: SPAN_ID, parentId: c.parentId });
        assert.equal(theirs.isSampled(), (c.flags & 1) === 1);
        assert.equal(theirs.isDebug(), (c.flags & 2) === 2);
        assert.deepEqual({ ...theirs.baggage }, BAGGAGE);
      });
    }

    it('the uber-trace-id we emit is fixed-width (jaeger-client would emit it unpadded)', () => {
      const headers: Headers = {};
      ourTracer().inject(new SpanContext('000000000000abcd', '0000000000000001', null, 1), FORMAT_HTTP_HEADERS, headers);
      assert.equal(headers['uber-trace-id'], '000000000000abcd:0000000000000001:0:1');
    });

    it('a span jaeger-client starts from our context is a child in the same trace', () => {
      const ours = ourTracer();
      const parent = ours.startSpan('parent');
      const headers: Headers = {};
      ours.inject(parent, FORMAT_HTTP_HEADERS, headers);
      const child = theirTracer(false).startSpan('child', { childOf: theirTracer().extract(FORMAT_HTTP_HEADERS, headers) });
      const ids = theirIds(child.context());
      assert.equal(ids.traceId, parent.context().traceId);
      assert.equal(ids.parentId, parent.context().spanId);
      assert.equal(child.context().isSampled(), true, 'sampling decision must be inherited');
    });
  });

  describe('Jaeger headers jaeger-client injects, we extract', () => {
    for (const bits128 of [true, false]) {
      for (const sampled of [true, false]) {
        it(`${bits128 ? 128 : 64}-bit, ${sampled ? 'sampled' : 'unsampled'}, http headers and text map`, () => {
          const them = theirTracer(sampled, bits128);
          const root = them.startSpan('root');
          const span = them.startSpan('child', { childOf: root });
          for (const [key, value] of Object.entries(BAGGAGE)) span.setBaggageItem(key, value);
          const expected = theirIds(span.context());
          assert.equal(expected.traceId.length, bits128 ? 32 : 16);
          for (const format of [FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP]) {
            const headers: Headers = {};
            them.inject(span.context(), format, headers);
            const ours = ourTracer().extract(format, headers);
            assert.ok(ours, `we rejected ${JSON.stringify(headers)}`);
            assert.equal(ours.traceId, expected.traceId);
            assert.equal(ours.spanId, expected.spanId);
            assert.equal(ours.parentId, expected.parentId);
            assert.equal(ours.flags, sampled ? 1 : 0);
            assert.deepEqual({ ...ours.baggage }, BAGGAGE);
          }
        });
      }
    }

    it('debug flag set by jaeger-client (sampling.priority) survives', () => {
      const them = theirTracer(false);
      const span = them.startSpan('root');
      span.setTag('sampling.priority', 1);
      const headers: Headers = {};
      them.inject(span.context(), FORMAT_HTTP_HEADERS, headers);
      const ours = ourTracer({}, false).extract(FORMAT_HTTP_HEADERS, headers);
      assert.equal(ours?.flags, 3);
      assert.equal(ours?.isDebug(), true);
    });

    it('unpadded ids from jaeger-client are normalised and a 64-bit trace stays 64-bit on the way out', () => {
      // jaeger-client strips leading zeros from ids it generated (Buffer -> hex -> removeLeadingZeros)
      const them = theirTracer(true, false);
      const ctx = jaeger.SpanContext.withBinaryIds(
        Buffer.from('000000000000abcd', 'hex'),
        Buffer.from('0000000000000ef1', 'hex'),
        null,
        1,
      );
      const headers: Headers = {};
      them.inject(ctx, FORMAT_HTTP_HEADERS, headers);
      assert.equal(headers['uber-trace-id'], 'abcd:ef1:0:1', 'precondition: jaeger-client emits unpadded ids');
      const tracer = ourTracer({ propagation: ['jaeger', 'b3'] });
      const ours = tracer.extract(FORMAT_HTTP_HEADERS, headers);
      assert.equal(ours?.traceId, '000000000000abcd');
      assert.equal(ours?.spanId, '0000000000000ef1');
      const child = tracer.startSpan('child', { childOf: ours });
      const out: Headers = {};
      tracer.inject(child, FORMAT_HTTP_HEADERS, out);
      assert.match(out['uber-trace-id']!, /^000000000000abcd:[0-9a-f]{16}:0000000000000ef1:1$/);
      assert.equal(out['x-b3-traceid'], '000000000000abcd');
    });

    it('accepts a URL-encoded uber-trace-id (%3A), as proxies produce', () => {
      const ours = ourTracer().extract(FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'abcd%3Aef1%3A0%3A1' });
      assert.equal(ours?.toString(), '000000000000abcd:0000000000000ef1:0:1');
      assert.ok(theirTracer().extract(FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'abcd%3Aef1%3A0%3A1' }).isValid);
    });

    it('reads jaeger-baggage the way jaeger-client does', () => {
      const carrier = { 'jaeger-baggage': 'k1=v1, k2=v2', 'uber-trace-id': 'abcd:ef1:0:1' };
      const theirs = theirTracer().extract(FORMAT_TEXT_MAP, carrier);
      const ours = ourTracer().extract(FORMAT_TEXT_MAP, carrier);
      assert.deepEqual({ ...ours?.baggage }, { ...theirs.baggage });
      assert.deepEqual({ ...ours?.baggage }, { k1: 'v1', k2: 'v2' });
    });

    // Regression (fixed; interop, TEXT_MAP): our Jaeger codec URL-encodes baggage values in FORMAT_TEXT_MAP too
    // (urlEncoding defaults to true for both formats), but jaeger-client's TEXT_MAP codec uses
    // urlEncoding:false, so it reads 'a%20b' where we meant 'a b'. Likewise a raw '%41' value
    // that jaeger-client writes into a text map is decoded by us to 'A'.
    it('text map baggage values round-trip with jaeger-client unchanged', () => {
      const carrier: Headers = {};
      ourTracer().inject(new SpanContext('abcd'.padStart(16, '0'), SPAN_ID, null, 1, { k: 'a b', p: '%41' }), FORMAT_TEXT_MAP, carrier);
      assert.deepEqual({ ...theirTracer().extract(FORMAT_TEXT_MAP, carrier).baggage }, { k: 'a b', p: '%41' });
      const them = theirTracer();
      const span = them.startSpan('x');
      span.setBaggageItem('p', '%41');
      const theirCarrier: Headers = {};
      them.inject(span.context(), FORMAT_TEXT_MAP, theirCarrier);
      assert.equal(ourTracer().extract(FORMAT_TEXT_MAP, theirCarrier)?.baggage.p, '%41');
    });
  });

  describe('jaeger-debug-id', () => {
    it('alone in a carrier makes a new sampled+debug root tagged with the id, even with ConstSampler(false)', () => {
      const reporter = new InMemoryReporter();
      const tracer = new Tracer('us', reporter, new ConstSampler(false));
      const ctx = tracer.extract(FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'my-debug-42' });
      assert.ok(ctx);
      assert.equal(ctx.hasTrace(), false);
      assert.equal(ctx.debugId, 'my-debug-42');
      const span = tracer.startSpan('handle', { childOf: ctx });
      assert.equal(span.context().flags, 3);
      assert.equal(span.context().parentId, null);
      assert.match(span.context().traceId, /^[0-9a-f]{32}$/);
      assert.deepEqual(
        span.tags.filter((t) => t.key === 'jaeger-debug-id'),
        [{ key: 'jaeger-debug-id', value: 'my-debug-42' }],
      );
      span.finish();
      assert.equal(reporter.spans.length, 1);
    });

    it('behaves like jaeger-client does for the same carrier', () => {
      const them = theirTracer(false);
      const theirSpan = them.startSpan('handle', { childOf: them.extract(FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'x1' }) });
      const ours = ourTracer({}, false);
      const ourSpan = ours.startSpan('handle', { childOf: ours.extract(FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'x1' }) });
      assert.equal(theirSpan.context().isDebug(), ourSpan.context().isDebug());
      assert.equal(theirSpan.context().isSampled(), ourSpan.context().isSampled());
      const theirTag = theirSpan._tags.find((t: { key: string }) => t.key === 'jaeger-debug-id');
      assert.equal(ourSpan.tags.find((t) => t.key === 'jaeger-debug-id')?.value, theirTag.value);
    });

    it('is ignored when the carrier also has a valid uber-trace-id', () => {
      const tracer = ourTracer({}, false);
      const ctx = tracer.extract(FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'abcd:ef1:0:0', 'jaeger-debug-id': 'x' });
      const span = tracer.startSpan('child', { childOf: ctx });
      assert.equal(span.context().traceId, '000000000000abcd');
      assert.equal(span.context().flags, 0);
    });
  });

  describe('B3 multi-header against jaeger-client ZipkinB3TextMapCodec', () => {
    for (const c of CASES) {
      it(`${c.name}: ours -> theirs`, () => {
        const headers: Headers = {};
        ourTracer({ propagation: ['b3'] }).inject(new SpanContext(c.traceId, SPAN_ID, c.parentId, c.flags), FORMAT_HTTP_HEADERS, headers);
        assert.equal(headers['uber-trace-id'], undefined);
        const theirs = theirTracer().extract(B3, headers);
        assert.ok(theirs.isValid);
        assert.deepEqual(theirIds(theirs), { traceId: c.traceId, spanId: SPAN_ID, parentId: c.parentId });
        assert.equal(theirs.isSampled(), (c.flags & 1) === 1);
        assert.equal(theirs.isDebug(), (c.flags & 2) === 2);
      });

      it(`${c.name}: theirs -> ours`, () => {
        const ctx = jaeger.SpanContext.withStringIds(c.traceId, SPAN_ID, c.parentId, c.flags);
        const headers: Headers = {};
        theirTracer().inject(ctx, B3, headers);
        const ours = ourTracer().extract(FORMAT_HTTP_HEADERS, headers);
        assert.ok(ours, JSON.stringify(headers));
        assert.equal(ours.traceId, c.traceId, 'a 64-bit B3 trace id stays 64-bit');
        assert.equal(ours.spanId, SPAN_ID);
        assert.equal(ours.parentId, c.parentId);
        assert.equal(ours.flags, c.flags);
      });
    }

    it('B3 with jaeger-client unpadded ids extracts normalised', () => {
      const ctx = jaeger.SpanContext.withBinaryIds(Buffer.from('0000000000000abc', 'hex'), Buffer.from('00000000000000de', 'hex'), null, 1);
      const headers: Headers = {};
      theirTracer().inject(ctx, B3, headers);
      assert.equal(headers['x-b3-traceid'], 'abc');
      const ours = ourTracer().extract(FORMAT_HTTP_HEADERS, headers);
      assert.equal(ours?.traceId, '0000000000000abc');
      assert.equal(ours?.spanId, '00000000000000de');
    });
  });
});
