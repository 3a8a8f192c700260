import assert from 'node:assert/strict';
import { validateHeaderName } from 'node:http';
import { textMapGetter, textMapSetter } from '../../src/propagation/carrier';
import { JaegerCodec, parseUberTraceId } from '../../src/propagation/jaeger-codec';
import { SpanContext } from '../../src/span-context';

type Headers = Record<string, string>;
const getter = textMapGetter as never;
const setter = textMapSetter as never;

describe('JaegerCodec', () => {
  it('parses uber-trace-id: unpadded, upper-case, 64/128-bit, parent 0, 1-2 digit flags', () => {
    assert.deepEqual(parseUberTraceId('AB:cd:0:1'), { traceId: '00000000000000ab', spanId: '00000000000000cd', parentId: null, flags: 1 });
    assert.deepEqual(parseUberTraceId(`1${'0'.repeat(16)}:cd:ef:ff`), {
      traceId: `1${'0'.repeat(16)}`.padStart(32, '0'),
      spanId: '00000000000000cd',
      parentId: '00000000000000ef',
      flags: 255,
    });
    assert.equal(parseUberTraceId('ab:cd:0000:3')?.parentId, null);
    for (const bad of ['', 'ab:cd:0', 'ab:cd:0:1:2', '0:cd:0:1', 'ab:0:0:1', 'ab:cd:0:100', 'ab:cd:zz:1', 'xy:cd:0:1', `${'a'.repeat(33)}:cd:0:1`, 'ab:cd:0:']) {
      assert.equal(parseUberTraceId(bad), null, bad);
    }
  });

  it('injects fixed-width ids and URL-encoded baggage; extracts it back', () => {
    const codec = new JaegerCodec();
    const out: Headers = {};
    codec.inject(new SpanContext('00000000000000ab', '00000000000000cd', null, 3, { k: 'a b%' }), out, setter);
    assert.deepEqual(out, { 'uber-trace-id': '00000000000000ab:00000000000000cd:0:3', 'uberctx-k': 'a%20b%25' });
    const back = codec.extract(out, getter);
    assert.equal(back?.toString(), '00000000000000ab:00000000000000cd:0:3');
    assert.deepEqual({ ...back?.baggage }, { k: 'a b%' });
  });

  it('honours contextKey, baggagePrefix and urlEncoding:false', () => {
    const codec = new JaegerCodec({ contextKey: 'My-Trace', baggagePrefix: 'Ctx-', urlEncoding: false });
    const out: Headers = {};
    codec.inject(new SpanContext('1'.repeat(16), '2'.repeat(16), null, 1, { k: 'a b' }), out, setter);
    assert.deepEqual(out, { 'my-trace': `${'1'.repeat(16)}:${'2'.repeat(16)}:0:1`, 'ctx-k': 'a b' });
    assert.equal(codec.extract({ 'my-trace': 'ab%3Acd%3A0%3A1' }, getter), null);
  });

  it('reads jaeger-baggage and jaeger-debug-id (control characters stripped, length capped)', () => {
    const codec = new JaegerCodec();
    const ctx = codec.extract({ 'jaeger-debug-id': `a\r\nb${'x'.repeat(400)}`, 'jaeger-baggage': ' k1 = v1 ,=x, k2=v=2' }, getter);
    assert.equal(ctx?.hasTrace(), false);
    assert.equal(ctx?.debugId, `ab${'x'.repeat(254)}`);
    assert.deepEqual({ ...ctx?.baggage }, { k1: 'v1', k2: 'v=2' });
  });

  it('bounds inbound baggage: items, value length, CR/LF removed, __proto__ ignored', () => {
    const codec = new JaegerCodec({ maxBaggageItems: 2, maxBaggageValueLength: 4 });
    const ctx = codec.extract({ 'uber-trace-id': 'ab:cd:0:1', 'uberctx-__proto__': 'p', 'uberctx-a': 'x%0D%0Ay', 'uberctx-b': '123456', 'uberctx-c': 'z' }, getter);
    assert.deepEqual({ ...ctx?.baggage }, { a: 'xy', b: '1234' });
    assert.equal(Object.getPrototypeOf(ctx?.baggage), Object.prototype);
  });

  it('survives % garbage and lone surrogates', () => {
    const codec = new JaegerCodec();
    assert.deepEqual({ ...codec.extract({ 'uberctx-k': '%E0%A4%A' }, getter)?.baggage }, { k: '%E0%A4%A' });
    const out: Headers = {};
    codec.inject(new SpanContext('1'.repeat(16), '2'.repeat(16), null, 1, { k: 'a\uD800b' }), out, setter);
    assert.equal(out['uberctx-k'], 'a%EF%BF%BDb');
  });

  // Regression (fixed): JaegerCodec.inject (src/propagation/jaeger-codec.ts line 45) writes `uberctx-${key}` for
  // any baggage key, but keys read from W3C `baggage` or `jaeger-baggage` are percent-decoded and
  // may hold spaces, ':' or non-ASCII. Input: extract {baggage: 'a%20b=1,%C3%A9=2'}, inject ->
  // header names 'uberctx-a b' and 'uberctx-é', which are not HTTP tokens: Node's
  // setHeader/http.request throw ERR_INVALID_HTTP_TOKEN on them, so an outgoing request made by an
  // instrumentation would fail. Expected: such keys skipped (or carried only in W3C baggage).
  it('injects only header names that are valid HTTP tokens', () => {
    const codec = new JaegerCodec();
    const ctx = codec.extract({ 'uber-trace-id': 'ab:cd:0:1' }, getter)!.withBaggage({ 'a b': '1', é: '2', ok: '3' });
    const out: Headers = {};
    codec.inject(ctx, out, setter);
    for (const name of Object.keys(out)) assert.doesNotThrow(() => validateHeaderName(name), name);
    assert.equal(out['uberctx-ok'], '3');
  });
});
