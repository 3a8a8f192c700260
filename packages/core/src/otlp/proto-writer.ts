/**
 * A minimal protobuf wire-format writer over one growable, reusable buffer.
 *
 * Nested messages are written in place: `beginMessage` reserves one byte for the length,
 * `endMessage` fills it in and, only when the body is 128 bytes or more, shifts the body
 * right to make room for a longer varint. So nothing is encoded twice and no sizes are
 * computed ahead of time; lengths stay canonical (minimal varints).
 */

const TWO_32 = 4294967296;

/** Protobuf wire types. */
export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  Fixed32 = 5,
}

/** Bytes a varint of this non-negative value (< 2^53) takes. */
function varintSize(value: number): number {
  let size = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

/** Value of a hex digit's char code, or -1. */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

export class ProtoWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialSize = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialSize));
  }

  /** Starts a new message, keeping the allocated buffer. */
  reset(): this {
    this.pos = 0;
    return this;
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /** A view (no copy) of what was written; valid until the next `reset`. */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  private ensure(extra: number): void {
    const needed = this.pos + extra;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  tag(field: number, wireType: WireType): this {
    return this.uint32((field << 3) | wireType);
  }

  /** A varint for a non-negative integer below 2^32. */
  uint32(value: number): this {
    this.ensure(5);
    value >>>= 0;
    while (value > 127) {
      this.buf[this.pos++] = (value & 127) | 128;
      value >>>= 7;
    }
    this.buf[this.pos++] = value;
    return this;
  }

  /** A varint of a 64-bit value given as two unsigned 32-bit halves (two's complement). */
  varint64(lo: number, hi: number): this {
    this.ensure(10);
    lo >>>= 0;
    hi >>>= 0;
    while (hi !== 0 || lo > 127) {
      this.buf[this.pos++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.pos++] = lo;
    return this;
  }

  /** An `int64` varint for a safe integer (negative numbers take ten bytes, as the spec says). */
  int64(value: number): this {
    if (value >= 0) {
      return this.varint64(value % TWO_32, Math.floor(value / TWO_32));
    }
    const magnitude = -value;
    let lo = magnitude % TWO_32;
    let hi = Math.floor(magnitude / TWO_32);
    // two's complement of the 64-bit magnitude
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
    return this.varint64(lo, hi);
  }

  /** An `int64` varint for a bigint already known to fit in 64 bits. */
  int64Big(value: bigint): this {
    const bits = BigInt.asUintN(64, value);
    return this.varint64(Number(bits & 0xffffffffn), Number(bits >> 32n));
  }

  bool(value: boolean): this {
    this.ensure(1);
    this.buf[this.pos++] = value ? 1 : 0;
    return this;
  }

  fixed32(value: number): this {
    this.ensure(4);
    this.buf.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
    return this;
  }

  /** A fixed64 given as two unsigned 32-bit halves. */
  fixed64(lo: number, hi: number): this {
    this.ensure(8);
    this.buf.writeUInt32LE(lo >>> 0, this.pos);
    this.buf.writeUInt32LE(hi >>> 0, this.pos + 4);
    this.pos += 8;
    return this;
  }

  double(value: number): this {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
    return this;
  }

  /** A length-prefixed UTF-8 string. */
  string(value: string): this {
    // Short strings (at most 3 bytes per UTF-16 unit) always fit a one-byte length.
    if (value.length < 43) {
      this.ensure(1 + value.length * 3);
      // Plain JS copy for ASCII: cheaper than a native Buffer.write call for short strings.
      const buf = this.buf;
      const start = this.pos + 1;
      let i = 0;
      for (; i < value.length; i++) {
        const code = value.charCodeAt(i);
        if (code >= 0x80) break;
        buf[start + i] = code;
      }
      if (i === value.length) {
        buf[this.pos] = i;
        this.pos = start + i;
        return this;
      }
      const written = this.buf.write(value, this.pos + 1, 'utf8');
      this.buf[this.pos] = written;
      this.pos += 1 + written;
      return this;
    }
    const byteLength = Buffer.byteLength(value, 'utf8');
    this.uint32(byteLength);
    this.ensure(byteLength);
    this.pos += this.buf.write(value, this.pos, 'utf8');
    return this;
  }

  /** Length-prefixed raw bytes. */
  bytes(value: Uint8Array): this {
    this.uint32(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  /** Length-prefixed bytes given as an even-length hex string (ids). */
  hexBytes(hex: string): this {
    const size = hex.length >>> 1;
    this.uint32(size);
    this.ensure(size);
    const buf = this.buf;
    for (let i = 0; i < size; i++) {
      const hi = hexDigit(hex.charCodeAt(2 * i));
      const lo = hexDigit(hex.charCodeAt(2 * i + 1));
      // Malformed hex becomes zero bytes, so the declared length stays true.
      buf[this.pos + i] = hi < 0 || lo < 0 ? 0 : (hi << 4) | lo;
    }
    this.pos += size;
    return this;
  }

  /**
   * A 16-byte id (length-prefixed) from four 32-bit words, big-endian, as `TraceIdWords` holds
   * them; signed or unsigned words alike (`Buffer#writeInt32BE` would throw on the latter).
   */
  idWords(w0: number, w1: number, w2: number, w3: number): this {
    this.uint32(16);
    this.ensure(16);
    const pos = this.pos;
    this.putWord(pos, w0);
    this.putWord(pos + 4, w1);
    this.putWord(pos + 8, w2);
    this.putWord(pos + 12, w3);
    this.pos = pos + 16;
    return this;
  }

  private putWord(at: number, word: number): void {
    const buf = this.buf;
    buf[at] = word >>> 24;
    buf[at + 1] = word >>> 16;
    buf[at + 2] = word >>> 8;
    buf[at + 3] = word;
  }

  /** Writes the field tag and reserves the length of a nested message; pass the result to `endMessage`. */
  beginMessage(field: number): number {
    this.tag(field, WireType.LengthDelimited);
    this.ensure(1);
    const start = this.pos;
    this.pos += 1;
    return start;
  }

  /** Fills in the length reserved by `beginMessage`. */
  endMessage(start: number): this {
    const bodyStart = start + 1;
    const bodyLength = this.pos - bodyStart;
    if (bodyLength < 128) {
      this.buf[start] = bodyLength;
      return this;
    }
    const extra = varintSize(bodyLength) - 1;
    this.ensure(extra);
    this.buf.copyWithin(bodyStart + extra, bodyStart, this.pos);
    this.pos += extra;
    let value = bodyLength;
    let at = start;
    while (value > 127) {
      this.buf[at++] = (value & 127) | 128;
      value >>>= 7;
    }
    this.buf[at] = value;
    return this;
  }
}
