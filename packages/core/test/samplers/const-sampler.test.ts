import assert from 'node:assert/strict';
import { ConstSampler } from '../../src/samplers/const-sampler';
import { randomTraceId, tagsOf } from './helpers';

describe('ConstSampler', () => {
  it('samples every trace when true, tagged const/true', () => {
    const sampler = new ConstSampler(true);
    for (let i = 0; i < 100; i++) {
      const decision = sampler.sample(`op${i}`, randomTraceId());
      assert.equal(decision.sampled, true);
      assert.deepEqual(tagsOf(decision), { 'sampler.type': 'const', 'sampler.param': true });
    }
  });

  it('samples no trace when false, tagged const/false', () => {
    const sampler = new ConstSampler(false);
    for (let i = 0; i < 100; i++) {
      const decision = sampler.sample('op', randomTraceId(8));
      assert.equal(decision.sampled, false);
      assert.deepEqual(tagsOf(decision), { 'sampler.type': 'const', 'sampler.param': false });
    }
    sampler.close();
    sampler.close();
  });
});
