import assert from 'node:assert/strict';
import { ProbabilisticSampler } from '../../src/samplers/probabilistic-sampler';
import { randomTraceId, tagsOf } from './helpers';

const MASK_63 = (1n << 63n) - 1n;

/** `x` as an exact `mantissa * 2^exponent`, read from its IEEE-754 bits. */
function exactDouble(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return biased === 0
    ? { mantissa: fraction, exponent: -1074 }
    : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** Independent oracle: low 63 bits of the id < rate * 2^63, compared exactly in BigInt. */
function oracle(traceId: string, rate: number): boolean {
  const value = BigInt(`0x${traceId.slice(-16)}`) & MASK_63;
  const { mantissa, exponent } = exactDouble(rate);
  const shift = exponent + 63; // rate * 2^63 = mantissa * 2^shift
  return shift >= 0 ? value < mantissa << BigInt(shift) : value << BigInt(-shift) < mantissa;
}

/** The smallest integer >= rate * 2^63: ids below it are sampled, from it on not. */
function boundary(rate: number): bigint {
  const { mantissa, exponent } = exactDouble(rate);
  const shift = exponent + 63;
  if (shift >= 0) return mantissa << BigInt(shift);
  const divisor = 1n << BigInt(-shift);
  return (mantissa + divisor - 1n) / divisor;
}

function idFor(low63: bigint, topBit = false, high = '0123456789abcdef'): string {
  const low = (topBit ? low63 | (1n << 63n) : low63).toString(16).padStart(16, '0');
  return high + low;
}

const RATES = [
  0, 1, 0.5, 0.25, 0.1, 0.001, 1e-6, 1e-12, 5e-324, 2 ** -63, 2 ** -64, 3 * 2 ** -64, 1 - 2 ** -53, 0.3333333333333333,
  0.9999, 0.123456789,
];

describe('ProbabilisticSampler', () => {
  it('agrees with an exact BigInt computation over many random ids and rates', () => {
    const rates = [...RATES, ...Array.from({ length: 20 }, () => Math.random())];
    let sampledCount = 0;
    for (const rate of rates) {
      const sampler = new ProbabilisticSampler(rate);
      for (let i = 0; i < 2000; i++) {
        const id = randomTraceId(i % 2 === 0 ? 16 : 8);
        const decision = sampler.sample('op', id);
        assert.equal(decision.sampled, oracle(id, rate), `rate ${rate} id ${id}`);
        if (decision.sampled) sampledCount++;
      }
    }
    assert.ok(sampledCount > 0);
  });

  it('decides exactly at the boundary, with and without the masked top bit', () => {
    for (const rate of RATES) {
      const sampler = new ProbabilisticSampler(rate);
      const b = boundary(rate);
      for (const topBit of [false, true]) {
        if (b > 0n) {
          const below = idFor(b - 1n, topBit);
          assert.equal(sampler.sample('op', below).sampled, true, `rate ${rate}: ${below} is below the boundary`);
        }
        if (b <= MASK_63) {
          const at = idFor(b, topBit);
          assert.equal(sampler.sample('op', at).sampled, false, `rate ${rate}: ${at} is at the boundary`);
          if (b < MASK_63) assert.equal(sampler.sample('op', idFor(b + 1n, topBit)).sampled, false);
        }
      }
    }
  });

  it('rate 0 samples nothing and rate 1 everything, including the extreme ids', () => {
    const never = new ProbabilisticSampler(0);
    const always = new ProbabilisticSampler(1);
    for (const id of ['0000000000000000', '8000000000000000', '7fffffffffffffff', 'ffffffffffffffff']) {
      assert.equal(never.sample('op', id).sampled, false, id);
      assert.equal(always.sample('op', id).sampled, true, id);
    }
    for (let i = 0; i < 1000; i++) {
      const id = randomTraceId();
      assert.equal(never.sample('op', id).sampled, false);
      assert.equal(always.sample('op', id).sampled, true);
    }
  });

  it('uses only the low 64 bits, so 64- and 128-bit forms of a trace agree', () => {
    const sampler = new ProbabilisticSampler(0.5);
    for (let i = 0; i < 500; i++) {
      const low = randomTraceId(8);
      const expected = sampler.sample('op', low).sampled;
      assert.equal(sampler.sample('op', randomTraceId(8) + low).sampled, expected);
      assert.equal(sampler.sample('op', low.toUpperCase()).sampled, expected);
    }
  });

  it('samples about the configured fraction of random ids', () => {
    const sampler = new ProbabilisticSampler(0.25);
    let sampled = 0;
    const n = 40000;
    for (let i = 0; i < n; i++) if (sampler.sample('op', randomTraceId()).sampled) sampled++;
    // the standard deviation is ~0.2%; 3% is far outside chance
    assert.ok(Math.abs(sampled / n - 0.25) < 0.03, `${sampled / n}`);
  });

  it('tags probabilistic with the rate, and update() changes rate and tags', () => {
    const sampler = new ProbabilisticSampler(1);
    assert.deepEqual(tagsOf(sampler.sample('op', randomTraceId())), {
      'sampler.type': 'probabilistic',
      'sampler.param': 1,
    });
    assert.equal(sampler.update(1), false);
    assert.equal(sampler.update(0), true);
    assert.equal(sampler.samplingRate, 0);
    const decision = sampler.sample('op', randomTraceId());
    assert.equal(decision.sampled, false);
    assert.deepEqual(tagsOf(decision), { 'sampler.type': 'probabilistic', 'sampler.param': 0 });
  });

  it('rejects rates outside [0, 1] and keeps the old rate on a bad update', () => {
    for (const bad of [-0.1, 1.5, Number.NaN, Infinity]) {
      assert.throws(() => new ProbabilisticSampler(bad), /must be a number in \[0, 1\]/);
    }
    const sampler = new ProbabilisticSampler(0.5);
    assert.throws(() => sampler.update(2));
    assert.equal(sampler.samplingRate, 0.5);
    assert.equal(sampler.sample('op', idFor(0n)).sampled, true);
  });

  it('never throws on malformed ids', () => {
    const sampler = new ProbabilisticSampler(0.5);
    for (const id of ['', 'zz', 'not-a-hex-trace-id!', '1']) {
      assert.equal(typeof sampler.sample('op', id).sampled, 'boolean');
    }
  });
});
