import assert from 'node:assert/strict';
import { millisToMicros, nowMicros } from '../src/clock';

describe('clock', () => {
  it('gives wall-clock microseconds with sub-millisecond precision', () => {
    const before = Date.now() * 1000;
    const values = Array.from({ length: 200 }, () => nowMicros());
    const after = Date.now() * 1000;
    for (const v of values) {
      assert.ok(Number.isInteger(v));
      assert.ok(v >= before - 2000 && v <= after + 2000, `${v} not within [${before}, ${after}]`);
    }
    // Date.now()*1000 would only ever end in 000; a µs clock does not
    assert.ok(values.some((v) => v % 1000 !== 0));
  });

  it('is monotonic', () => {
    let last = nowMicros();
    for (let i = 0; i < 10000; i++) {
      const v = nowMicros();
      assert.ok(v >= last);
      last = v;
    }
  });

  it('converts OpenTracing millisecond timestamps', () => {
    assert.equal(millisToMicros(1700000000123.456), 1700000000123456);
  });
});
