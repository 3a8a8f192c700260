/** Reads a carrier: one key's value, and every key (for prefix-matched baggage headers). */
export interface TextMapGetter<C = unknown> {
  get(carrier: C, key: string): string | undefined;
  keys(carrier: C): string[];
}

/** Writes one key into a carrier. */
export type TextMapSetter<C = unknown> = (carrier: C, key: string, value: string) => void;

type Carrier = Record<string, unknown>;

function readValue(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw;
  if (Array.isArray(raw)) return raw.length > 0 ? raw.map(String).join(',') : undefined;
  if (typeof raw === 'number') return String(raw);
  return undefined;
}

/** Exact-key getter for plain text maps (`FORMAT_TEXT_MAP`). */
export const textMapGetter: TextMapGetter<Carrier> = {
  get: (carrier, key) => readValue(carrier[key]),
  keys: (carrier) => Object.keys(carrier),
};

/** Writes own string properties (`FORMAT_TEXT_MAP`, `FORMAT_HTTP_HEADERS`). */
export const textMapSetter: TextMapSetter<Carrier> = (carrier, key, value) => {
  carrier[key] = value;
};

/**
 * HTTP header names are case-insensitive. Node's `req.headers` is already lower-case, so
 * the carrier is used as is; any other object with an upper-case key is read through a
 * lower-cased copy (made once per extract).
 */
export function lowerCaseHeaders(carrier: Carrier): Carrier {
  const keys = Object.keys(carrier);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key !== key.toLowerCase()) return copyLowerCased(carrier, keys);
  }
  return carrier;
}

function copyLowerCased(carrier: Carrier, keys: string[]): Carrier {
  const copy: Carrier = Object.create(null);
  for (const key of keys) {
    const lower = key.toLowerCase();
    if (copy[lower] === undefined) copy[lower] = carrier[key];
  }
  return copy;
}
