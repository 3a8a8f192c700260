/**
 * Encodes our spans as an OTLP `ExportTraceServiceRequest`
 * (opentelemetry/proto/collector/trace/v1) straight into a reusable buffer:
 * one ResourceSpans (the process) holding one ScopeSpans (scope `jt`).
 */
import type { LogRecord, ProcessData, SpanData, SpanReferenceData, TagValue } from '../span-data';
import { tagPairsOf } from '../span';
import { matchingWords } from '../trace-id-words';
import { writeKeyValue } from './any-value';
import { ProtoWriter, WireType } from './proto-writer';
import { tagValueToText } from './tag-value';

// Field numbers from the OTLP .proto files.
const REQUEST_RESOURCE_SPANS = 1;
const RESOURCE_SPANS_RESOURCE = 1;
const RESOURCE_SPANS_SCOPE_SPANS = 2;
const RESOURCE_ATTRIBUTES = 1;
const SCOPE_SPANS_SCOPE = 1;
const SCOPE_SPANS_SPANS = 2;
const SCOPE_NAME = 1;
const SCOPE_VERSION = 2;
const SPAN_TRACE_ID = 1;
const SPAN_SPAN_ID = 2;
const SPAN_PARENT_SPAN_ID = 4;
const SPAN_NAME = 5;
const SPAN_KIND = 6;
const SPAN_START_TIME = 7;
const SPAN_END_TIME = 8;
const SPAN_ATTRIBUTES = 9;
const SPAN_EVENTS = 11;
const SPAN_LINKS = 13;
const SPAN_STATUS = 15;
const SPAN_FLAGS = 16;
const EVENT_TIME = 1;
const EVENT_NAME = 2;
const EVENT_ATTRIBUTES = 3;
const LINK_TRACE_ID = 1;
const LINK_SPAN_ID = 2;
const LINK_ATTRIBUTES = 4;
const STATUS_MESSAGE = 2;
const STATUS_CODE = 3;

/** OTLP `Span.SpanKind`. */
export const enum OtlpSpanKind {
  Internal = 1,
  Server = 2,
  Client = 3,
  Producer = 4,
  Consumer = 5,
}

/** OTLP `Status.StatusCode`. */
export const enum OtlpStatusCode {
  Unset = 0,
  Ok = 1,
  Error = 2,
}

/** `span.kind` tag values with an OTLP kind of their own; any other value stays an attribute. */
const KIND_BY_TAG: ReadonlyMap<unknown, OtlpSpanKind> = new Map([
  ['server', OtlpSpanKind.Server],
  ['client', OtlpSpanKind.Client],
  ['producer', OtlpSpanKind.Producer],
  ['consumer', OtlpSpanKind.Consumer],
]);

/** W3C sampled bit: the only Jaeger flag with an OTLP meaning (Span.flags bits 0-7). */
const W3C_SAMPLED = 0x01;

const TWO_32 = 4294967296;

/** The version of @jt/core, read at runtime so it is never out of date (src/ and dist/ sit at the same depth). */
function readOwnVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const pkg = require('../../package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '';
  } catch {
    return '';
  }
}

/**
 * Writes a fixed64 of `micros * 1000` nanoseconds, exactly: the product passes 2^53 for any
 * current date, so it is computed on 32-bit halves instead of as one float.
 */
export function writeMicrosAsNanos(writer: ProtoWriter, micros: number): void {
  if (!(micros > 0)) {
    writer.fixed64(0, 0);
    return;
  }
  const whole = Math.floor(micros);
  const fractionNanos = Math.round((micros - whole) * 1000);
  const hi = Math.floor(whole / TWO_32);
  const lo = whole - hi * TWO_32;
  const loNanos = lo * 1000 + fractionNanos; // < 2^42: exact
  const carry = Math.floor(loNanos / TWO_32);
  writer.fixed64(loNanos - carry * TWO_32, hi * 1000 + carry);
}

/** Hex id of `width` hex chars: 64-bit trace ids are left-padded to 128 bits. */
function fixedHex(id: string, width: number): string {
  if (id.length === width) return id;
  return id.length < width ? id.padStart(width, '0') : id.slice(id.length - width);
}

function isErrorFlag(value: unknown): boolean {
  return value === true || value === 'true';
}

/** The message of the span's first error log: its `message` field, else the `error.object`'s message. */
function errorMessageOf(logs: readonly LogRecord[]): string {
  for (const log of logs) {
    let isErrorLog = false;
    let message: string | undefined;
    let errorObject: Error | undefined;
    for (const field of log.fields) {
      if (field.key === 'event' && field.value === 'error') isErrorLog = true;
      else if (field.key === 'message' && field.value != null) message = tagValueToText(field.value);
      else if (field.key === 'error.object' && field.value instanceof Error) errorObject = field.value;
    }
    if (isErrorLog || errorObject) {
      if (message !== undefined) return message;
      if (errorObject) return errorObject.message;
    }
  }
  return '';
}

export interface OtlpTraceEncoderOptions {
  /** InstrumentationScope name. Default `'jt'`. */
  scopeName?: string;
  /** InstrumentationScope version. Default: this package's version. */
  scopeVersion?: string;
  /** Initial size of the reusable buffer in bytes. Default 64 KiB (it grows as needed). */
  initialBufferSize?: number;
}

export class OtlpTraceEncoder {
  private readonly scopeName: string;
  private readonly scopeVersion: string;
  private readonly writer: ProtoWriter;
  /** The process as an encoded `Resource` body, built once per `setProcess`. */
  private resource: Buffer;

  constructor(options: OtlpTraceEncoderOptions = {}) {
    this.scopeName = options.scopeName ?? 'jt';
    this.scopeVersion = options.scopeVersion ?? readOwnVersion();
    this.writer = new ProtoWriter(options.initialBufferSize ?? 64 * 1024);
    this.resource = Buffer.alloc(0);
    this.setProcess({ serviceName: 'unknown_service', tags: [] });
  }

  /**
   * Process -> resource attributes: `service.name` = serviceName, `hostname` becomes
   * `host.name` (as Jaeger's own Jaeger-to-OTLP translation does), every other tag as is.
   */
  setProcess(process: ProcessData): void {
    const writer = new ProtoWriter(256);
    writeKeyValue(writer, RESOURCE_ATTRIBUTES, 'service.name', process.serviceName);
    for (const tag of process.tags) {
      if (tag.key === 'service.name') continue;
      writeKeyValue(writer, RESOURCE_ATTRIBUTES, tag.key === 'hostname' ? 'host.name' : tag.key, tag.value);
    }
    this.resource = Buffer.from(writer.finish());
  }

  /**
   * Encodes a request holding `spans`. Without `writer` the encoder's own buffer is reused:
   * the result is then a view that the next `encode` call overwrites.
   */
  encode(spans: readonly SpanData[], writer: ProtoWriter = this.writer): Buffer {
    writer.reset();
    const resourceSpans = writer.beginMessage(REQUEST_RESOURCE_SPANS);
    writer.tag(RESOURCE_SPANS_RESOURCE, WireType.LengthDelimited).bytes(this.resource);
    const scopeSpans = writer.beginMessage(RESOURCE_SPANS_SCOPE_SPANS);
    const scope = writer.beginMessage(SCOPE_SPANS_SCOPE);
    writer.tag(SCOPE_NAME, WireType.LengthDelimited).string(this.scopeName);
    if (this.scopeVersion) writer.tag(SCOPE_VERSION, WireType.LengthDelimited).string(this.scopeVersion);
    writer.endMessage(scope);
    for (const span of spans) writeSpan(writer, span);
    writer.endMessage(scopeSpans);
    writer.endMessage(resourceSpans);
    return writer.finish();
  }
}

function writeSpan(writer: ProtoWriter, span: SpanData): void {
  let kind: OtlpSpanKind = OtlpSpanKind.Internal;
  let isError = false;
  const pairs = tagPairsOf(span);
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const key = pairs[i];
    if (key === 'span.kind') kind = KIND_BY_TAG.get(pairs[i + 1]) ?? kind;
    else if (key === 'error' && isErrorFlag(pairs[i + 1])) isError = true;
  }

  const start = writer.beginMessage(SCOPE_SPANS_SPANS);
  const words = matchingWords(span.traceId, span.traceIdWords);
  if (words !== undefined) {
    // a trace id made here: its words, not its 32 hex chars parsed back
    writer.tag(SPAN_TRACE_ID, WireType.LengthDelimited).idWords(words.highHigh, words.highLow, words.lowHigh, words.lowLow);
  } else {
    writer.tag(SPAN_TRACE_ID, WireType.LengthDelimited).hexBytes(fixedHex(span.traceId, 32));
  }
  writer.tag(SPAN_SPAN_ID, WireType.LengthDelimited).hexBytes(fixedHex(span.spanId, 16));
  if (span.parentId) {
    writer.tag(SPAN_PARENT_SPAN_ID, WireType.LengthDelimited).hexBytes(fixedHex(span.parentId, 16));
  }
  writer.tag(SPAN_NAME, WireType.LengthDelimited).string(span.operationName);
  writer.tag(SPAN_KIND, WireType.Varint).uint32(kind);
  writer.tag(SPAN_START_TIME, WireType.Fixed64);
  writeMicrosAsNanos(writer, span.startTime);
  writer.tag(SPAN_END_TIME, WireType.Fixed64);
  writeMicrosAsNanos(writer, span.startTime + span.duration);
  writeAttributes(writer, pairs);
  for (const log of span.logs) writeEvent(writer, log);
  for (const reference of span.references) writeLink(writer, reference);
  if (isError) {
    const status = writer.beginMessage(SPAN_STATUS);
    const message = errorMessageOf(span.logs);
    if (message) writer.tag(STATUS_MESSAGE, WireType.LengthDelimited).string(message);
    writer.tag(STATUS_CODE, WireType.Varint).uint32(OtlpStatusCode.Error);
    writer.endMessage(status);
  }
  writer.tag(SPAN_FLAGS, WireType.Fixed32).fixed32(span.flags & W3C_SAMPLED);
  writer.endMessage(start);
}

/** Tags -> attributes, minus those carried by `kind` and `status` instead. */
function writeAttributes(writer: ProtoWriter, pairs: readonly unknown[]): void {
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const key = pairs[i] as string;
    const value = pairs[i + 1] as TagValue;
    if (key === 'span.kind' && KIND_BY_TAG.has(value)) continue;
    if (key === 'error' && isErrorFlag(value)) continue;
    writeKeyValue(writer, SPAN_ATTRIBUTES, key, value);
  }
}

/** Log -> Event: name from the `event` field (else `'log'`), the other fields as attributes. */
function writeEvent(writer: ProtoWriter, log: LogRecord): void {
  let name = 'log';
  for (const field of log.fields) {
    if (field.key === 'event') {
      name = tagValueToText(field.value);
      break;
    }
  }
  const event = writer.beginMessage(SPAN_EVENTS);
  writer.tag(EVENT_TIME, WireType.Fixed64);
  writeMicrosAsNanos(writer, log.timestamp);
  writer.tag(EVENT_NAME, WireType.LengthDelimited).string(name);
  for (const field of log.fields) {
    if (field.key !== 'event') writeKeyValue(writer, EVENT_ATTRIBUTES, field.key, field.value);
  }
  writer.endMessage(event);
}

/** Reference -> Link, its type kept as the `opentracing.ref_type` attribute that Jaeger reads back. */
function writeLink(writer: ProtoWriter, reference: SpanReferenceData): void {
  const link = writer.beginMessage(SPAN_LINKS);
  writer.tag(LINK_TRACE_ID, WireType.LengthDelimited).hexBytes(fixedHex(reference.traceId, 32));
  writer.tag(LINK_SPAN_ID, WireType.LengthDelimited).hexBytes(fixedHex(reference.spanId, 16));
  writeKeyValue(writer, LINK_ATTRIBUTES, 'opentracing.ref_type', reference.type);
  writer.endMessage(link);
}
