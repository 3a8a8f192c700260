import type { Metrics } from './metrics/metrics';

/** Limits on baggage set through `span.setBaggageItem` and taken from inbound carriers. */
export interface BaggageLimits {
  /** Longest value kept; longer values are truncated and counted. Default 2048. */
  maxValueLength?: number;
  /** Most items kept from one inbound carrier. Default 64. */
  maxItems?: number;
}

export const DEFAULT_MAX_BAGGAGE_VALUE_LENGTH = 2048;
export const DEFAULT_MAX_BAGGAGE_ITEMS = 64;

const keyCache = new Map<string, string>();
const KEY_CACHE_LIMIT = 1024;

/**
 * jaeger-client's key normalisation: `_` becomes `-` and the key is lower-cased, so that
 * `My_Key` set in code and `uberctx-my-key` read from a header meet.
 */
export function normalizeBaggageKey(key: string): string {
  const cached = keyCache.get(key);
  if (cached !== undefined) return cached;
  const normalized = key.replace(/_/g, '-').toLowerCase();
  if (keyCache.size < KEY_CACHE_LIMIT) keyCache.set(key, normalized);
  return normalized;
}

export interface BaggageWrite {
  key: string;
  value: string;
  truncated: boolean;
}

/** Applies the limits to one `setBaggageItem` call and counts the outcome. */
export function limitBaggageItem(
  key: string,
  value: unknown,
  maxValueLength: number,
  metrics: Metrics,
): BaggageWrite {
  const normalized = normalizeBaggageKey(String(key));
  let text = typeof value === 'string' ? value : String(value);
  const truncated = text.length > maxValueLength;
  if (truncated) {
    text = text.slice(0, maxValueLength);
    metrics.baggageTruncate.increment(1);
  }
  metrics.baggageUpdateSuccess.increment(1);
  return { key: normalized, value: text, truncated };
}
