/**
 * Text for tag values that have no Jaeger tag type of their own. Must never throw: a tag
 * value is whatever the app handed us (cyclic objects, throwing getters and `toJSON`s).
 */

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Whether a bigint fits Jaeger's signed 64-bit LONG (otherwise it goes as text). */
export function fitsInt64(value: bigint): boolean {
  return value >= INT64_MIN && value <= INT64_MAX;
}

/**
 * `null` -> "null", `undefined` -> "undefined", an Error -> its message, a Date -> ISO
 * time, a function -> "[Function: name]", other objects -> JSON with cycles written as
 * "[Circular]" and bigints as decimal text.
 */
export function tagValueText(value: unknown): string {
  try {
    switch (typeof value) {
      case 'string':
        return value;
      case 'function':
        return `[Function: ${value.name || 'anonymous'}]`;
      case 'object':
        if (value === null) return 'null';
        if (value instanceof Error) return String(value.message);
        if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
        return safeJson(value);
      default:
        return String(value);
    }
  } catch {
    return '[unprintable]';
  }
}

function safeJson(value: object): string {
  try {
    const json = JSON.stringify(value, cycleSafeReplacer());
    if (typeof json === 'string') return json;
  } catch {
    // a throwing toJSON or getter: fall through
  }
  try {
    return Object.prototype.toString.call(value);
  } catch {
    return '[object]';
  }
}

/**
 * A replacer that tracks the chain of objects being serialised (JSON.stringify calls it
 * with `this` = the holder), so only a true cycle is cut, not an object seen twice.
 */
function cycleSafeReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const chain: unknown[] = [];
  return function (this: unknown, _key: string, value: unknown): unknown {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value !== 'object' || value === null) return value;
    while (chain.length > 0 && chain[chain.length - 1] !== this) chain.pop();
    if (chain.includes(value)) return '[Circular]';
    chain.push(value);
    return value;
  };
}
