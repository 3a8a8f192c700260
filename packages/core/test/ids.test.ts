import assert from 'node:assert/strict';
import { isZeroId, newSpanId, newTraceId, normalizeHexId, wordsOfNewTraceId } from '../src/ids';
import { hexToUint32 } from '../src/thrift/int64-parts';

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

  it("reads a new trace id's words from its random bytes, across pool refills, for the last id only", () => {
    const word = (hex: string, from: number) => hexToUint32(hex, from, from + 8) | 0;
    for (let i = 0; i < 3000; i++) {
      const long = newTraceId(true);
      const words = wordsOfNewTraceId(long)!;
      assert.equal(words.hex, long);
      assert.deepEqual(
        [words.highHigh, words.highLow, words.lowHigh, words.lowLow],
        [word(long, 0), word(long, 8), word(long, 16), word(long, 24)],
      );
      const short = newTraceId(false);
      const shortWords = wordsOfNewTraceId(short)!;
      assert.deepEqual([shortWords.highHigh, shortWords.highLow, shortWords.lowHigh, shortWords.lowLow], [0, 0, word(short, 0), word(short, 8)]);
    }
    const earlier = newTraceId(true);
    newSpanId();
    assert.equal(wordsOfNewTraceId(earlier), undefined, 'another id was made since');
    assert.equal(wordsOfNewTraceId('0af7651916cd43dd8448eb211c80319c'), undefined, 'not made here');
  });
});
