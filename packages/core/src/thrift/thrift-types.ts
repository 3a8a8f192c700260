/**
 * Thrift wire constants shared by both protocol writers. Field and element types are
 * named by Apache Thrift's `TType` numbering (what the binary protocol puts on the wire);
 * the compact writer maps them to its own 4-bit codes.
 */

export const enum TType {
  BOOL = 2,
  BYTE = 3,
  DOUBLE = 4,
  I16 = 6,
  I32 = 8,
  I64 = 10,
  STRING = 11,
  STRUCT = 12,
  MAP = 13,
  SET = 14,
  LIST = 15,
}

/** Thrift message types (`TMessageType`). A UDP `emitBatch` is ONEWAY: the agent never answers. */
export const enum MessageType {
  CALL = 1,
  REPLY = 2,
  EXCEPTION = 3,
  ONEWAY = 4,
}

/** Which Thrift protocol turns structs into bytes. */
export type ThriftProtocol = 'compact' | 'binary';
