import type { ByteBuffer } from './byte-buffer';
import type { MessageType, TType } from './thrift-types';

/**
 * What an encoder needs from a Thrift protocol, written straight into a reused
 * {@link ByteBuffer}. Both implementations produce exactly the bytes Apache Thrift's own
 * TCompactProtocol / TBinaryProtocol (strict) write for the same structs.
 *
 * The writer keeps no struct state: each field header is given the id of the field written
 * before it in the same struct (`previousId`, 0 for the first), which is all the compact
 * protocol's id deltas need. The encoder knows that id statically, so nesting costs nothing.
 *
 * 64-bit integers travel as two 32-bit halves (`hi` signed or unsigned, `lo` unsigned) so
 * every i64, span ids above 2^63 included, is exact: no detour through a float.
 *
 * The `write*Field` methods write a header and its value with one capacity check: the
 * encoder's hot path.
 */
export interface ThriftWriter extends ByteBuffer {
  writeMessageBegin(name: string, type: MessageType, seqid: number): void;
  writeFieldHeader(type: TType, id: number, previousId: number): void;
  /** Ends a struct. */
  writeFieldStop(): void;
  writeListBegin(elementType: TType, size: number): void;
  /** A whole bool field (the compact protocol folds the value into the field header). */
  writeBoolField(id: number, previousId: number, value: boolean): void;
  writeI32Field(id: number, previousId: number, value: number): void;
  writeI64Field(id: number, previousId: number, hi: number, lo: number): void;
  writeStringField(id: number, previousId: number, value: string): void;
  writeI32(value: number): void;
  writeI64(hi: number, lo: number): void;
  writeDouble(value: number): void;
  writeString(value: string): void;
  writeBinary(value: Uint8Array): void;
}
