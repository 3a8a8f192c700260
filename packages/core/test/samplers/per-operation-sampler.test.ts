import assert from 'node:assert/strict';
import { GuaranteedThroughputSampler } from '../../src/samplers/guaranteed-throughput-sampler';
import { PerOperationSampler } from '../../src/samplers/per-operation-sampler';
import { FakeClock, randomTraceId, tagsOf } from './helpers';

const HIGH_ID = '7fffffffffffffff'; // sampled only at rate 1
const LOW_ID = '0000000000000001'; // sampled at any rate > 2^-63

describe('PerOperationSampler', () => {
  it('uses each listed operation its own probability, others the defaults', () => {
    const clock = new FakeClock();
    const sampler = new PerOperationSampler({
      defaultSamplingProbability: 0,
      defaultLowerBoundTracesPerSecond: 1,
      perOperationStrategies: [{ operation: 'GET /always', probabilisticSampling: { samplingRate: 1 } }],
      clock: clock.now,
    });
    for (let i = 0; i < 20; i++) {
      const decision = sampler.sample('GET /always', randomTraceId());
      assert.equal(decision.sampled, true);
      assert.deepEqual(tagsOf(decision), { 'sampler.type': 'probabilistic', 'sampler.param': 1 });
    }
    // unlisted: probability 0, but the lower bound guarantees one per second
    const first = sampler.sample('GET /rare', HIGH_ID);
    assert.equal(first.sampled, true);
    assert.deepEqual(tagsOf(first), { 'sampler.type': 'lowerbound', 'sampler.param': 0 });
    assert.equal(sampler.sample('GET /rare', HIGH_ID).sampled, false);
    // each operation has its own lower bound
    assert.equal(sampler.sample('GET /other', HIGH_ID).sampled, true);
    clock.advance(1000);
    assert.equal(sampler.sample('GET /rare', HIGH_ID).sampled, true);
    assert.ok(sampler.samplerFor('GET /rare') instanceof GuaranteedThroughputSampler);
  });

  it('beyond maxOperations, new operations get the default probability only', () => {
    const sampler = new PerOperationSampler({
      defaultSamplingProbability: 0,
      defaultLowerBoundTracesPerSecond: 100,
      maxOperations: 2,
      clock: new FakeClock().now,
    });
    assert.equal(sampler.sample('a', HIGH_ID).sampled, true);
    assert.equal(sampler.sample('b', HIGH_ID).sampled, true);
    const overflow = sampler.sample('c', HIGH_ID);
    assert.equal(overflow.sampled, false); // no lower bound for it
    assert.deepEqual(tagsOf(overflow), { 'sampler.type': 'probabilistic', 'sampler.param': 0 });
    for (let i = 0; i < 100; i++) sampler.sample(`op-${i}`, HIGH_ID);
    assert.equal(sampler.operationCount, 2);
    assert.equal(sampler.samplerFor('c'), undefined);
    assert.equal(sampler.sample('a', HIGH_ID).sampled, true); // known ones keep theirs
  });

  it('defaults to 2000 operations', () => {
    const sampler = new PerOperationSampler({ defaultSamplingProbability: 0.5 });
    for (let i = 0; i < 2500; i++) sampler.sample(`op-${i}`, LOW_ID);
    assert.equal(sampler.operationCount, 2000);
    assert.equal(sampler.defaultLowerBoundTracesPerSecond, 0);
  });

  it('update() keeps existing samplers and their limiter state, applies new rates and defaults', () => {
    const clock = new FakeClock();
    const sampler = new PerOperationSampler({
      defaultSamplingProbability: 0,
      defaultLowerBoundTracesPerSecond: 1,
      perOperationStrategies: [{ operation: 'listed', probabilisticSampling: { samplingRate: 0 } }],
      clock: clock.now,
    });
    assert.equal(sampler.sample('listed', HIGH_ID).sampled, true); // spends the credit
    assert.equal(sampler.sample('lazy', HIGH_ID).sampled, true);
    const listed = sampler.samplerFor('listed');
    const lazy = sampler.samplerFor('lazy');

    const changed = sampler.update({
      defaultSamplingProbability: 0.5,
      defaultLowerBoundTracesPerSecond: 1,
      perOperationStrategies: [
        { operation: 'listed', probabilisticSampling: { samplingRate: 0.25 } },
        { operation: 'new', probabilisticSampling: { samplingRate: 1 } },
      ],
    });
    assert.equal(changed, true);
    assert.equal(sampler.samplerFor('listed'), listed);
    assert.equal(sampler.samplerFor('lazy'), lazy);
    assert.equal(listed?.samplingRate, 0.25);
    assert.equal(lazy?.samplingRate, 0.5); // unlisted follow the new default
    assert.equal(sampler.samplerFor('new')?.samplingRate, 1);
    assert.equal(sampler.defaultSamplingProbability, 0.5);
    // the spent credit stayed spent
    assert.equal(sampler.sample('listed', HIGH_ID).sampled, false);
    assert.equal(sampler.sample('lazy', HIGH_ID).sampled, false);

    assert.equal(
      sampler.update({
        defaultSamplingProbability: 0.5,
        defaultLowerBoundTracesPerSecond: 1,
        perOperationStrategies: [
          { operation: 'listed', probabilisticSampling: { samplingRate: 0.25 } },
          { operation: 'new', probabilisticSampling: { samplingRate: 1 } },
        ],
      }),
      false,
    );
  });

  it('a new lower bound reaches every operation', () => {
    const clock = new FakeClock();
    const sampler = new PerOperationSampler({ defaultSamplingProbability: 0, clock: clock.now });
    assert.equal(sampler.sample('op', HIGH_ID).sampled, false);
    assert.equal(sampler.update({ defaultSamplingProbability: 0, defaultLowerBoundTracesPerSecond: 10 }), true);
    clock.advance(1000);
    assert.equal(sampler.sample('op', HIGH_ID).sampled, true);
    assert.equal(sampler.samplerFor('op')?.lowerBound, 10);
  });

  it('rejects invalid strategies, and an invalid update changes nothing', () => {
    assert.throws(() => new PerOperationSampler({ defaultSamplingProbability: 2 }), /defaultSamplingProbability/);
    assert.throws(
      () => new PerOperationSampler({ defaultSamplingProbability: 0.1, defaultLowerBoundTracesPerSecond: -1 }),
      /defaultLowerBoundTracesPerSecond/,
    );
    assert.throws(() => new PerOperationSampler({ defaultSamplingProbability: 0.1, maxOperations: -1 }), /maxOperations/);
    const sampler = new PerOperationSampler({ defaultSamplingProbability: 0.1 });
    sampler.sample('op', LOW_ID);
    assert.throws(
      () =>
        sampler.update({
          defaultSamplingProbability: 0.9,
          perOperationStrategies: [{ operation: 'op', probabilisticSampling: { samplingRate: 3 } }],
        }),
      /perOperationStrategies\[0\]\.probabilisticSampling\.samplingRate must be a number in \[0, 1\], got 3/,
    );
    assert.equal(sampler.defaultSamplingProbability, 0.1);
    assert.equal(sampler.samplerFor('op')?.samplingRate, 0.1);
  });
});
