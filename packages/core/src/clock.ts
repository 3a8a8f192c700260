import { performance } from 'node:perf_hooks';

/**
 * Wall-clock microseconds with sub-millisecond precision: the monotonic high-resolution
 * clock anchored at the process's time origin, so durations never go negative and
 * timestamps are not `Date.now() * 1000`.
 */
const origin = performance.timeOrigin;

export function nowMicros(): number {
  return Math.round((origin + performance.now()) * 1000);
}

/** Converts an OpenTracing timestamp (milliseconds since epoch, may be fractional) to microseconds. */
export function millisToMicros(ms: number): number {
  return Math.round(ms * 1000);
}
