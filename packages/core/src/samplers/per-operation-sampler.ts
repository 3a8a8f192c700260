import { GuaranteedThroughputSampler } from './guaranteed-throughput-sampler';
import { assertSamplingRate, ProbabilisticSampler } from './probabilistic-sampler';
import type { MonotonicClock } from './rate-limiter';
import { assertTracesPerSecond } from './rate-limiting-sampler';
import type { Sampler, SamplingDecision } from './sampler';

/** One operation's strategy, as the Jaeger agent serves it. */
export interface PerOperationStrategy {
  /** The span operation name it applies to. */
  operation: string;
  probabilisticSampling: {
    /** Probability in [0, 1]. */
    samplingRate: number;
  };
}

/** Jaeger's `operationSampling` strategies. */
export interface OperationSamplingStrategies {
  /** Probability in [0, 1] for operations without their own strategy. */
  defaultSamplingProbability: number;
  /** Traces per second each operation gets at least (>= 0); default 0. */
  defaultLowerBoundTracesPerSecond?: number;
  /** Operations with their own probability; default none. */
  perOperationStrategies?: readonly PerOperationStrategy[];
}

export interface PerOperationSamplerOptions extends OperationSamplingStrategies {
  /**
   * How many operations get their own sampler; new operations beyond it use the default
   * probability without a lower bound, so a high-cardinality name cannot grow memory. Default 2000.
   */
  maxOperations?: number;
  /** Monotonic milliseconds for the rate limiters (tests inject one). */
  clock?: MonotonicClock;
}

export const DEFAULT_MAX_OPERATIONS = 2000;

/**
 * A GuaranteedThroughputSampler per operation name, made on first use, with the
 * operation's own probability when the strategy has one, else the default.
 */
export class PerOperationSampler implements Sampler {
  private readonly samplers = new Map<string, GuaranteedThroughputSampler>();
  private readonly maxOperations: number;
  private readonly clock: MonotonicClock | undefined;
  private defaultSampler: ProbabilisticSampler;
  private defaultLowerBound: number;

  /** Throws if a probability or lower bound is invalid. */
  constructor(options: PerOperationSamplerOptions) {
    const maxOperations = options.maxOperations ?? DEFAULT_MAX_OPERATIONS;
    if (!Number.isInteger(maxOperations) || maxOperations < 0) {
      throw new Error(`maxOperations must be an integer >= 0, got ${String(maxOperations)}`);
    }
    this.maxOperations = maxOperations;
    this.clock = options.clock;
    validateStrategies(options);
    this.defaultSampler = new ProbabilisticSampler(options.defaultSamplingProbability);
    this.defaultLowerBound = options.defaultLowerBoundTracesPerSecond ?? 0;
    this.apply(options);
  }

  get defaultSamplingProbability(): number {
    return this.defaultSampler.samplingRate;
  }

  get defaultLowerBoundTracesPerSecond(): number {
    return this.defaultLowerBound;
  }

  /** How many operations have their own sampler now. */
  get operationCount(): number {
    return this.samplers.size;
  }

  /** The sampler of `operation`, if it has one yet (for inspection). */
  samplerFor(operation: string): GuaranteedThroughputSampler | undefined {
    return this.samplers.get(operation);
  }

  /**
   * Applies new strategies. Operations keep their sampler (and rate limiter balance) and
   * get their new values; operations no longer listed fall back to the new defaults.
   * Returns whether anything changed; throws (changing nothing) if the strategies are invalid.
   */
  update(strategies: OperationSamplingStrategies): boolean {
    validateStrategies(strategies);
    let changed = this.defaultSampler.update(strategies.defaultSamplingProbability);
    const lowerBound = strategies.defaultLowerBoundTracesPerSecond ?? 0;
    if (lowerBound !== this.defaultLowerBound) changed = true;
    this.defaultLowerBound = lowerBound;
    return this.apply(strategies) || changed;
  }

  sample(operationName: string, traceId: string): SamplingDecision {
    let sampler = this.samplers.get(operationName);
    if (sampler === undefined) {
      if (this.samplers.size >= this.maxOperations) {
        return this.defaultSampler.sample(operationName, traceId);
      }
      sampler = new GuaranteedThroughputSampler(this.defaultLowerBound, this.defaultSampler.samplingRate, {
        clock: this.clock,
      });
      this.samplers.set(operationName, sampler);
    }
    return sampler.sample(operationName, traceId);
  }

  close(): void {}

  /** Sets every operation's values from `strategies` (already validated). */
  private apply(strategies: OperationSamplingStrategies): boolean {
    let changed = false;
    const listed = new Map<string, number>();
    for (const strategy of strategies.perOperationStrategies ?? []) {
      listed.set(strategy.operation, strategy.probabilisticSampling.samplingRate);
    }
    for (const [operation, sampler] of this.samplers) {
      const rate = listed.get(operation) ?? this.defaultSampler.samplingRate;
      if (sampler.update(this.defaultLowerBound, rate)) changed = true;
    }
    for (const [operation, rate] of listed) {
      if (this.samplers.has(operation)) continue;
      // listed operations always get a sampler: the strategy names them explicitly
      this.samplers.set(operation, new GuaranteedThroughputSampler(this.defaultLowerBound, rate, { clock: this.clock }));
      changed = true;
    }
    return changed;
  }
}

function validateStrategies(strategies: OperationSamplingStrategies): void {
  assertSamplingRate(strategies.defaultSamplingProbability, 'defaultSamplingProbability');
  assertTracesPerSecond(strategies.defaultLowerBoundTracesPerSecond ?? 0, 'defaultLowerBoundTracesPerSecond');
  const list = strategies.perOperationStrategies ?? [];
  if (!Array.isArray(list)) throw new Error('perOperationStrategies must be an array');
  list.forEach((strategy, index) => {
    if (typeof strategy?.operation !== 'string') {
      throw new Error(`perOperationStrategies[${index}].operation must be a string`);
    }
    assertSamplingRate(
      strategy.probabilisticSampling?.samplingRate,
      `perOperationStrategies[${index}].probabilisticSampling.samplingRate`,
    );
  });
}
