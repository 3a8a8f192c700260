import type { ClientStats } from '../senders/sender';
import type { LogRecord, ProcessData, SpanData, SpanReferenceData, Tag, TagValue } from '../span-data';
import { BinaryWriter } from './binary-writer';
import { CompactWriter } from './compact-writer';
import { bigintHigh, bigintLow, hexToUint32, numberHigh, numberLow, toInteger } from './int64-parts';
import { fitsInt64, tagValueText } from './tag-text';
import type { ThriftWriter } from './thrift-writer';
import { TType, type ThriftProtocol } from './thrift-types';

/** Jaeger's `TagType` enum. */
export const enum JaegerTagType {
  STRING = 0,
  DOUBLE = 1,
  BOOL = 2,
  LONG = 3,
  BINARY = 4,
}

/** How much of a span to leave out so that it fits a datagram. */
export const enum SpanTrim {
  /** The whole span. */
  NONE = 0,
  /** No logs; tagged {@link TRUNCATED_TAG_KEY}. */
  DROP_LOGS = 1,
  /** Neither logs nor tags, only {@link TRUNCATED_TAG_KEY}. */
  DROP_LOGS_AND_TAGS = 2,
}

/** Tag (value `true`) on a span whose logs, or logs and tags, were cut to fit a UDP datagram. */
export const TRUNCATED_TAG_KEY = 'jt.truncated';

export function createThriftWriter(protocol: ThriftProtocol, initialSize?: number): ThriftWriter {
  return protocol === 'binary' ? new BinaryWriter(initialSize) : new CompactWriter(initialSize);
}

/**
 * Writes the jaeger.thrift model (Span, Tag, Log, SpanRef, Process, ClientStats) straight
 * into its reused writer, in field-id order, with no intermediate objects.
 */
export class JaegerThriftEncoder {
  readonly protocol: ThriftProtocol;
  readonly writer: ThriftWriter;

  constructor(protocol: ThriftProtocol, writer: ThriftWriter = createThriftWriter(protocol)) {
    this.protocol = protocol;
    this.writer = writer;
  }

  /** Appends one `Span` struct; returns the number of bytes it took. */
  writeSpan(span: SpanData, trim: SpanTrim = SpanTrim.NONE): number {
    const w = this.writer;
    const start = w.pos;
    w.writeStructBegin();
    const traceId = span.traceId;
    const traceEnd = traceId.length;
    w.writeFieldBegin(TType.I64, 1);
    this.writeHexWord(traceId, traceEnd);
    w.writeFieldBegin(TType.I64, 2);
    this.writeHexWord(traceId, traceEnd - 16);
    w.writeFieldBegin(TType.I64, 3);
    this.writeHexWord(span.spanId, span.spanId.length);
    w.writeFieldBegin(TType.I64, 4);
    const parentId = span.parentId;
    if (parentId === null || parentId === undefined) w.writeI64(0, 0);
    else this.writeHexWord(parentId, parentId.length);
    w.writeFieldBegin(TType.STRING, 5);
    const operationName = span.operationName;
    w.writeString(typeof operationName === 'string' ? operationName : String(operationName));

    const references = span.references;
    if (references !== undefined && references.length > 0) {
      w.writeFieldBegin(TType.LIST, 6);
      w.writeListBegin(TType.STRUCT, references.length);
      for (let i = 0; i < references.length; i++) this.writeReference(references[i]);
    }

    w.writeFieldBegin(TType.I32, 7);
    w.writeI32(span.flags | 0);
    w.writeFieldBegin(TType.I64, 8);
    this.writeI64Number(span.startTime);
    w.writeFieldBegin(TType.I64, 9);
    this.writeI64Number(span.duration);

    const tags = trim === SpanTrim.DROP_LOGS_AND_TAGS ? undefined : span.tags;
    const tagCount = tags === undefined ? 0 : tags.length;
    const truncated = trim !== SpanTrim.NONE;
    if (tagCount > 0 || truncated) {
      w.writeFieldBegin(TType.LIST, 10);
      w.writeListBegin(TType.STRUCT, tagCount + (truncated ? 1 : 0));
      for (let i = 0; i < tagCount; i++) {
        const tag = tags![i];
        this.writeTag(tag.key, tag.value);
      }
      if (truncated) this.writeTag(TRUNCATED_TAG_KEY, true);
    }

    if (!truncated) {
      const logs = span.logs;
      if (logs !== undefined && logs.length > 0) {
        w.writeFieldBegin(TType.LIST, 11);
        w.writeListBegin(TType.STRUCT, logs.length);
        for (let i = 0; i < logs.length; i++) this.writeLog(logs[i]);
      }
    }
    w.writeFieldStop();
    w.writeStructEnd();
    return w.pos - start;
  }

  /** Appends one `Tag` struct, choosing its TagType from the JS type of `value`. */
  writeTag(key: string, value: TagValue): void {
    const w = this.writer;
    w.writeStructBegin();
    w.writeFieldBegin(TType.STRING, 1);
    w.writeString(typeof key === 'string' ? key : String(key));
    switch (typeof value) {
      case 'string':
        this.writeStringValue(value);
        break;
      case 'number':
        if (Number.isSafeInteger(value)) {
          this.writeType(JaegerTagType.LONG);
          w.writeFieldBegin(TType.I64, 6);
          w.writeI64(numberHigh(value), numberLow(value));
        } else {
          this.writeType(JaegerTagType.DOUBLE);
          w.writeFieldBegin(TType.DOUBLE, 4);
          w.writeDouble(value);
        }
        break;
      case 'boolean':
        this.writeType(JaegerTagType.BOOL);
        w.writeBoolField(5, value);
        break;
      case 'bigint':
        if (fitsInt64(value)) {
          this.writeType(JaegerTagType.LONG);
          w.writeFieldBegin(TType.I64, 6);
          w.writeI64(bigintHigh(value), bigintLow(value));
        } else {
          this.writeStringValue(value.toString());
        }
        break;
      default:
        if (value instanceof Uint8Array) {
          this.writeType(JaegerTagType.BINARY);
          w.writeFieldBegin(TType.STRING, 7);
          w.writeBinary(value);
        } else {
          this.writeStringValue(tagValueText(value));
        }
    }
    w.writeFieldStop();
    w.writeStructEnd();
  }

  /** Appends a `list<Tag>` (the list header and every tag). */
  writeTagList(tags: readonly Tag[]): void {
    const w = this.writer;
    w.writeListBegin(TType.STRUCT, tags.length);
    for (let i = 0; i < tags.length; i++) this.writeTag(tags[i].key, tags[i].value);
  }

  /** Appends one `Process` struct. */
  writeProcess(process: ProcessData): void {
    const w = this.writer;
    w.writeStructBegin();
    w.writeFieldBegin(TType.STRING, 1);
    w.writeString(String(process.serviceName));
    if (process.tags !== undefined && process.tags.length > 0) {
      w.writeFieldBegin(TType.LIST, 2);
      this.writeTagList(process.tags);
    }
    w.writeFieldStop();
    w.writeStructEnd();
  }

  /** Appends one `ClientStats` struct. */
  writeClientStats(stats: ClientStats): void {
    const w = this.writer;
    w.writeStructBegin();
    w.writeFieldBegin(TType.I64, 1);
    this.writeI64Number(stats.fullQueueDroppedSpans);
    w.writeFieldBegin(TType.I64, 2);
    this.writeI64Number(stats.tooLargeDroppedSpans);
    w.writeFieldBegin(TType.I64, 3);
    this.writeI64Number(stats.failedToEmitSpans);
    w.writeFieldStop();
    w.writeStructEnd();
  }

  /** Appends an i64 from a JS number (truncated to an integer; exact up to 2^53). */
  writeI64Number(n: number): void {
    const value = toInteger(n);
    this.writer.writeI64(numberHigh(value), numberLow(value));
  }

  private writeLog(log: LogRecord): void {
    const w = this.writer;
    w.writeStructBegin();
    w.writeFieldBegin(TType.I64, 1);
    this.writeI64Number(log.timestamp);
    w.writeFieldBegin(TType.LIST, 2);
    this.writeTagList(log.fields ?? []);
    w.writeFieldStop();
    w.writeStructEnd();
  }

  private writeReference(ref: SpanReferenceData): void {
    const w = this.writer;
    w.writeStructBegin();
    w.writeFieldBegin(TType.I32, 1);
    w.writeI32(ref.type === 'follows_from' ? 1 : 0);
    const traceId = ref.traceId;
    w.writeFieldBegin(TType.I64, 2);
    this.writeHexWord(traceId, traceId.length);
    w.writeFieldBegin(TType.I64, 3);
    this.writeHexWord(traceId, traceId.length - 16);
    w.writeFieldBegin(TType.I64, 4);
    this.writeHexWord(ref.spanId, ref.spanId.length);
    w.writeFieldStop();
    w.writeStructEnd();
  }

  /** The 64-bit word whose last hex digit is `hex[end - 1]` (a 16-digit window; 0 before the start). */
  private writeHexWord(hex: string, end: number): void {
    this.writer.writeI64(hexToUint32(hex, end - 16, end - 8), hexToUint32(hex, end - 8, end));
  }

  private writeType(type: JaegerTagType): void {
    this.writer.writeFieldBegin(TType.I32, 2);
    this.writer.writeI32(type);
  }

  private writeStringValue(value: string): void {
    this.writeType(JaegerTagType.STRING);
    this.writer.writeFieldBegin(TType.STRING, 3);
    this.writer.writeString(value);
  }
}
