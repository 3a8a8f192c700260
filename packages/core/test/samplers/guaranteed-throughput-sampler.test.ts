import assert from 'node:assert/strict';
import { GuaranteedThroughputSampler } from '../../src/samplers/guaranteed-throughput-sampler';
import { FakeClock, tagsOf } from './helpers';

// at rate 0.5, ids whose low 63 bits are small are sampled, large ones are not
const PROBABILISTIC_YES = '0000000000000001';
const PROBABILISTIC_NO = '7fffffffffffffff';

describe('GuaranteedThroughputSampler', () => {
  it('samples by probability with probabilistic tags', () => {
    const sampler = new GuaranteedThroughputSampler(1, 0.5, { clock: new FakeClock().now });
    const decision = sampler.sample('op', PROBABILISTIC_YES);
    assert.equal(decision.sampled, true);
    assert.deepEqual(tagsOf(decision), { 'sampler.type': 'probabilistic', 'sampler.param': 0.5 });
  });

  it('lets the lower bound sample what probability rejects, tagged lowerbound with the rate', () => {
    const clock = new FakeClock();
    const sampler = new GuaranteedThroughputSampler(2, 0, { clock: clock.now });
    const first = sampler.sample('op', PROBABILISTIC_NO);
    assert.equal(first.sampled, true);
    assert.deepEqual(tagsOf(first), { 'sampler.type': 'lowerbound', 'sampler.param': 0 });
    assert.equal(sampler.sample('op', PROBABILISTIC_NO).sampled, true);
    const third = sampler.sample('op', PROBABILISTIC_NO);
    assert.equal(third.sampled, false);
    assert.deepEqual(tagsOf(third), { 'sampler.type': 'probabilistic', 'sampler.param': 0 });
    clock.advance(500);
    assert.equal(sampler.sample('op', PROBABILISTIC_NO).sampled, true);
    assert.equal(sampler.sample('op', PROBABILISTIC_NO).sampled, false);
  });

  it('probabilistic yeses spend the lower bound too, so it only adds traces', () => {
    const clock = new FakeClock();
    const sampler = new GuaranteedThroughputSampler(1, 0.5, { clock: clock.now });
    assert.equal(sampler.sample('op', PROBABILISTIC_YES).sampled, true);
    assert.equal(sampler.sample('op', PROBABILISTIC_NO).sampled, false);
    clock.advance(1000);
    assert.equal(sampler.sample('op', PROBABILISTIC_NO).sampled, true);
  });

  it('update() changes values, keeps the limiter state, and reports change', () => {
    const clock = new FakeClock();
    const sampler = new GuaranteedThroughputSampler(1, 0, { clock: clock.now });
    assert.equal(sampler.sample('op', PROBABILISTIC_NO).sampled, true); // credit spent
    assert.equal(sampler.update(1, 0), false);
    assert.equal(sampler.update(1, 0.5), true);
    assert.equal(sampler.samplingRate, 0.5);
    assert.equal(sampler.sample('op', PROBABILISTIC_NO).sampled, false); // still spent
    clock.advance(1000);
    const floor = sampler.sample('op', PROBABILISTIC_NO);
    assert.deepEqual(tagsOf(floor), { 'sampler.type': 'lowerbound', 'sampler.param': 0.5 });
    assert.equal(sampler.update(3, 0.5), true);
    assert.equal(sampler.lowerBound, 3);
  });

  it('rejects bad values and a bad update changes nothing', () => {
    assert.throws(() => new GuaranteedThroughputSampler(-1, 0.5), /lowerBound must be a finite number >= 0/);
    assert.throws(() => new GuaranteedThroughputSampler(1, 2), /\[0, 1\]/);
    const sampler = new GuaranteedThroughputSampler(1, 0.5);
    assert.throws(() => sampler.update(5, 7));
    assert.equal(sampler.lowerBound, 1);
    assert.equal(sampler.samplingRate, 0.5);
  });
});
