/**
 * How tag values that have no native wire type become text. Shared by the OTLP encoder and
 * the Jaeger JSON file sender so one tag reads the same in both.
 */

/** Text for a value that is not a string, boolean, number, bigint or byte buffer. */
export function tagValueToText(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') {
    try {
      const json = JSON.stringify(value);
      if (typeof json === 'string') return json;
    } catch {
      // circular structure or a bigint inside: fall through to String()
    }
  }
  try {
    return String(value);
  } catch {
    return '[unprintable]';
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Whether a bigint fits a signed 64-bit integer (otherwise it is sent as text). */
export function fitsInt64(value: bigint): boolean {
  return value >= INT64_MIN && value <= INT64_MAX;
}
