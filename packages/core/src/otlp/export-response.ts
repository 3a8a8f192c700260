/**
 * Reads `ExportTraceServiceResponse{1 partial_success: {1 rejected_spans int64, 2 error_message}}`
 * from a collector's 2xx reply, so spans a collector refused are counted as failed.
 */

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array, readonly end = buf.length) {}

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new RangeError('truncated varint');
      const byte = this.buf[this.pos++];
      result += (byte & 127) * scale;
      if (byte < 128) return result;
      scale *= 128;
    }
    throw new RangeError('varint too long');
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        break;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.pos += this.varint();
        break;
      case 5:
        this.pos += 4;
        break;
      default:
        throw new RangeError(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new RangeError('truncated field');
  }
}

/** The partial success in a response body, or `null` when there is none or the body is not protobuf. */
export function readPartialSuccess(body: Uint8Array): PartialSuccess | null {
  try {
    const outer = new Reader(body);
    while (outer.pos < outer.end) {
      const key = outer.varint();
      if (key !== ((1 << 3) | 2)) {
        outer.skip(key & 7);
        continue;
      }
      const length = outer.varint();
      const inner = new Reader(body, outer.pos + length);
      if (inner.end > body.length) return null;
      inner.pos = outer.pos;
      const result: PartialSuccess = { rejectedSpans: 0, errorMessage: '' };
      while (inner.pos < inner.end) {
        const innerKey = inner.varint();
        if (innerKey === ((1 << 3) | 0)) {
          result.rejectedSpans = inner.varint();
        } else if (innerKey === ((2 << 3) | 2)) {
          const size = inner.varint();
          if (inner.pos + size > inner.end) return null;
          result.errorMessage = Buffer.from(body.buffer, body.byteOffset + inner.pos, size).toString('utf8');
          inner.pos += size;
        } else {
          inner.skip(innerKey & 7);
        }
      }
      return result;
    }
    return null;
  } catch {
    return null;
  }
}
