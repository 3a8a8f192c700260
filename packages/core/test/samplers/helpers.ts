import { randomBytes } from 'node:crypto';
import type { Logger } from '../../src/logger';
import { createNoopMetrics, type Counter, type Metrics } from '../../src/metrics/metrics';
import type { SamplingDecision } from '../../src/samplers/sampler';

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public nowMs = 1000) {}
  readonly now = (): number => this.nowMs;
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

export type SamplerCounterName = 'samplerRetrieved' | 'samplerUpdated' | 'samplerQueryFailure' | 'samplerUpdateFailure';

/** Metrics whose sampler counters count, so tests can read them. */
export function countingMetrics(): { metrics: Metrics; counts: Record<SamplerCounterName, number> } {
  const counts: Record<SamplerCounterName, number> = {
    samplerRetrieved: 0,
    samplerUpdated: 0,
    samplerQueryFailure: 0,
    samplerUpdateFailure: 0,
  };
  const counter = (name: SamplerCounterName): Counter => ({
    increment(delta = 1) {
      counts[name] += delta;
    },
  });
  const metrics: Metrics = {
    ...createNoopMetrics(),
    samplerRetrieved: counter('samplerRetrieved'),
    samplerUpdated: counter('samplerUpdated'),
    samplerQueryFailure: counter('samplerQueryFailure'),
    samplerUpdateFailure: counter('samplerUpdateFailure'),
  };
  return { metrics, counts };
}

export function recordingLogger(): Logger & { errors: string[]; infos: string[] } {
  const errors: string[] = [];
  const infos: string[] = [];
  return { errors, infos, error: (m) => errors.push(m), info: (m) => infos.push(m) };
}

export function randomTraceId(bytes: 8 | 16 = 16): string {
  return randomBytes(bytes).toString('hex');
}

/** The sampler tags of a decision as a plain object. */
export function tagsOf(decision: SamplingDecision): Record<string, unknown> {
  return Object.fromEntries(decision.tags.map((t) => [t.key, t.value]));
}
