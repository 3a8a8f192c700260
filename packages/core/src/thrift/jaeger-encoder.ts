import type { ClientStats } from '../senders/sender';
import type { LogRecord, ProcessData, SpanData, SpanReferenceData, Tag, TagValue } from '../span-data';
import { BinaryWriter } from './binary-writer';
import { CompactWriter } from './compact-writer';
import { bigintHigh, bigintLow, hexToUint32, numberHigh, numberLow, toInteger } from './int64-parts';
import { TagBytesCache } from './tag-bytes-cache';
import { fitsInt64, tagValueText } from './tag-text';
import type { ThriftWriter } from './thrift-writer';
import { tagPairsOf } from '../span';
import { matchingWords, type TraceIdWords } from '../trace-id-words';
import { TType, type ThriftProtocol } from './thrift-types';

const NO_PAIRS: readonly unknown[] = [];

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
 * into its reused writer, in field-id order, with no intermediate objects. Field headers
 * carry the id of the field before them (the compact protocol writes the difference).
 */
export class JaegerThriftEncoder {
  readonly protocol: ThriftProtocol;
  readonly writer: ThriftWriter;
  /* Spans of one trace arrive together: the last trace id's four halves are kept. */
  private cachedTraceId = '';
  private traceLowHi = 0;
  private traceLowLo = 0;
  private traceHighHi = 0;
  private traceHighLo = 0;
  /** Encoded tags of repeating (key, value) pairs (see `TagBytesCache`). */
  private readonly tagCache = new TagBytesCache();

  constructor(protocol: ThriftProtocol, writer: ThriftWriter = createThriftWriter(protocol)) {
    this.protocol = protocol;
    this.writer = writer;
  }

  /** Appends one `Span` struct; returns the number of bytes it took. */
  writeSpan(span: SpanData, trim: SpanTrim = SpanTrim.NONE): number {
    const w = this.writer;
    const start = w.pos;
    const traceId = span.traceId;
    if (traceId !== this.cachedTraceId) this.useTraceId(traceId, span.traceIdWords);
    w.writeI64Field(1, 0, this.traceLowHi, this.traceLowLo);
    w.writeI64Field(2, 1, this.traceHighHi, this.traceHighLo);
    const spanId = span.spanId;
    // a root's span id is its trace id's low half (Jaeger's convention): parsed already
    if (spanId.length === 16 && traceId.endsWith(spanId)) w.writeI64Field(3, 2, this.traceLowHi, this.traceLowLo);
    else this.writeHexField(3, 2, spanId);
    const parentId = span.parentId;
    if (parentId === null || parentId === undefined) w.writeI64Field(4, 3, 0, 0);
    else this.writeHexField(4, 3, parentId);
    const operationName = span.operationName;
    w.writeStringField(5, 4, typeof operationName === 'string' ? operationName : String(operationName));

    let previousId = 5;
    const references = span.references;
    if (references !== undefined && references.length > 0) {
      w.writeFieldHeader(TType.LIST, 6, 5);
      w.writeListBegin(TType.STRUCT, references.length);
      for (let i = 0; i < references.length; i++) this.writeReference(references[i]);
      previousId = 6;
    }

    w.writeI32Field(7, previousId, span.flags | 0);
    this.writeI64NumberField(8, 7, span.startTime);
    this.writeI64NumberField(9, 8, span.duration);
    previousId = 9;

    const pairs = trim === SpanTrim.DROP_LOGS_AND_TAGS ? NO_PAIRS : tagPairsOf(span);
    const tagCount = pairs.length >> 1;
    const truncated = trim !== SpanTrim.NONE;
    if (tagCount > 0 || truncated) {
      w.writeFieldHeader(TType.LIST, 10, 9);
      w.writeListBegin(TType.STRUCT, tagCount + (truncated ? 1 : 0));
      for (let i = 0; i < tagCount * 2; i += 2) this.writeTag(pairs[i] as string, pairs[i + 1] as TagValue);
      if (truncated) this.writeTag(TRUNCATED_TAG_KEY, true);
      previousId = 10;
    }

    if (!truncated) {
      const logs = span.logs;
      if (logs !== undefined && logs.length > 0) {
        w.writeFieldHeader(TType.LIST, 11, previousId);
        w.writeListBegin(TType.STRUCT, logs.length);
        for (let i = 0; i < logs.length; i++) this.writeLog(logs[i]);
      }
    }
    w.writeFieldStop();
    return w.pos - start;
  }

  /** Appends one `Tag` struct, choosing its TagType from the JS type of `value`. */
  writeTag(key: string, value: TagValue): void {
    const w = this.writer;
    const cacheable = typeof key === 'string' && (typeof value === 'string' || typeof value === 'boolean');
    if (cacheable && this.tagCache.writeIfKnown(w, key, value)) return;
    const start = w.pos;
    this.writeTagStruct(key, value);
    if (cacheable) this.tagCache.remember(w, start, key, value);
  }

  private writeTagStruct(key: string, value: TagValue): void {
    const w = this.writer;
    w.writeStringField(1, 0, typeof key === 'string' ? key : String(key));
    switch (typeof value) {
      case 'string':
        w.writeI32Field(2, 1, JaegerTagType.STRING);
        w.writeStringField(3, 2, value);
        break;
      case 'number':
        if (Number.isSafeInteger(value)) {
          w.writeI32Field(2, 1, JaegerTagType.LONG);
          w.writeI64Field(6, 2, numberHigh(value), numberLow(value));
        } else {
          w.writeI32Field(2, 1, JaegerTagType.DOUBLE);
          w.writeFieldHeader(TType.DOUBLE, 4, 2);
          w.writeDouble(value);
        }
        break;
      case 'boolean':
        w.writeI32Field(2, 1, JaegerTagType.BOOL);
        w.writeBoolField(5, 2, value);
        break;
      case 'bigint':
        if (fitsInt64(value)) {
          w.writeI32Field(2, 1, JaegerTagType.LONG);
          w.writeI64Field(6, 2, bigintHigh(value), bigintLow(value));
        } else {
          w.writeI32Field(2, 1, JaegerTagType.STRING);
          w.writeStringField(3, 2, value.toString());
        }
        break;
      default:
        if (value instanceof Uint8Array) {
          w.writeI32Field(2, 1, JaegerTagType.BINARY);
          w.writeFieldHeader(TType.STRING, 7, 2);
          w.writeBinary(value);
        } else {
          w.writeI32Field(2, 1, JaegerTagType.STRING);
          w.writeStringField(3, 2, tagValueText(value));
        }
    }
    w.writeFieldStop();
  }

  /** Appends a `list<Tag>` (the list header and every tag). */
  writeTagList(tags: readonly Tag[]): void {
    this.writer.writeListBegin(TType.STRUCT, tags.length);
    for (let i = 0; i < tags.length; i++) this.writeTag(tags[i].key, tags[i].value);
  }

  /** Appends one `Process` struct. */
  writeProcess(process: ProcessData): void {
    const w = this.writer;
    w.writeStringField(1, 0, String(process.serviceName));
    if (process.tags !== undefined && process.tags.length > 0) {
      w.writeFieldHeader(TType.LIST, 2, 1);
      this.writeTagList(process.tags);
    }
    w.writeFieldStop();
  }

  /** Appends one `ClientStats` struct. */
  writeClientStats(stats: ClientStats): void {
    this.writeI64NumberField(1, 0, stats.fullQueueDroppedSpans);
    this.writeI64NumberField(2, 1, stats.tooLargeDroppedSpans);
    this.writeI64NumberField(3, 2, stats.failedToEmitSpans);
    this.writer.writeFieldStop();
  }

  /** Appends an i64 field from a JS number (truncated to an integer; exact up to 2^53). */
  writeI64NumberField(id: number, previousId: number, n: number): void {
    const value = toInteger(n);
    this.writer.writeI64Field(id, previousId, numberHigh(value), numberLow(value));
  }

  private writeLog(log: LogRecord): void {
    const w = this.writer;
    this.writeI64NumberField(1, 0, log.timestamp);
    w.writeFieldHeader(TType.LIST, 2, 1);
    this.writeTagList(log.fields ?? []);
    w.writeFieldStop();
  }

  private writeReference(ref: SpanReferenceData): void {
    const w = this.writer;
    w.writeI32Field(1, 0, ref.type === 'follows_from' ? 1 : 0);
    const traceId = ref.traceId;
    const end = traceId.length;
    w.writeI64Field(2, 1, hexToUint32(traceId, end - 16, end - 8), hexToUint32(traceId, end - 8, end));
    w.writeI64Field(3, 2, hexToUint32(traceId, end - 32, end - 24), hexToUint32(traceId, end - 24, end - 16));
    this.writeHexField(4, 3, ref.spanId);
    w.writeFieldStop();
  }

  /** An i64 field from up to 16 hex digits (the last 16 when longer). */
  private writeHexField(id: number, previousId: number, hex: string): void {
    const end = hex.length;
    this.writer.writeI64Field(id, previousId, hexToUint32(hex, end - 16, end - 8), hexToUint32(hex, end - 8, end));
  }

  /** Keeps the trace id's words: those made with it when they still match, else parsed. */
  private useTraceId(traceId: string, spanWords: TraceIdWords | undefined): void {
    const words = matchingWords(traceId, spanWords);
    if (words !== undefined) {
      this.traceLowHi = words.lowHigh;
      this.traceLowLo = words.lowLow;
      this.traceHighHi = words.highHigh;
      this.traceHighLo = words.highLow;
      this.cachedTraceId = traceId;
    } else {
      this.parseTraceId(traceId);
    }
  }

  /** Low word = last 16 digits, high word = the 16 before them (0 for a 64-bit id). */
  private parseTraceId(traceId: string): void {
    const end = traceId.length;
    this.traceLowHi = hexToUint32(traceId, end - 16, end - 8);
    this.traceLowLo = hexToUint32(traceId, end - 8, end);
    this.traceHighHi = hexToUint32(traceId, end - 32, end - 24);
    this.traceHighLo = hexToUint32(traceId, end - 24, end - 16);
    this.cachedTraceId = traceId;
  }
}
