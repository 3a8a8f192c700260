import { ByteBuffer } from './byte-buffer';
import type { ThriftWriter } from './thrift-writer';
import type { MessageType, TType } from './thrift-types';

const PROTOCOL_ID = 0x82;
const VERSION = 1;
const TYPE_SHIFT = 5;
const CT_BOOLEAN_TRUE = 1;
const CT_BOOLEAN_FALSE = 2;
const CT_I32 = 5;
const CT_I64 = 6;
const CT_BINARY = 8;

/** Compact type code for each `TType` (index); lists of bools use CT_BOOLEAN_TRUE. */
const COMPACT_TYPE: readonly number[] = (() => {
  const table = new Array<number>(16).fill(0);
  table[2] = CT_BOOLEAN_TRUE; // BOOL
  table[3] = 3; // BYTE
  table[4] = 7; // DOUBLE
  table[6] = 4; // I16
  table[8] = CT_I32; // I32
  table[10] = CT_I64; // I64
  table[11] = CT_BINARY; // STRING / BINARY
  table[12] = 12; // STRUCT
  table[13] = 11; // MAP
  table[14] = 10; // SET
  table[15] = 9; // LIST
  return table;
})();

/** Bytes a varint of `n` (uint32) takes. */
function varint32Size(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

/** Thrift's compact protocol: zigzag varints, field-id deltas, little-endian doubles. */
export class CompactWriter extends ByteBuffer implements ThriftWriter {
  writeMessageBegin(name: string, type: MessageType, seqid: number): void {
    this.ensure(7);
    this.buf[this.pos++] = PROTOCOL_ID;
    this.buf[this.pos++] = (VERSION | (type << TYPE_SHIFT)) & 0xff;
    this.putVarint32(seqid >>> 0);
    this.writeString(name);
  }

  writeFieldHeader(type: TType, id: number, previousId: number): void {
    this.ensure(4);
    this.putFieldHeader(COMPACT_TYPE[type], id, previousId);
  }

  writeFieldStop(): void {
    this.writeByte(0);
  }

  writeBoolField(id: number, previousId: number, value: boolean): void {
    this.ensure(4);
    this.putFieldHeader(value ? CT_BOOLEAN_TRUE : CT_BOOLEAN_FALSE, id, previousId);
  }

  writeI32Field(id: number, previousId: number, value: number): void {
    this.ensure(9);
    this.putFieldHeader(CT_I32, id, previousId);
    this.putVarint32(((value << 1) ^ (value >> 31)) >>> 0);
  }

  writeI64Field(id: number, previousId: number, hi: number, lo: number): void {
    this.ensure(14);
    this.putFieldHeader(CT_I64, id, previousId);
    this.putI64(hi, lo);
  }

  writeStringField(id: number, previousId: number, value: string): void {
    this.ensure(value.length * 3 + 9);
    this.putFieldHeader(CT_BINARY, id, previousId);
    this.putString(value);
  }

  writeListBegin(elementType: TType, size: number): void {
    const compactType = COMPACT_TYPE[elementType];
    this.ensure(6);
    if (size <= 14) {
      this.buf[this.pos++] = (size << 4) | compactType;
    } else {
      this.buf[this.pos++] = 0xf0 | compactType;
      this.putVarint32(size >>> 0);
    }
  }

  writeI32(value: number): void {
    this.ensure(5);
    this.putVarint32(((value << 1) ^ (value >> 31)) >>> 0);
  }

  writeI64(hi: number, lo: number): void {
    this.ensure(10);
    this.putI64(hi, lo);
  }

  writeDouble(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  writeString(value: string): void {
    this.ensure(value.length * 3 + 5);
    this.putString(value);
  }

  writeBinary(value: Uint8Array): void {
    this.ensure(5);
    this.putVarint32(value.length);
    this.writeRaw(value);
  }

  /** The caller has ensured 4 bytes. */
  private putFieldHeader(compactType: number, id: number, previousId: number): void {
    const delta = id - previousId;
    if (delta > 0 && delta <= 15) {
      this.buf[this.pos++] = (delta << 4) | compactType;
    } else {
      this.buf[this.pos++] = compactType;
      this.putVarint32(((id << 1) ^ (id >> 31)) >>> 0);
    }
  }

  /** Zigzag over 64 bits on the halves, (n << 1) ^ (n >> 63), then a varint; 10 bytes ensured. */
  private putI64(hi: number, lo: number): void {
    const sign = hi >> 31;
    this.putVarint64((((hi << 1) | (lo >>> 31)) ^ sign) >>> 0, ((lo << 1) ^ sign) >>> 0);
  }

  /**
   * Varint length + UTF-8 bytes; `3 * length + 5` bytes ensured. The length prefix is written
   * first assuming ASCII (UTF-8 length = UTF-16 length); if the string was not ASCII the
   * prefix is corrected, moving the bytes only when the prefix changes size.
   */
  private putString(value: string): void {
    const length = value.length;
    const guessSize = varint32Size(length);
    const at = this.pos + guessSize;
    const bytes = this.writeUtf8At(value, at);
    if (bytes !== length) {
      const size = varint32Size(bytes);
      if (size !== guessSize) this.buf.copyWithin(this.pos + size, at, at + bytes);
    }
    this.putVarint32(bytes);
    this.pos += bytes;
  }

  /** Unsigned varint of a uint32; the caller has ensured 5 bytes. */
  private putVarint32(n: number): void {
    const buf = this.buf;
    let pos = this.pos;
    while (n > 0x7f) {
      buf[pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[pos++] = n;
    this.pos = pos;
  }

  /** Unsigned varint of the uint64 `hi:lo`; the caller has ensured 10 bytes. */
  private putVarint64(hi: number, lo: number): void {
    const buf = this.buf;
    let pos = this.pos;
    while (hi !== 0 || lo > 0x7f) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
  }
}
