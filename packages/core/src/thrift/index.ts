/** Jaeger thrift encoding (compact and binary protocols) used by the UDP and HTTP senders. */
export { TType, MessageType, type ThriftProtocol } from './thrift-types';
export type { ThriftWriter } from './thrift-writer';
export { ByteBuffer } from './byte-buffer';
export { CompactWriter } from './compact-writer';
export { BinaryWriter } from './binary-writer';
export {
  JaegerThriftEncoder,
  JaegerTagType,
  SpanTrim,
  TRUNCATED_TAG_KEY,
  createThriftWriter,
} from './jaeger-encoder';
export {
  EMIT_BATCH_METHOD,
  type BatchTrailer,
  encodeProcess,
  encodeSpan,
  encodeBatch,
  encodeEmitBatch,
  writeBatchBegin,
  writeBatchEnd,
  writeEmitBatchBegin,
  writeEmitBatchEnd,
  emitBatchOverhead,
} from './jaeger-batch';
export { tagValueText, fitsInt64 } from './tag-text';
export { encodeSpanList, type EncodedSpanList } from './span-list';
