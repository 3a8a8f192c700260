import { assertSamplingRate, ProbabilisticSampler } from './probabilistic-sampler';
import type { MonotonicClock } from './rate-limiter';
import { assertTracesPerSecond, RateLimitingSampler } from './rate-limiting-sampler';
import { makeDecisions, type Sampler, type SamplingDecision } from './sampler';

/**
 * Probabilistic sampling with a guaranteed floor: when the probabilistic decision is no, a
 * rate limiter of `lowerBound` traces per second may still say yes, so rare operations are
 * seen at all. Tags follow Jaeger: `sampler.type=lowerbound` with `sampler.param` = the
 * sampling rate when the floor decided, the probabilistic tags otherwise.
 */
export class GuaranteedThroughputSampler implements Sampler {
  private readonly probabilistic: ProbabilisticSampler;
  private readonly lowerBoundLimiter: RateLimitingSampler;
  private lowerBoundYes: SamplingDecision;

  /**
   * @param lowerBound traces per second sampled at least (>= 0)
   * @param samplingRate probability in [0, 1]
   */
  constructor(lowerBound: number, samplingRate: number, options: { clock?: MonotonicClock } = {}) {
    assertTracesPerSecond(lowerBound, 'lowerBound');
    this.probabilistic = new ProbabilisticSampler(samplingRate);
    this.lowerBoundLimiter = new RateLimitingSampler(lowerBound, { clock: options.clock });
    this.lowerBoundYes = makeDecisions('lowerbound', samplingRate).yes;
  }

  get samplingRate(): number {
    return this.probabilistic.samplingRate;
  }

  get lowerBound(): number {
    return this.lowerBoundLimiter.maxTracesPerSecond;
  }

  /**
   * Applies new values, keeping the rate limiter's state; returns whether anything changed.
   * Throws (changing nothing) if a value is invalid.
   */
  update(lowerBound: number, samplingRate: number): boolean {
    // validate both before touching either, so a bad update is all-or-nothing
    assertSamplingRate(samplingRate);
    assertTracesPerSecond(lowerBound, 'lowerBound');
    const rateChanged = this.probabilistic.update(samplingRate);
    const boundChanged = this.lowerBoundLimiter.update(lowerBound);
    if (rateChanged) this.lowerBoundYes = makeDecisions('lowerbound', samplingRate).yes;
    return rateChanged || boundChanged;
  }

  sample(operationName: string, traceId: string): SamplingDecision {
    const decision = this.probabilistic.sample(operationName, traceId);
    if (decision.sampled) {
      // spend the floor's credit too, so the floor only adds traces beyond what was sampled
      this.lowerBoundLimiter.trySpend();
      return decision;
    }
    return this.lowerBoundLimiter.trySpend() ? this.lowerBoundYes : decision;
  }

  close(): void {}
}
