import type { ByteBuffer } from './byte-buffer';

/** Keys remembered at most; a key beyond this is encoded every time. */
const MAX_KEYS = 256;
/** Values longer than this are not kept (URLs, statements: they rarely repeat). */
const MAX_VALUE_LENGTH = 64;
/** A key whose value changed this many times is left as it is from then on (its value varies). */
const MAX_CHANGES = 3;

interface Entry {
  value: string | boolean;
  bytes: Uint8Array;
  changes: number;
}

/**
 * The encoded `Tag` struct of the last value seen for each tag key, for string and boolean
 * values: most of a server span's tags (`span.kind`, `component`, `http.method`, the sampler's
 * two, `http.route`) are the same pairs span after span, and copying ~20–40 bytes is cheaper
 * than writing key and value again char by char. A Tag struct's bytes do not depend on where it
 * is written (field ids are relative to the struct), so the copy is exact. One per encoder (its
 * protocol's bytes).
 */
export class TagBytesCache {
  private readonly byKey = new Map<string, Entry>();

  /** Writes the remembered struct for (key, value) and returns true, or returns false. */
  writeIfKnown(w: ByteBuffer, key: string, value: string | boolean): boolean {
    const entry = this.byKey.get(key);
    if (entry === undefined || entry.value !== value) return false;
    const bytes = entry.bytes;
    const length = bytes.length;
    w.ensure(length);
    const buf = w.buf;
    let pos = w.pos;
    // a short copy by hand: cheaper than TypedArray#set's fixed cost at these sizes
    for (let i = 0; i < length; i++) buf[pos++] = bytes[i]!;
    w.pos = pos;
    return true;
  }

  /** Remembers the struct just written at `w.buf[start, w.pos)` for (key, value), if worth it. */
  remember(w: ByteBuffer, start: number, key: string, value: string | boolean): void {
    if (typeof value === 'string' && value.length > MAX_VALUE_LENGTH) return;
    const entry = this.byKey.get(key);
    if (entry === undefined) {
      if (this.byKey.size >= MAX_KEYS) return;
      this.byKey.set(key, { value, bytes: copyOf(w, start), changes: 0 });
      return;
    }
    // a key whose value alternates or varies would otherwise allocate a copy on every change
    if (entry.changes >= MAX_CHANGES) return;
    entry.changes++;
    entry.value = value;
    entry.bytes = copyOf(w, start);
  }
}

/** A copy of `w.buf[start, w.pos)` (`Buffer#slice` would be a view of bytes the writer reuses). */
function copyOf(w: ByteBuffer, start: number): Uint8Array {
  return new Uint8Array(w.buf.subarray(start, w.pos));
}
