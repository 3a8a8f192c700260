import { RateLimiter, type MonotonicClock } from './rate-limiter';
import { makeDecisions, type Sampler, type SamplingDecision } from './sampler';

/** Throws unless `value` is a finite number >= 0. */
export function assertTracesPerSecond(value: number, what = 'maxTracesPerSecond'): void {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new Error(`${what} must be a finite number >= 0, got ${String(value)}`);
  }
}

export interface RateLimitingSamplerOptions {
  /** Monotonic milliseconds; defaults to `performance.now` (inject one for deterministic tests). */
  clock?: MonotonicClock;
  /**
   * Credits at start; defaults to a full bucket (`max(maxTracesPerSecond, 1)`) so the first
   * traces are not starved, or to 0 when the rate is 0 (which must mean "never").
   */
  initialBalance?: number;
}

/**
 * Samples at most `maxTracesPerSecond` new traces per second (token bucket, bursts up to
 * `max(maxTracesPerSecond, 1)`, so rates below 1/s still sample one trace now and then).
 */
export class RateLimitingSampler implements Sampler {
  private readonly limiter: RateLimiter;
  private max: number;
  private yes: SamplingDecision;
  private no: SamplingDecision;

  constructor(maxTracesPerSecond: number, options: RateLimitingSamplerOptions = {}) {
    assertTracesPerSecond(maxTracesPerSecond);
    this.max = maxTracesPerSecond;
    this.limiter = new RateLimiter(
      maxTracesPerSecond,
      bucketSize(maxTracesPerSecond),
      options.initialBalance ?? (maxTracesPerSecond > 0 ? bucketSize(maxTracesPerSecond) : 0),
      options.clock,
    );
    ({ yes: this.yes, no: this.no } = makeDecisions('ratelimiting', maxTracesPerSecond));
  }

  get maxTracesPerSecond(): number {
    return this.max;
  }

  /** Applies a new rate, keeping the bucket's fill ratio; returns whether it changed. Throws if invalid. */
  update(maxTracesPerSecond: number): boolean {
    if (maxTracesPerSecond === this.max) return false;
    assertTracesPerSecond(maxTracesPerSecond);
    this.limiter.update(maxTracesPerSecond, bucketSize(maxTracesPerSecond));
    this.max = maxTracesPerSecond;
    ({ yes: this.yes, no: this.no } = makeDecisions('ratelimiting', maxTracesPerSecond));
    return true;
  }

  sample(_operationName: string, _traceId: string): SamplingDecision {
    return this.limiter.checkCredit(1) ? this.yes : this.no;
  }

  /** The bare decision, spending a credit when yes (used by composite samplers). */
  trySpend(): boolean {
    return this.limiter.checkCredit(1);
  }

  close(): void {}
}

function bucketSize(maxTracesPerSecond: number): number {
  return Math.max(maxTracesPerSecond, 1);
}
