import assert from 'node:assert/strict';
import { textMapGetter, textMapSetter } from '../../src/propagation/carrier';
import { CompositePropagator, parsePropagationNames } from '../../src/propagation/propagator';
import { SpanContext } from '../../src/span-context';

type Headers = Record<string, string>;
const getter = textMapGetter as never;
const setter = textMapSetter as never;

describe('CompositePropagator', () => {
  it('writes jaeger + w3c by default and reads every format', () => {
    const p = new CompositePropagator();
    const out: Headers = {};
    p.inject(new SpanContext('a'.repeat(32), 'b'.repeat(16), null, 1, { k: 'v' }), out, setter);
    assert.deepEqual(Object.keys(out).sort(), ['baggage', 'traceparent', 'uber-trace-id', 'uberctx-k']);
    assert.deepEqual(p.fields().sort(), ['baggage', 'jaeger-baggage', 'jaeger-debug-id', 'traceparent', 'tracestate', 'uber-trace-id']);
    for (const carrier of [
      { 'x-b3-traceid': 'ab', 'x-b3-spanid': 'cd' },
      { b3: 'ab-cd-1' },
      { traceparent: `00-${'0'.repeat(30)}ab-${'0'.repeat(14)}cd-01` },
    ]) {
      assert.equal(p.extract(carrier, getter)?.spanId, '00000000000000cd', JSON.stringify(carrier));
    }
  });

  it('with a named list, writes and reads only those formats', () => {
    const p = new CompositePropagator({ propagation: ['b3-single'] });
    const out: Headers = {};
    p.inject(new SpanContext('a'.repeat(16), 'b'.repeat(16), null, 3), out, setter);
    assert.deepEqual(out, { b3: `${'a'.repeat(16)}-${'b'.repeat(16)}-d` });
    assert.equal(p.extract({ 'uber-trace-id': 'ab:cd:0:1' }, getter), null);
  });

  it('the first format with ids wins; baggage is merged; tracestate kept only for the same trace', () => {
    const p = new CompositePropagator();
    const ctx = p.extract(
      {
        'uber-trace-id': 'ab:cd:0:1',
        traceparent: `00-${'0'.repeat(30)}ab-${'0'.repeat(14)}ee-00`,
        tracestate: 'v=1',
        'uberctx-a': '1',
        baggage: 'a=2,b=3',
      },
      getter,
    );
    assert.equal(ctx?.spanId, '00000000000000cd');
    assert.equal(ctx?.traceState, 'v=1');
    assert.deepEqual({ ...ctx?.baggage }, { a: '1', b: '3' });
    const other = p.extract({ 'uber-trace-id': 'ab:cd:0:1', traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`, tracestate: 'v=1' }, getter);
    assert.equal(other?.traceState, '');
  });

  it('debug id and baggage without ids give an id-less context; nothing gives null', () => {
    const p = new CompositePropagator();
    const ctx = p.extract({ 'jaeger-debug-id': 'x', baggage: 'k=v' }, getter);
    assert.equal(ctx?.hasTrace(), false);
    assert.equal(ctx?.debugId, 'x');
    assert.deepEqual({ ...ctx?.baggage }, { k: 'v' });
    assert.equal(p.extract({}, getter), null);
    assert.equal(p.extract({ other: 'x' }, getter), null);
  });

  it('parsePropagationNames accepts aliases and rejects unknown names', () => {
    assert.deepEqual(parsePropagationNames('jaeger, B3multi,tracecontext,,w3c'), ['jaeger', 'b3', 'w3c']);
    assert.throws(() => parsePropagationNames(['jaeger', 'xray']), /unknown propagation format "xray"/);
  });

  // Regression (fixed): mergeBaggage (src/propagation/propagator.ts ~line 103) has no item limit, so 64
  // `uberctx-*` items plus 64 W3C `baggage` items give a context with 128 items although each
  // codec caps at DEFAULT_MAX_BAGGAGE_ITEMS (64). Expected <= 64, actual 128.
  it('merged baggage from several formats stays within maxItems (64)', () => {
    const carrier: Headers = { baggage: Array.from({ length: 64 }, (_, i) => `b${i}=v`).join(',') };
    for (let i = 0; i < 64; i++) carrier[`uberctx-a${i}`] = 'v';
    const ctx = new CompositePropagator().extract(carrier, getter);
    assert.ok(Object.keys(ctx!.baggage).length <= 64, `${Object.keys(ctx!.baggage).length} items`);
  });

  // Regression (fixed): mergeBaggage (src/propagation/propagator.ts line 107) tests `key in merged` on a plain `{}`,
  // which sees inherited Object.prototype members: `uberctx-constructor: x` is silently dropped
  // (expected baggage {constructor: 'x'}, actual {}); without ids it even yields an id-less context
  // with EMPTY baggage instead of null. Fix: Object.create(null) or Object.hasOwn(merged, key).
  it('a baggage key named like an Object.prototype member survives the merge', () => {
    const p = new CompositePropagator();
    assert.deepEqual({ ...p.extract({ 'uber-trace-id': 'ab:cd:0:1', 'uberctx-constructor': 'x' }, getter)?.baggage }, { constructor: 'x' });
    assert.deepEqual({ ...p.extract({ 'uberctx-constructor': 'x' }, getter)?.baggage }, { constructor: 'x' });
  });
});
