import assert from 'node:assert/strict';
import { isZeroId, newSpanId, newTraceId, normalizeHexId } from '../src/ids';

describe('ids', () => {
  it('makes fixed-width lowercase hex ids, 128-bit traces by default and 64-bit on request', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const span = newSpanId();
      assert.match(span, /^[0-9a-f]{16}$/);
      assert.match(newTraceId(true), /^[0-9a-f]{32}$/);
      assert.match(newTraceId(false), /^[0-9a-f]{16}$/);
      seen.add(span);
    }
    assert.equal(seen.size, 5000, 'span ids repeat across pool refills');
  });

  it('normalizes unpadded and upper-case ids and rejects zero, non-hex and overlong ones', () => {
    assert.equal(normalizeHexId('ABC', 16), '0000000000000abc');
    assert.equal(normalizeHexId('1'.repeat(17), 32), '1'.repeat(17).padStart(32, '0'));
    assert.equal(normalizeHexId('0000', 16), null);
    assert.equal(normalizeHexId('xyz', 16), null);
    assert.equal(normalizeHexId('1'.repeat(17), 16), null);
    assert.equal(normalizeHexId('', 16), null);
    assert.ok(isZeroId('0'.repeat(32)));
    assert.ok(!isZeroId('0'.repeat(31) + '1'));
  });
});
