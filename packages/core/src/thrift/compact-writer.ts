import { ByteBuffer } from './byte-buffer';
import type { ThriftWriter } from './thrift-writer';
import type { MessageType, TType } from './thrift-types';

const PROTOCOL_ID = 0x82;
const VERSION = 1;
const TYPE_SHIFT = 5;
const CT_BOOLEAN_TRUE = 1;
const CT_BOOLEAN_FALSE = 2;
/** Longest string whose UTF-8 length (at most 3 bytes per UTF-16 unit) fits a 1-byte varint. */
const ONE_BYTE_LENGTH_STRING = 42;

/** Compact type code for each `TType` (index); lists of bools use CT_BOOLEAN_TRUE. */
const COMPACT_TYPE: readonly number[] = (() => {
  const table = new Array<number>(16).fill(0);
  table[2] = CT_BOOLEAN_TRUE; // BOOL
  table[3] = 3; // BYTE
  table[4] = 7; // DOUBLE
  table[6] = 4; // I16
  table[8] = 5; // I32
  table[10] = 6; // I64
  table[11] = 8; // STRING / BINARY
  table[12] = 12; // STRUCT
  table[13] = 11; // MAP
  table[14] = 10; // SET
  table[15] = 9; // LIST
  return table;
})();

/** Thrift's compact protocol: zigzag varints, field-id deltas, little-endian doubles. */
export class CompactWriter extends ByteBuffer implements ThriftWriter {
  private lastFieldId = 0;
  private readonly fieldIdStack: number[] = [];

  override reset(): void {
    super.reset();
    this.lastFieldId = 0;
    this.fieldIdStack.length = 0;
  }

  writeMessageBegin(name: string, type: MessageType, seqid: number): void {
    this.ensure(2);
    this.buf[this.pos++] = PROTOCOL_ID;
    this.buf[this.pos++] = (VERSION | (type << TYPE_SHIFT)) & 0xff;
    this.writeVarint32(seqid >>> 0);
    this.writeString(name);
  }

  writeStructBegin(): void {
    this.fieldIdStack.push(this.lastFieldId);
    this.lastFieldId = 0;
  }

  writeStructEnd(): void {
    this.lastFieldId = this.fieldIdStack.pop() ?? 0;
  }

  writeFieldBegin(type: TType, id: number): void {
    this.writeFieldHeader(COMPACT_TYPE[type], id);
  }

  writeFieldStop(): void {
    this.writeByte(0);
  }

  writeBoolField(id: number, value: boolean): void {
    this.writeFieldHeader(value ? CT_BOOLEAN_TRUE : CT_BOOLEAN_FALSE, id);
  }

  private writeFieldHeader(compactType: number, id: number): void {
    const delta = id - this.lastFieldId;
    if (delta > 0 && delta <= 15) {
      this.ensure(1);
      this.buf[this.pos++] = (delta << 4) | compactType;
    } else {
      this.ensure(4);
      this.buf[this.pos++] = compactType;
      this.writeVarint32(((id << 1) ^ (id >> 31)) >>> 0);
    }
    this.lastFieldId = id;
  }

  writeListBegin(elementType: TType, size: number): void {
    const compactType = COMPACT_TYPE[elementType];
    this.ensure(6);
    if (size <= 14) {
      this.buf[this.pos++] = (size << 4) | compactType;
    } else {
      this.buf[this.pos++] = 0xf0 | compactType;
      this.writeVarint32(size >>> 0);
    }
  }

  writeI32(value: number): void {
    this.ensure(5);
    this.writeVarint32(((value << 1) ^ (value >> 31)) >>> 0);
  }

  writeI64(hi: number, lo: number): void {
    // zigzag over 64 bits, done on the halves: (n << 1) ^ (n >> 63)
    const sign = hi >> 31;
    const zzHi = (((hi << 1) | (lo >>> 31)) ^ sign) >>> 0;
    const zzLo = ((lo << 1) ^ sign) >>> 0;
    this.ensure(10);
    this.writeVarint64(zzHi, zzLo);
  }

  writeDouble(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  writeString(value: string): void {
    const length = value.length;
    this.ensure(length * 3 + 5);
    if (length <= ONE_BYTE_LENGTH_STRING) {
      const bytes = this.writeUtf8At(value, this.pos + 1);
      this.buf[this.pos] = bytes;
      this.pos += 1 + bytes;
    } else {
      this.writeVarint32(Buffer.byteLength(value));
      this.pos += this.buf.write(value, this.pos);
    }
  }

  writeBinary(value: Uint8Array): void {
    this.ensure(5);
    this.writeVarint32(value.length);
    this.writeRaw(value);
  }

  /** Unsigned varint of a uint32; the caller has ensured 5 bytes. */
  private writeVarint32(n: number): void {
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
  private writeVarint64(hi: number, lo: number): void {
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
