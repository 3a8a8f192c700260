/**
 * A growable byte buffer that encoders write into directly. It is reused across batches,
 * so encoding a span allocates nothing but the occasional doubling of the buffer.
 */

const DEFAULT_INITIAL_SIZE = 16 * 1024;
/** Above this, a buffer grown by one huge batch is given back on `reset()`. */
const RETAINED_MAX_SIZE = 1024 * 1024;
/**
 * Up to this many UTF-16 units an ASCII string is copied char by char: cheaper than the
 * fixed cost of a call into C++ (`utf8Write`) for the short keys and values tags are made of.
 */
const SHORT_STRING = 32;

/** `Buffer#utf8Write` (no argument parsing, unlike `write`); present in every Node >= 0.x. */
type Utf8Write = (this: Buffer, str: string, offset: number) => number;
const protoUtf8Write = (Buffer.prototype as unknown as { utf8Write?: Utf8Write }).utf8Write;
const utf8Write: Utf8Write =
  typeof protoUtf8Write === 'function'
    ? protoUtf8Write
    : function (this: Buffer, str: string, offset: number) {
        return this.write(str, offset, 'utf8');
      };

export class ByteBuffer {
  /** The backing bytes; valid from 0 to `pos`. Replaced when the buffer grows. */
  buf: Buffer;
  /** Where the next byte goes (= bytes written so far). */
  pos = 0;
  private readonly initialSize: number;

  constructor(initialSize = DEFAULT_INITIAL_SIZE) {
    this.initialSize = Math.max(64, initialSize | 0);
    this.buf = Buffer.allocUnsafeSlow(this.initialSize);
  }

  /** Forgets what was written; a buffer left huge by an outsized batch is released. */
  reset(): void {
    this.pos = 0;
    if (this.buf.length > RETAINED_MAX_SIZE) this.buf = Buffer.allocUnsafeSlow(this.initialSize);
  }

  /** Makes room for `bytes` more bytes. */
  ensure(bytes: number): void {
    if (this.pos + bytes > this.buf.length) this.grow(bytes);
  }

  private grow(bytes: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  writeByte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Copies `bytes[start, end)` in. */
  writeRaw(bytes: Uint8Array, start = 0, end = bytes.length): void {
    const length = end - start;
    this.ensure(length);
    this.buf.set(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), this.pos);
    this.pos += length;
  }

  /** A copy of the bytes written so far, safe to hand to an async socket write. */
  toBuffer(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  /**
   * Writes `str` as UTF-8 at `at` and returns the byte count; the caller has ensured
   * `3 * str.length` bytes of room. (A UTF-16 unit never takes more than 3 UTF-8 bytes.)
   */
  protected writeUtf8At(str: string, at: number): number {
    const length = str.length;
    if (length <= SHORT_STRING) {
      const buf = this.buf;
      let i = 0;
      for (; i < length; i++) {
        const c = str.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + i] = c;
      }
      if (i === length) return length;
    }
    return utf8Write.call(this.buf, str, at);
  }
}
