import assert from 'node:assert/strict';
import { RateLimitingSampler } from '../../src/samplers/rate-limiting-sampler';
import { FakeClock, randomTraceId, tagsOf } from './helpers';

function countSampled(sampler: RateLimitingSampler, tries: number): number {
  let sampled = 0;
  for (let i = 0; i < tries; i++) if (sampler.sample('op', randomTraceId()).sampled) sampled++;
  return sampled;
}

describe('RateLimitingSampler', () => {
  it('samples at most maxTracesPerSecond, refilled by elapsed time', () => {
    const clock = new FakeClock();
    const sampler = new RateLimitingSampler(5, { clock: clock.now });
    assert.equal(countSampled(sampler, 100), 5); // starts with a full bucket
    assert.equal(countSampled(sampler, 100), 0);
    clock.advance(400); // 2 traces' worth
    assert.equal(countSampled(sampler, 100), 2);
    clock.advance(10_000); // capped at one second's worth
    assert.equal(countSampled(sampler, 100), 5);
    // steady state: 5 per simulated second
    let total = 0;
    for (let second = 0; second < 10; second++) {
      for (let slice = 0; slice < 10; slice++) {
        clock.advance(100);
        total += countSampled(sampler, 10);
      }
    }
    assert.equal(total, 50);
  });

  it('tags ratelimiting with the rate', () => {
    const sampler = new RateLimitingSampler(2.5, { clock: new FakeClock().now });
    const yes = sampler.sample('op', randomTraceId());
    assert.equal(yes.sampled, true);
    assert.deepEqual(tagsOf(yes), { 'sampler.type': 'ratelimiting', 'sampler.param': 2.5 });
  });

  it('below one trace per second still samples whole traces (bucket of 1)', () => {
    const clock = new FakeClock();
    const sampler = new RateLimitingSampler(0.5, { clock: clock.now });
    assert.equal(countSampled(sampler, 10), 1);
    clock.advance(1000);
    assert.equal(countSampled(sampler, 10), 0);
    clock.advance(1000);
    assert.equal(countSampled(sampler, 10), 1);
  });

  it('rate 0 never samples', () => {
    const clock = new FakeClock();
    const sampler = new RateLimitingSampler(0, { clock: clock.now });
    assert.equal(countSampled(sampler, 10), 0);
    clock.advance(3_600_000);
    assert.equal(countSampled(sampler, 10), 0);
  });

  it('update() changes the rate and tags, keeping the bucket fill ratio', () => {
    const clock = new FakeClock();
    const sampler = new RateLimitingSampler(10, { clock: clock.now });
    assert.equal(countSampled(sampler, 5), 5); // half full
    assert.equal(sampler.update(10), false);
    assert.equal(sampler.update(4), true);
    assert.equal(sampler.maxTracesPerSecond, 4);
    assert.equal(countSampled(sampler, 100), 2); // half of 4
    clock.advance(1000);
    const decision = sampler.sample('op', randomTraceId());
    assert.deepEqual(tagsOf(decision), { 'sampler.type': 'ratelimiting', 'sampler.param': 4 });
  });

  it('rejects negative or non-finite rates', () => {
    for (const bad of [-1, Number.NaN, Infinity]) {
      assert.throws(() => new RateLimitingSampler(bad), /maxTracesPerSecond must be a finite number >= 0/);
    }
    const sampler = new RateLimitingSampler(1);
    assert.throws(() => sampler.update(-2));
    assert.equal(sampler.maxTracesPerSecond, 1);
  });
});
