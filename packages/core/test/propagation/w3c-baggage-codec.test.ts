import assert from 'node:assert/strict';
import { textMapGetter, textMapSetter } from '../../src/propagation/carrier';
import { W3CBaggageCodec } from '../../src/propagation/w3c-baggage-codec';
import { SpanContext } from '../../src/span-context';

const getter = textMapGetter as never;
const setter = textMapSetter as never;

describe('W3CBaggageCodec', () => {
  it('injects percent-encoded members and caps the header at 8192 chars', () => {
    const out: Record<string, string> = {};
    new W3CBaggageCodec().inject(new SpanContext('', '', null, 0, { 'user id': 'a,b=c;d', n: 'é' }), out, setter);
    assert.equal(out.baggage, 'user%20id=a%2Cb%3Dc%3Bd,n=%C3%A9');
    const big: Record<string, string> = {};
    for (let i = 0; i < 10; i++) big[`k${i}`] = 'x'.repeat(1000);
    const capped: Record<string, string> = {};
    new W3CBaggageCodec().inject(new SpanContext('', '', null, 0, big), capped, setter);
    assert.ok(capped.baggage!.length <= 8192);
    assert.equal(capped.baggage!.split(',').length, 8);
  });

  it('extracts members, drops properties and empty keys, decodes values, strips control chars', () => {
    const ctx = new W3CBaggageCodec().extract({ baggage: 'a=1;p=x, b = 2%0A3 ,=nokey,c,d=%E0%A4%A' }, getter);
    assert.equal(ctx?.hasTrace(), false);
    assert.deepEqual({ ...ctx?.baggage }, { a: '1', b: '23', d: '%E0%A4%A' });
  });

  it('returns null for no usable member or an oversize header; applies item and length limits', () => {
    const c = new W3CBaggageCodec(2, 3);
    assert.equal(c.extract({ baggage: ',,;=' }, getter), null);
    assert.equal(c.extract({ baggage: `a=${'x'.repeat(9000)}` }, getter), null);
    assert.deepEqual({ ...c.extract({ baggage: 'a=12345,b=2,c=3' }, getter)?.baggage }, { a: '123', b: '2' });
  });
});
