import assert from 'node:assert/strict';
import {
  ROOT_CONTEXT,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  trace,
  type Context,
  type SpanContext as OtelSpanContext,
  type TextMapPropagator,
} from '@opentelemetry/api';
import { W3CBaggagePropagator, W3CTraceContextPropagator, TraceState } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { JaegerPropagator } from '@opentelemetry/propagator-jaeger';
import { ConstSampler, FORMAT_HTTP_HEADERS, InMemoryReporter, SpanContext, Tracer } from '../../src/index';
import type { PropagationName } from '../../src/index';

type Headers = Record<string, string>;

function ourTracer(propagationNames?: PropagationName[]): Tracer {
  return new Tracer('us', new InMemoryReporter(), new ConstSampler(true), { propagation: propagationNames });
}

function inject(ctx: SpanContext, names?: PropagationName[]): Headers {
  const headers: Headers = {};
  ourTracer(names).inject(ctx, FORMAT_HTTP_HEADERS, headers);
  return headers;
}

function theyExtract(p: TextMapPropagator, headers: Headers): Context {
  return p.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
}

function theirSpanContext(ctx: Context): OtelSpanContext {
  const sc = trace.getSpanContext(ctx);
  assert.ok(sc, 'OpenTelemetry found no span context');
  return sc;
}

function theirBaggage(ctx: Context): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of propagation.getBaggage(ctx)?.getAllEntries() ?? []) out[k] = v.value;
  return out;
}

function otelContext(traceId: string, spanId: string, sampled: boolean, baggage?: Record<string, string>, traceState?: string): Context {
  let ctx = trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId,
    traceFlags: sampled ? 1 : 0,
    isRemote: false,
    traceState: traceState === undefined ? undefined : new TraceState(traceState),
  });
  if (baggage !== undefined) {
    const entries: Record<string, { value: string }> = {};
    for (const [k, v] of Object.entries(baggage)) entries[k] = { value: v };
    ctx = propagation.setBaggage(ctx, propagation.createBaggage(entries));
  }
  return ctx;
}

function theyInject(p: TextMapPropagator, ctx: Context): Headers {
  const headers: Headers = {};
  p.inject(ctx, headers, defaultTextMapSetter);
  return headers;
}

const BAGGAGE = { plain: 'value', spaced: 'a b,c=d;e', unicode: 'héllo wörld ☃', percent: '100% of %41' };
const T128 = '4bf92f3577b34da6a3ce929d0e0e4736';
const T64 = '00f067aa0ba902b7';
const S = '0000c0ffee123456';
const P = '00000000000000ab';

/** OpenTelemetry ids are always 128-bit: a 64-bit Jaeger/B3 id is left-padded with zeros. */
const otelTraceId = (id: string): string => id.padStart(32, '0');

const ID_CASES = [
  { name: '128-bit', traceId: T128 },
  { name: '64-bit', traceId: T64 },
];
const FLAG_CASES = [
  { name: 'sampled', flags: 1 },
  { name: 'unsampled', flags: 0 },
  { name: 'debug', flags: 3 },
];

describe('interop with OpenTelemetry propagators', () => {
  describe('Jaeger (@opentelemetry/propagator-jaeger)', () => {
    const otel = new JaegerPropagator();
    for (const id of ID_CASES) {
      for (const f of FLAG_CASES) {
        it(`ours -> theirs: ${id.name} ${f.name} with baggage`, () => {
          const headers = inject(new SpanContext(id.traceId, S, P, f.flags, BAGGAGE), ['jaeger']);
          const ctx = theyExtract(otel, headers);
          const sc = theirSpanContext(ctx);
          assert.equal(sc.traceId, otelTraceId(id.traceId));
          assert.equal(sc.spanId, S);
          // OpenTelemetry has no debug flag: debug (3) reads as sampled
          assert.equal(sc.traceFlags & 1, f.flags & 1);
          assert.equal(sc.isRemote, true);
          assert.deepEqual(theirBaggage(ctx), BAGGAGE);
        });
      }
      for (const sampled of [true, false]) {
        it(`theirs -> ours: ${id.name} ${sampled ? 'sampled' : 'unsampled'} with baggage`, () => {
          const headers = theyInject(otel, otelContext(otelTraceId(id.traceId), S, sampled, BAGGAGE));
          const ours = ourTracer().extract(FORMAT_HTTP_HEADERS, headers);
          assert.ok(ours, JSON.stringify(headers));
          // OTel writes 32 chars; a zero high half is kept as written (32-char id)
          assert.equal(ours.traceId, otelTraceId(id.traceId));
          assert.equal(ours.spanId, S);
          assert.equal(ours.parentId, null);
          assert.equal(ours.flags, sampled ? 1 : 0);
          assert.deepEqual({ ...ours.baggage }, BAGGAGE);
        });
      }
    }
  });

  for (const encoding of [B3InjectEncoding.MULTI_HEADER, B3InjectEncoding.SINGLE_HEADER]) {
    const single = encoding === B3InjectEncoding.SINGLE_HEADER;
    const ourName: PropagationName = single ? 'b3-single' : 'b3';
    describe(`B3 ${single ? 'single' : 'multi'} (@opentelemetry/propagator-b3)`, () => {
      const otel = new B3Propagator({ injectEncoding: encoding });
      for (const id of ID_CASES) {
        for (const f of FLAG_CASES) {
          it(`ours -> theirs: ${id.name} ${f.name}`, () => {
            const headers = inject(new SpanContext(id.traceId, S, P, f.flags), [ourName]);
            assert.deepEqual(Object.keys(headers).sort(), single ? ['b3'] : ['x-b3-parentspanid', 'x-b3-spanid', 'x-b3-traceid', f.flags === 3 ? 'x-b3-flags' : 'x-b3-sampled'].sort());
            const ctx = theyExtract(otel, headers);
            const sc = theirSpanContext(ctx);
            assert.equal(sc.traceId, otelTraceId(id.traceId));
            assert.equal(sc.spanId, S);
            assert.equal(sc.traceFlags & 1, f.flags & 1);
            // the debug state OTel keeps privately shows when it injects again
            const again = theyInject(otel, ctx);
            if (single) assert.equal(again.b3!.split('-')[2], f.flags === 3 ? 'd' : String(f.flags & 1));
            else assert.equal(again['x-b3-flags'], f.flags === 3 ? '1' : undefined);
          });

          it(`theirs -> ours: ${id.name} ${f.name}`, () => {
            // OTel only holds debug when it extracted it: build it from a debug header of the same
            // encoding (OTel's multi injector does not carry over a debug state read from `b3: ...-d`)
            const debugCarrier: Headers = single
              ? { b3: `${otelTraceId(id.traceId)}-${S}-d` }
              : { 'x-b3-traceid': otelTraceId(id.traceId), 'x-b3-spanid': S, 'x-b3-flags': '1' };
            const ctx =
              f.flags === 3 ? theyExtract(otel, debugCarrier) : otelContext(otelTraceId(id.traceId), S, f.flags === 1);
            const headers = theyInject(otel, ctx);
            const ours = ourTracer().extract(FORMAT_HTTP_HEADERS, headers);
            assert.ok(ours, JSON.stringify(headers));
            assert.equal(ours.traceId, otelTraceId(id.traceId));
            assert.equal(ours.spanId, S);
            assert.equal(ours.flags, f.flags);
          });
        }
      }

      it('a 64-bit id written by a B3 peer (not OTel) stays 64-bit through us, and OTel pads it', () => {
        const tracer = ourTracer([ourName]);
        const carrier = single ? { b3: `${T64}-${S}-1` } : { 'x-b3-traceid': T64, 'x-b3-spanid': S, 'x-b3-sampled': '1' };
        const child = tracer.startSpan('c', { childOf: tracer.extract(FORMAT_HTTP_HEADERS, carrier) });
        const out: Headers = {};
        tracer.inject(child, FORMAT_HTTP_HEADERS, out);
        assert.equal(single ? out.b3!.split('-')[0] : out['x-b3-traceid'], T64);
        assert.equal(theirSpanContext(theyExtract(otel, out)).traceId, otelTraceId(T64));
      });
    });
  }

  describe('W3C Trace Context (@opentelemetry/core)', () => {
    const otel = new W3CTraceContextPropagator();
    for (const id of ID_CASES) {
      for (const f of FLAG_CASES) {
        it(`ours -> theirs: ${id.name} ${f.name} with tracestate`, () => {
          const ctx = new SpanContext(id.traceId, S, P, f.flags, undefined, '', 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
          const headers = inject(ctx, ['w3c']);
          const sc = theirSpanContext(theyExtract(otel, headers));
          // W3C requires 128 bits: a 64-bit id goes out left-padded
          assert.equal(sc.traceId, otelTraceId(id.traceId));
          assert.equal(sc.spanId, S);
          assert.equal(sc.traceFlags, f.flags & 1, 'W3C has no debug bit: debug goes out as sampled');
          assert.equal(sc.traceState?.serialize(), 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
        });
      }
      for (const sampled of [true, false]) {
        it(`theirs -> ours: ${id.name} ${sampled ? 'sampled' : 'unsampled'} with tracestate`, () => {
          const headers = theyInject(otel, otelContext(otelTraceId(id.traceId), S, sampled, undefined, 'vendor=opaque,other=1'));
          const ours = ourTracer().extract(FORMAT_HTTP_HEADERS, headers);
          assert.ok(ours, JSON.stringify(headers));
          assert.equal(ours.traceId, otelTraceId(id.traceId));
          assert.equal(ours.spanId, S);
          assert.equal(ours.flags, sampled ? 1 : 0);
          assert.equal(ours.traceState, 'vendor=opaque,other=1');
          // the tracestate is passed on by children
          const tracer = ourTracer(['w3c']);
          const out: Headers = {};
          tracer.inject(tracer.startSpan('c', { childOf: ours }), FORMAT_HTTP_HEADERS, out);
          assert.equal(out.tracestate, 'vendor=opaque,other=1');
          assert.equal(theirSpanContext(theyExtract(otel, out)).traceId, otelTraceId(id.traceId));
        });
      }
    }
  });

  describe('W3C Baggage (@opentelemetry/core)', () => {
    const otel = new W3CBaggagePropagator();
    it('ours -> theirs, values needing percent-encoding', () => {
      const headers = inject(new SpanContext(T128, S, null, 1, BAGGAGE), ['w3c']);
      assert.ok(headers.baggage);
      assert.deepEqual(theirBaggage(theyExtract(otel, headers)), BAGGAGE);
    });

    it('theirs -> ours, values needing percent-encoding', () => {
      const headers = theyInject(otel, otelContext(T128, S, true, BAGGAGE));
      const ours = ourTracer().extract(FORMAT_HTTP_HEADERS, headers);
      assert.ok(ours);
      assert.equal(ours.hasTrace(), false, 'baggage alone gives an id-less context');
      assert.deepEqual({ ...ours.baggage }, BAGGAGE);
    });

    it('theirs -> ours, baggage with metadata properties drops the properties', () => {
      const ours = ourTracer().extract(FORMAT_HTTP_HEADERS, { baggage: 'k1=v1;prop=1, k2 = v%202 ' });
      assert.deepEqual(
        { ...ours?.baggage },
        theirBaggage(theyExtract(otel, { baggage: 'k1=v1;prop=1, k2 = v%202 ' })),
      );
    });

    it('default tracer: OTel traceparent + baggage together give one context with both', () => {
      const ctx = otelContext(T128, S, true, { user: 'alice smith' });
      const headers: Headers = {};
      new W3CTraceContextPropagator().inject(ctx, headers, defaultTextMapSetter);
      otel.inject(ctx, headers, defaultTextMapSetter);
      const ours = ourTracer().extract(FORMAT_HTTP_HEADERS, headers);
      assert.equal(ours?.traceId, T128);
      assert.deepEqual({ ...ours?.baggage }, { user: 'alice smith' });
    });
  });

  describe('default tracer output read by every OpenTelemetry propagator', () => {
    it('jaeger + w3c are written and agree on the ids', () => {
      const tracer = ourTracer();
      const span = tracer.startSpan('root');
      span.setBaggageItem('k', 'v v');
      const headers: Headers = {};
      tracer.inject(span, FORMAT_HTTP_HEADERS, headers);
      assert.ok(headers['uber-trace-id'] && headers.traceparent && headers.baggage);
      for (const p of [new JaegerPropagator(), new W3CTraceContextPropagator()]) {
        const sc = theirSpanContext(theyExtract(p, headers));
        assert.equal(sc.traceId, span.context().traceId);
        assert.equal(sc.spanId, span.context().spanId);
      }
      assert.deepEqual(theirBaggage(theyExtract(new W3CBaggagePropagator(), headers)), { k: 'v v' });
    });
  });
});
