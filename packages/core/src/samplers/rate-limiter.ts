import { performance } from 'node:perf_hooks';

/** Monotonic milliseconds; `performance.now` unless a test injects its own. */
export type MonotonicClock = () => number;

export const defaultClock: MonotonicClock = () => performance.now();

/**
 * A token bucket: `creditsPerSecond` credits flow in with elapsed monotonic time, up to
 * `maxBalance`; each check spends credits if there are enough.
 */
export class RateLimiter {
  private balance: number;
  private lastTick: number;

  /**
   * @param creditsPerSecond refill rate
   * @param maxBalance bucket size (the largest burst)
   * @param initialBalance credits at start; a full bucket unless given, so the first
   *   traces after start are not starved
   * @param clock monotonic milliseconds
   */
  constructor(
    private creditsPerSecond: number,
    private maxBalance: number,
    initialBalance: number = maxBalance,
    private readonly clock: MonotonicClock = defaultClock,
  ) {
    this.balance = Math.min(initialBalance, maxBalance);
    this.lastTick = clock();
  }

  /** Spends `cost` credits if the bucket holds that many. */
  checkCredit(cost = 1): boolean {
    this.refill();
    if (this.balance < cost) return false;
    this.balance -= cost;
    return true;
  }

  /** Changes rate and size, keeping the balance in proportion so a reconfiguration is no burst. */
  update(creditsPerSecond: number, maxBalance: number): void {
    this.refill();
    this.balance = this.maxBalance > 0 ? (this.balance * maxBalance) / this.maxBalance : maxBalance;
    this.creditsPerSecond = creditsPerSecond;
    this.maxBalance = maxBalance;
  }

  private refill(): void {
    const now = this.clock();
    const elapsedSeconds = Math.max(0, now - this.lastTick) / 1000;
    this.lastTick = now;
    this.balance = Math.min(this.maxBalance, this.balance + elapsedSeconds * this.creditsPerSecond);
  }
}
