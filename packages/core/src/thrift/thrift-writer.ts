import type { ByteBuffer } from './byte-buffer';
import type { MessageType, TType } from './thrift-types';

/**
 * What an encoder needs from a Thrift protocol, written straight into a reused
 * {@link ByteBuffer}. Both implementations produce exactly what Apache Thrift's own
 * TCompactProtocol / TBinaryProtocol (strict) would for the same calls.
 *
 * 64-bit integers travel as two 32-bit halves (`hi` signed or unsigned, `lo` unsigned) so
 * every i64, span ids above 2^63 included, is exact: no detour through a float.
 */
export interface ThriftWriter extends ByteBuffer {
  writeMessageBegin(name: string, type: MessageType, seqid: number): void;
  /** Opens a struct (compact field ids are deltas within the innermost struct). */
  writeStructBegin(): void;
  /** Closes a struct; does not write the stop byte (see {@link writeFieldStop}). */
  writeStructEnd(): void;
  writeFieldBegin(type: TType, id: number): void;
  writeFieldStop(): void;
  /** A whole bool field (the compact protocol folds the value into the field header). */
  writeBoolField(id: number, value: boolean): void;
  writeListBegin(elementType: TType, size: number): void;
  writeI32(value: number): void;
  writeI64(hi: number, lo: number): void;
  writeDouble(value: number): void;
  writeString(value: string): void;
  writeBinary(value: Uint8Array): void;
}
