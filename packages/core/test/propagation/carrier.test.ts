import assert from 'node:assert/strict';
import { lowerCaseHeaders, textMapGetter, textMapSetter } from '../../src/propagation/carrier';

describe('carrier', () => {
  it('reads strings, joins arrays (as Node does for repeated headers), stringifies numbers, ignores the rest', () => {
    const carrier = { s: 'x', a: ['1', '2'], e: [], n: 7, o: { v: 1 }, u: undefined, b: true };
    assert.equal(textMapGetter.get(carrier, 's'), 'x');
    assert.equal(textMapGetter.get(carrier, 'a'), '1,2');
    assert.equal(textMapGetter.get(carrier, 'e'), undefined);
    assert.equal(textMapGetter.get(carrier, 'n'), '7');
    assert.equal(textMapGetter.get(carrier, 'o'), undefined);
    assert.equal(textMapGetter.get(carrier, 'b'), undefined);
    assert.equal(textMapGetter.get(carrier, 'missing'), undefined);
    assert.deepEqual(textMapGetter.keys(carrier), Object.keys(carrier));
  });

  it('sets own properties', () => {
    const carrier: Record<string, unknown> = {};
    textMapSetter(carrier, 'k', 'v');
    assert.deepEqual(carrier, { k: 'v' });
  });

  it('lowerCaseHeaders returns a lower-case carrier as is and copies a mixed-case one (first wins)', () => {
    const lower = { 'uber-trace-id': 'x' };
    assert.equal(lowerCaseHeaders(lower), lower);
    const copy = lowerCaseHeaders({ 'Uber-Trace-Id': 'a', 'UBER-TRACE-ID': 'b', X: 1 });
    assert.deepEqual({ ...copy }, { 'uber-trace-id': 'a', x: 1 });
  });

  it('lowerCaseHeaders keeps a __proto__ header as plain data', () => {
    const carrier = JSON.parse('{"__proto__": {"polluted": "yes"}, "A": "1"}') as Record<string, unknown>;
    const copy = lowerCaseHeaders(carrier);
    assert.equal(copy.a, '1');
    assert.equal(Object.getPrototypeOf(copy), null);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
