import { ByteBuffer } from './byte-buffer';
import type { ThriftWriter } from './thrift-writer';
import { TType, type MessageType } from './thrift-types';

/** Strict binary protocol message header: version 1 in the top half of the first i32. */
const VERSION_1 = 0x80010000;

/** Thrift's binary protocol (strict): fixed-width big-endian integers, i32 length prefixes. */
export class BinaryWriter extends ByteBuffer implements ThriftWriter {
  writeMessageBegin(name: string, type: MessageType, seqid: number): void {
    this.ensure(4);
    this.putI32((VERSION_1 | type) | 0);
    this.writeString(name);
    this.writeI32(seqid);
  }

  writeFieldHeader(type: TType, id: number, _previousId: number): void {
    this.ensure(3);
    this.putFieldHeader(type, id);
  }

  writeFieldStop(): void {
    this.writeByte(0);
  }

  writeBoolField(id: number, _previousId: number, value: boolean): void {
    this.ensure(4);
    this.putFieldHeader(TType.BOOL, id);
    this.buf[this.pos++] = value ? 1 : 0;
  }

  writeI32Field(id: number, _previousId: number, value: number): void {
    this.ensure(7);
    this.putFieldHeader(TType.I32, id);
    this.putI32(value);
  }

  writeI64Field(id: number, _previousId: number, hi: number, lo: number): void {
    this.ensure(11);
    this.putFieldHeader(TType.I64, id);
    this.putI32(hi);
    this.putI32(lo);
  }

  writeStringField(id: number, _previousId: number, value: string): void {
    this.ensure(value.length * 3 + 7);
    this.putFieldHeader(TType.STRING, id);
    this.putString(value);
  }

  writeListBegin(elementType: TType, size: number): void {
    this.ensure(5);
    this.buf[this.pos++] = elementType;
    this.putI32(size);
  }

  writeI32(value: number): void {
    this.ensure(4);
    this.putI32(value);
  }

  writeI64(hi: number, lo: number): void {
    this.ensure(8);
    this.putI32(hi);
    this.putI32(lo);
  }

  writeDouble(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleBE(value, this.pos);
    this.pos += 8;
  }

  writeString(value: string): void {
    this.ensure(value.length * 3 + 4);
    this.putString(value);
  }

  writeBinary(value: Uint8Array): void {
    this.ensure(4);
    this.putI32(value.length);
    this.writeRaw(value);
  }

  /** The caller has ensured 3 bytes. */
  private putFieldHeader(type: TType, id: number): void {
    const buf = this.buf;
    const pos = this.pos;
    buf[pos] = type;
    buf[pos + 1] = id >>> 8;
    buf[pos + 2] = id;
    this.pos = pos + 3;
  }

  /** i32 length + UTF-8 bytes, the length patched in after; `3 * length + 4` bytes ensured. */
  private putString(value: string): void {
    const at = this.pos;
    const bytes = this.writeUtf8At(value, at + 4);
    this.putI32(bytes);
    this.pos = at + 4 + bytes;
  }

  /** Big-endian 32 bits of `n` (signed or unsigned); the caller has ensured 4 bytes. */
  private putI32(n: number): void {
    const buf = this.buf;
    const pos = this.pos;
    buf[pos] = n >>> 24;
    buf[pos + 1] = n >>> 16;
    buf[pos + 2] = n >>> 8;
    buf[pos + 3] = n;
    this.pos = pos + 4;
  }
}
