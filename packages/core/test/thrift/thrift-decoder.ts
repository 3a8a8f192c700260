/**
 * An independent decoder for what our encoder writes: Apache Thrift's npm `thrift` package
 * (TCompactProtocol / TBinaryProtocol over TBufferedTransport) reads the bytes, and the
 * jaeger.thrift structs are walked by hand with readStructBegin / readFieldBegin / ... .
 * Every field's wire type is checked, unknown fields fail, and all bytes must be consumed.
 */
import assert from 'node:assert/strict';

/* The `thrift` package ships no types; this is the slice of its API the decoder uses. */
interface Int64Like {
  buffer: Buffer;
  offset: number;
}
export interface TProtocolReader {
  readMessageBegin(): { fname: string; mtype: number; rseqid: number };
  readMessageEnd(): void;
  readStructBegin(): unknown;
  readStructEnd(): void;
  readFieldBegin(): { ftype: number; fid: number };
  readFieldEnd(): void;
  readListBegin(): { etype: number; size: number };
  readListEnd(): void;
  readBool(): boolean;
  readI32(): number;
  readI64(): Int64Like;
  readDouble(): number;
  readString(): string;
  readBinary(): Buffer;
}
interface TTransport {
  readCursor: number;
  writeCursor: number;
}
interface ThriftModule {
  TBufferedTransport: { receiver(cb: (transport: TTransport) => void): (data: Buffer) => void };
  TCompactProtocol: new (transport: TTransport) => TProtocolReader;
  TBinaryProtocol: new (transport: TTransport, strictRead?: boolean, strictWrite?: boolean) => TProtocolReader;
  Thrift: { Type: Record<string, number>; MessageType: Record<string, number> };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const thrift = require('thrift') as ThriftModule;

/** Thrift's own TType numbers, from the `thrift` package. */
export const T = thrift.Thrift.Type as {
  STOP: number;
  BOOL: number;
  I32: number;
  I64: number;
  DOUBLE: number;
  STRING: number;
  STRUCT: number;
  LIST: number;
};

export type Protocol = 'compact' | 'binary';

export interface DecodedTag {
  key: string;
  vType: number;
  vStr?: string;
  vDouble?: number;
  vBool?: boolean;
  vLong?: bigint;
  vBinary?: Buffer;
}
export interface DecodedLog {
  timestamp: bigint;
  fields: DecodedTag[];
}
export interface DecodedRef {
  refType: number;
  traceIdLow: bigint;
  traceIdHigh: bigint;
  spanId: bigint;
}
export interface DecodedSpan {
  traceIdLow: bigint;
  traceIdHigh: bigint;
  spanId: bigint;
  parentSpanId: bigint;
  operationName: string;
  references?: DecodedRef[];
  flags: number;
  startTime: bigint;
  duration: bigint;
  tags?: DecodedTag[];
  logs?: DecodedLog[];
}
export interface DecodedProcess {
  serviceName: string;
  tags?: DecodedTag[];
}
export interface DecodedStats {
  fullQueueDroppedSpans: bigint;
  tooLargeDroppedSpans: bigint;
  failedToEmitSpans: bigint;
}
export interface DecodedBatch {
  process: DecodedProcess;
  spans: DecodedSpan[];
  seqNo?: bigint;
  stats?: DecodedStats;
}
export interface DecodedMessage {
  name: string;
  type: number;
  seqid: number;
  batch: DecodedBatch;
}

/** Runs `read` over `bytes` with thrift's reader for `protocol`, and checks nothing is left over. */
export function readWith<T>(protocol: Protocol, bytes: Buffer, read: (p: TProtocolReader) => T): T {
  let transport: TTransport | undefined;
  thrift.TBufferedTransport.receiver((t) => {
    transport = t;
  })(Buffer.from(bytes));
  assert.ok(transport);
  const p =
    protocol === 'compact' ? new thrift.TCompactProtocol(transport) : new thrift.TBinaryProtocol(transport, true);
  const result = read(p);
  assert.equal(transport.readCursor, transport.writeCursor, 'trailing bytes after the thrift value');
  return result;
}

/** A UDP datagram: `Agent.emitBatch(1: Batch)` message. */
export function decodeEmitBatch(protocol: Protocol, bytes: Buffer): DecodedMessage {
  return readWith(protocol, bytes, (p) => {
    const header = p.readMessageBegin();
    let batch: DecodedBatch | undefined;
    readStruct(p, (fid, ftype) => {
      assert.equal(fid, 1, 'emitBatch_args has only field 1');
      expectType(ftype, T.STRUCT, 'emitBatch_args.batch');
      batch = readBatch(p);
    });
    p.readMessageEnd();
    assert.ok(batch, 'emitBatch_args.batch missing');
    return { name: header.fname, type: header.mtype, seqid: header.rseqid, batch };
  });
}

/** A bare `Batch` struct (the HTTP collector body). */
export function decodeBatch(protocol: Protocol, bytes: Buffer): DecodedBatch {
  return readWith(protocol, bytes, readBatch);
}

/** A bare `Span` struct. */
export function decodeSpan(protocol: Protocol, bytes: Buffer): DecodedSpan {
  return readWith(protocol, bytes, readSpan);
}

/** Unsigned 16-digit hex of an i64, as Jaeger shows ids. */
export function hex64(value: bigint): string {
  return BigInt.asUintN(64, value).toString(16).padStart(16, '0');
}

/** The trace id as our SpanData carries it: 32 digits when the high half is set, else 16. */
export function traceIdHex(span: { traceIdHigh: bigint; traceIdLow: bigint }): string {
  return span.traceIdHigh === 0n ? hex64(span.traceIdLow) : hex64(span.traceIdHigh) + hex64(span.traceIdLow);
}

/** Tags as a `key -> tag` map (keys in a test are unique). */
export function tagMap(tags: DecodedTag[] | undefined): Map<string, DecodedTag> {
  return new Map((tags ?? []).map((t) => [t.key, t]));
}

function readStruct(p: TProtocolReader, onField: (fid: number, ftype: number) => void): void {
  p.readStructBegin();
  for (;;) {
    const field = p.readFieldBegin();
    if (field.ftype === T.STOP) break;
    onField(field.fid, field.ftype);
    p.readFieldEnd();
  }
  p.readStructEnd();
}

function expectType(actual: number, expected: number, what: string): void {
  assert.equal(actual, expected, `${what}: wire type ${actual}, expected ${expected}`);
}

function readList<T>(p: TProtocolReader, elementType: number, what: string, readOne: () => T): T[] {
  const list = p.readListBegin();
  expectType(list.etype, elementType, `${what} element`);
  const items: T[] = [];
  for (let i = 0; i < list.size; i++) items.push(readOne());
  p.readListEnd();
  return items;
}

function readI64(p: TProtocolReader): bigint {
  const v = p.readI64();
  return v.buffer.readBigInt64BE(v.offset);
}

function readBatch(p: TProtocolReader): DecodedBatch {
  const batch: Partial<DecodedBatch> = {};
  readStruct(p, (fid, ftype) => {
    switch (fid) {
      case 1:
        expectType(ftype, T.STRUCT, 'Batch.process');
        batch.process = readProcess(p);
        break;
      case 2:
        expectType(ftype, T.LIST, 'Batch.spans');
        batch.spans = readList(p, T.STRUCT, 'Batch.spans', () => readSpan(p));
        break;
      case 3:
        expectType(ftype, T.I64, 'Batch.seqNo');
        batch.seqNo = readI64(p);
        break;
      case 4:
        expectType(ftype, T.STRUCT, 'Batch.stats');
        batch.stats = readStats(p);
        break;
      default:
        assert.fail(`unknown Batch field ${fid}`);
    }
  });
  assert.ok(batch.process, 'Batch.process is required');
  assert.ok(batch.spans, 'Batch.spans is required');
  return batch as DecodedBatch;
}

function readProcess(p: TProtocolReader): DecodedProcess {
  const process: Partial<DecodedProcess> = {};
  readStruct(p, (fid, ftype) => {
    if (fid === 1) {
      expectType(ftype, T.STRING, 'Process.serviceName');
      process.serviceName = p.readString();
    } else if (fid === 2) {
      expectType(ftype, T.LIST, 'Process.tags');
      process.tags = readList(p, T.STRUCT, 'Process.tags', () => readTag(p));
    } else {
      assert.fail(`unknown Process field ${fid}`);
    }
  });
  assert.equal(typeof process.serviceName, 'string', 'Process.serviceName is required');
  return process as DecodedProcess;
}

function readStats(p: TProtocolReader): DecodedStats {
  const stats: Partial<DecodedStats> = {};
  const names = ['', 'fullQueueDroppedSpans', 'tooLargeDroppedSpans', 'failedToEmitSpans'] as const;
  readStruct(p, (fid, ftype) => {
    assert.ok(fid >= 1 && fid <= 3, `unknown ClientStats field ${fid}`);
    expectType(ftype, T.I64, `ClientStats.${names[fid]}`);
    stats[names[fid] as keyof DecodedStats] = readI64(p);
  });
  for (const name of names.slice(1)) assert.equal(typeof stats[name as keyof DecodedStats], 'bigint', name);
  return stats as DecodedStats;
}

function readSpan(p: TProtocolReader): DecodedSpan {
  const span: Partial<DecodedSpan> = {};
  const i64Fields: Record<number, keyof DecodedSpan> = {
    1: 'traceIdLow',
    2: 'traceIdHigh',
    3: 'spanId',
    4: 'parentSpanId',
    8: 'startTime',
    9: 'duration',
  };
  readStruct(p, (fid, ftype) => {
    const i64Name = i64Fields[fid];
    if (i64Name !== undefined) {
      expectType(ftype, T.I64, `Span.${i64Name}`);
      (span as Record<string, unknown>)[i64Name] = readI64(p);
      return;
    }
    switch (fid) {
      case 5:
        expectType(ftype, T.STRING, 'Span.operationName');
        span.operationName = p.readString();
        break;
      case 6:
        expectType(ftype, T.LIST, 'Span.references');
        span.references = readList(p, T.STRUCT, 'Span.references', () => readRef(p));
        break;
      case 7:
        expectType(ftype, T.I32, 'Span.flags');
        span.flags = p.readI32();
        break;
      case 10:
        expectType(ftype, T.LIST, 'Span.tags');
        span.tags = readList(p, T.STRUCT, 'Span.tags', () => readTag(p));
        break;
      case 11:
        expectType(ftype, T.LIST, 'Span.logs');
        span.logs = readList(p, T.STRUCT, 'Span.logs', () => readLog(p));
        break;
      default:
        assert.fail(`unknown Span field ${fid}`);
    }
  });
  for (const name of [...Object.values(i64Fields), 'operationName', 'flags']) {
    assert.ok(name in span, `Span.${name} is required`);
  }
  return span as DecodedSpan;
}

function readRef(p: TProtocolReader): DecodedRef {
  const ref: Partial<DecodedRef> = {};
  const names = ['', 'refType', 'traceIdLow', 'traceIdHigh', 'spanId'] as const;
  readStruct(p, (fid, ftype) => {
    assert.ok(fid >= 1 && fid <= 4, `unknown SpanRef field ${fid}`);
    if (fid === 1) {
      expectType(ftype, T.I32, 'SpanRef.refType');
      ref.refType = p.readI32();
    } else {
      expectType(ftype, T.I64, `SpanRef.${names[fid]}`);
      (ref as Record<string, unknown>)[names[fid]] = readI64(p);
    }
  });
  for (const name of names.slice(1)) assert.ok(name in ref, `SpanRef.${name} is required`);
  return ref as DecodedRef;
}

function readLog(p: TProtocolReader): DecodedLog {
  const log: Partial<DecodedLog> = {};
  readStruct(p, (fid, ftype) => {
    if (fid === 1) {
      expectType(ftype, T.I64, 'Log.timestamp');
      log.timestamp = readI64(p);
    } else if (fid === 2) {
      expectType(ftype, T.LIST, 'Log.fields');
      log.fields = readList(p, T.STRUCT, 'Log.fields', () => readTag(p));
    } else {
      assert.fail(`unknown Log field ${fid}`);
    }
  });
  assert.ok(log.timestamp !== undefined && log.fields !== undefined, 'Log fields are required');
  return log as DecodedLog;
}

function readTag(p: TProtocolReader): DecodedTag {
  const tag: Partial<DecodedTag> = {};
  readStruct(p, (fid, ftype) => {
    switch (fid) {
      case 1:
        expectType(ftype, T.STRING, 'Tag.key');
        tag.key = p.readString();
        break;
      case 2:
        expectType(ftype, T.I32, 'Tag.vType');
        tag.vType = p.readI32();
        break;
      case 3:
        expectType(ftype, T.STRING, 'Tag.vStr');
        tag.vStr = p.readString();
        break;
      case 4:
        expectType(ftype, T.DOUBLE, 'Tag.vDouble');
        tag.vDouble = p.readDouble();
        break;
      case 5:
        expectType(ftype, T.BOOL, 'Tag.vBool');
        tag.vBool = p.readBool();
        break;
      case 6:
        expectType(ftype, T.I64, 'Tag.vLong');
        tag.vLong = readI64(p);
        break;
      case 7:
        expectType(ftype, T.STRING, 'Tag.vBinary');
        tag.vBinary = Buffer.from(p.readBinary());
        break;
      default:
        assert.fail(`unknown Tag field ${fid}`);
    }
  });
  assert.equal(typeof tag.key, 'string', 'Tag.key is required');
  assert.equal(typeof tag.vType, 'number', 'Tag.vType is required');
  // exactly the value field that vType names, nothing else
  const valueFields = (['vStr', 'vDouble', 'vBool', 'vLong', 'vBinary'] as const).filter((k) => k in tag);
  assert.deepEqual(valueFields, [['vStr', 'vDouble', 'vBool', 'vLong', 'vBinary'][tag.vType!]], `tag ${tag.key}`);
  return tag as DecodedTag;
}
