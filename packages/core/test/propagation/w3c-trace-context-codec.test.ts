import assert from 'node:assert/strict';
import { textMapGetter, textMapSetter } from '../../src/propagation/carrier';
import { W3CTraceContextCodec } from '../../src/propagation/w3c-trace-context-codec';
import { SpanContext } from '../../src/span-context';

const getter = textMapGetter as never;
const setter = textMapSetter as never;
const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';

describe('W3CTraceContextCodec', () => {
  it('injects version 00, pads 64-bit ids, maps debug to sampled and passes tracestate', () => {
    const out: Record<string, string> = {};
    new W3CTraceContextCodec().inject(new SpanContext('a3ce929d0e0e4736', S, null, 3, undefined, '', 'k=v'), out, setter);
    assert.deepEqual(out, { traceparent: `00-0000000000000000a3ce929d0e0e4736-${S}-01`, tracestate: 'k=v' });
    const none: Record<string, string> = {};
    new W3CTraceContextCodec().inject(new SpanContext('', '', null, 3, undefined, 'dbg'), none, setter);
    assert.deepEqual(none, {});
  });

  it('extracts the spec example, flags other than sampled ignored, future versions with extra fields', () => {
    const c = new W3CTraceContextCodec();
    const ctx = c.extract({ traceparent: `00-${T}-${S}-01`, tracestate: ' rojo=00f067aa0ba902b7,congo=t61rcWkgMzE ' }, getter);
    assert.deepEqual([ctx?.traceId, ctx?.spanId, ctx?.flags, ctx?.traceState], [T, S, 1, 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE']);
    assert.equal(c.extract({ traceparent: `00-${T}-${S}-fe` }, getter)?.flags, 0);
    assert.equal(c.extract({ traceparent: `cc-${T}-${S}-01-what-the-future-holds` }, getter)?.spanId, S);
  });

  it('rejects malformed traceparent and drops an invalid tracestate', () => {
    const c = new W3CTraceContextCodec();
    for (const bad of [`ff-${T}-${S}-01`, `00-${T}-${S}-01-x`, `00-${T.toUpperCase()}-${S}-01`, `00-${'0'.repeat(32)}-${S}-01`, `00-${T}-${'0'.repeat(16)}-01`, `00-${T.slice(1)}-${S}-01`, `00-${T}-${S}-1`, '']) {
      assert.equal(c.extract({ traceparent: bad }, getter), null, bad);
    }
    assert.equal(c.extract({ traceparent: `00-${T}-${S}-01`, tracestate: 'a=1\r\nb=2' }, getter)?.traceState, '');
    assert.equal(c.extract({ traceparent: `00-${T}-${S}-01`, tracestate: `a=${'x'.repeat(600)}` }, getter)?.traceState, '');
  });
});
