import { makeDecisions, type Sampler, type SamplingDecision } from './sampler';

/** Samples every trace (`true`) or none (`false`): Jaeger's `const` sampler. */
export class ConstSampler implements Sampler {
  private readonly decision: SamplingDecision;

  /** @param sampled the decision handed to every new trace. */
  constructor(readonly sampled: boolean) {
    const { yes, no } = makeDecisions('const', sampled);
    this.decision = sampled ? yes : no;
  }

  sample(_operationName: string, _traceId: string): SamplingDecision {
    return this.decision;
  }

  close(): void {}
}
