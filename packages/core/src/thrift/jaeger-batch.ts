import type { ClientStats } from '../senders/sender';
import type { ProcessData, SpanData } from '../span-data';
import { createThriftWriter, JaegerThriftEncoder } from './jaeger-encoder';
import { MessageType, TType, type ThriftProtocol } from './thrift-types';

/** The agent's method: `oneway void emitBatch(1: jaeger.Batch batch)`. */
export const EMIT_BATCH_METHOD = 'emitBatch';

/** `Batch.seqNo` and `Batch.stats`, both optional on the wire. */
export interface BatchTrailer {
  seqNo?: number;
  stats?: ClientStats;
}

/**
 * A `Process` struct as standalone bytes. A process rarely changes, so senders encode it once
 * and copy it into every batch (a struct's bytes do not depend on where it sits).
 */
export function encodeProcess(protocol: ThriftProtocol, process: ProcessData): Buffer {
  const encoder = new JaegerThriftEncoder(protocol, createThriftWriter(protocol, 512));
  encoder.writeProcess(process);
  return encoder.writer.toBuffer();
}

/**
 * Opens a `Batch`: the process (pre-encoded bytes) and the header of a span list of
 * `spanCount` entries. The caller appends exactly that many `Span` structs (or their bytes).
 */
export function writeBatchBegin(encoder: JaegerThriftEncoder, processBytes: Uint8Array, spanCount: number): void {
  const w = encoder.writer;
  w.writeFieldHeader(TType.STRUCT, 1, 0);
  w.writeRaw(processBytes);
  w.writeFieldHeader(TType.LIST, 2, 1);
  w.writeListBegin(TType.STRUCT, spanCount);
}

/** Closes a `Batch` opened by {@link writeBatchBegin}, with the optional seqNo and stats. */
export function writeBatchEnd(encoder: JaegerThriftEncoder, trailer: BatchTrailer): void {
  const w = encoder.writer;
  let previousId = 2;
  if (trailer.seqNo !== undefined) {
    encoder.writeI64NumberField(3, 2, trailer.seqNo);
    previousId = 3;
  }
  if (trailer.stats !== undefined) {
    w.writeFieldHeader(TType.STRUCT, 4, previousId);
    encoder.writeClientStats(trailer.stats);
  }
  w.writeFieldStop();
}

/**
 * Opens an `Agent.emitBatch` ONEWAY message (what the agent reads from a UDP datagram):
 * message header, `emitBatch_args` struct, its field 1, then the batch as
 * {@link writeBatchBegin}.
 */
export function writeEmitBatchBegin(
  encoder: JaegerThriftEncoder,
  seqid: number,
  processBytes: Uint8Array,
  spanCount: number,
): void {
  const w = encoder.writer;
  w.writeMessageBegin(EMIT_BATCH_METHOD, MessageType.ONEWAY, seqid);
  w.writeFieldHeader(TType.STRUCT, 1, 0);
  writeBatchBegin(encoder, processBytes, spanCount);
}

/** Closes the batch and the `emitBatch_args` struct opened by {@link writeEmitBatchBegin}. */
export function writeEmitBatchEnd(encoder: JaegerThriftEncoder, trailer: BatchTrailer): void {
  writeBatchEnd(encoder, trailer);
  encoder.writer.writeFieldStop();
}

/**
 * An upper bound on the bytes an `emitBatch` message adds around its spans' bytes (header,
 * process, list header, seqNo, stats), measured by writing one with worst-case numbers.
 */
export function emitBatchOverhead(protocol: ThriftProtocol, processBytes: Uint8Array): number {
  const encoder = new JaegerThriftEncoder(protocol, createThriftWriter(protocol, processBytes.length + 256));
  const worst = -(2 ** 63); // the longest zigzag varint: ten bytes
  writeEmitBatchBegin(encoder, -1, processBytes, 0x7fffffff);
  writeEmitBatchEnd(encoder, {
    seqNo: worst,
    stats: { fullQueueDroppedSpans: worst, tooLargeDroppedSpans: worst, failedToEmitSpans: worst },
  });
  return encoder.writer.pos;
}

/**
 * One `Span` struct on its own, as bytes. Its length is what the span adds to any batch
 * (a struct's bytes do not depend on where it sits), which is how datagrams are packed.
 */
export function encodeSpan(encoder: JaegerThriftEncoder, span: SpanData): Buffer {
  encoder.writer.reset();
  encoder.writeSpan(span);
  return encoder.writer.toBuffer();
}

/** One whole `Batch` struct as bytes (the HTTP collector's body when `protocol` is binary). */
export function encodeBatch(
  encoder: JaegerThriftEncoder,
  processBytes: Uint8Array,
  spans: readonly SpanData[],
  trailer: BatchTrailer = {},
): Buffer {
  encoder.writer.reset();
  writeBatchBegin(encoder, processBytes, spans.length);
  for (let i = 0; i < spans.length; i++) encoder.writeSpan(spans[i]);
  writeBatchEnd(encoder, trailer);
  return encoder.writer.toBuffer();
}

/** One whole `emitBatch` message as bytes, for a batch known to fit (no splitting). */
export function encodeEmitBatch(
  encoder: JaegerThriftEncoder,
  seqid: number,
  processBytes: Uint8Array,
  spans: readonly SpanData[],
  trailer: BatchTrailer = {},
): Buffer {
  encoder.writer.reset();
  writeEmitBatchBegin(encoder, seqid, processBytes, spans.length);
  for (let i = 0; i < spans.length; i++) encoder.writeSpan(spans[i]);
  writeEmitBatchEnd(encoder, trailer);
  return encoder.writer.toBuffer();
}
