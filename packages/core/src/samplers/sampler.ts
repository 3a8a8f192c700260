import type { Tag } from '../span-data';

/** The outcome for a new trace; `tags` go on the root span when sampled (`sampler.type`, `sampler.param`). */
export interface SamplingDecision {
  readonly sampled: boolean;
  readonly tags: readonly Tag[];
}

/**
 * Decides whether a new trace is sampled. Only root spans ask; children inherit the
 * decision through their context.
 */
export interface Sampler {
  /** `traceId` is the new trace's fixed-width hex id, so id-based samplers agree across services. */
  sample(operationName: string, traceId: string): SamplingDecision;
  /** Stops timers (remote sampler); idempotent. */
  close(): void;
}

/** Builds the two decisions a sampler hands out, so sampling never allocates. */
export function makeDecisions(type: string, param: number | boolean | string): {
  yes: SamplingDecision;
  no: SamplingDecision;
} {
  const tags: Tag[] = [
    { key: 'sampler.type', value: type },
    { key: 'sampler.param', value: param },
  ];
  return { yes: { sampled: true, tags }, no: { sampled: false, tags } };
}
