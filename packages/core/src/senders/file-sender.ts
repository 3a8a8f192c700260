/**
 * Writes traces to a file as the JSON that Jaeger query's `/api/traces` returns, which is what
 * Jaeger UI's "Upload JSON" (search page -> JSON File) opens: a way to look at traces with no
 * collector running. Spans of one trace arrive over many sends, so traces are kept in memory
 * (bounded) and the whole file is rewritten atomically (temp file + rename) on each send: it
 * is always valid JSON holding every trace kept so far.
 */
import { promises as fs } from 'fs';
import { OnceLogger, silentLogger, type Logger } from '../logger';
import { tagValueToText } from '../otlp/tag-value';
import type { LogRecord, ProcessData, SpanData, SpanReferenceData, TagValue } from '../span-data';
import type { BatchMeta, SendResult, Sender } from './sender';

/** Jaeger JSON `KeyValue`. */
export interface JaegerJsonKeyValue {
  key: string;
  type: 'string' | 'bool' | 'int64' | 'float64' | 'binary';
  value: string | number | boolean;
}

export interface JaegerJsonLog {
  /** Microseconds since the epoch. */
  timestamp: number;
  fields: JaegerJsonKeyValue[];
}

export interface JaegerJsonReference {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  traceID: string;
  spanID: string;
}

export interface JaegerJsonSpan {
  traceID: string;
  spanID: string;
  flags: number;
  operationName: string;
  /** The parent first (as CHILD_OF), then the span's other references. */
  references: JaegerJsonReference[];
  /** Microseconds since the epoch. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags: JaegerJsonKeyValue[];
  logs: JaegerJsonLog[];
  processID: string;
  warnings: string[] | null;
}

export interface JaegerJsonProcess {
  serviceName: string;
  tags: JaegerJsonKeyValue[];
}

export interface JaegerJsonTrace {
  traceID: string;
  spans: JaegerJsonSpan[];
  processes: Record<string, JaegerJsonProcess>;
  warnings: string[] | null;
}

export interface FileSenderOptions {
  /** The file to (re)write. Its directory must exist; a failed write is counted, not thrown. */
  path: string;
  /** Traces kept (and written); spans of further traces are dropped and counted. Default 1000. */
  maxTraces?: number;
  /** Spans kept across all traces; further spans are dropped and counted. Default 100000. */
  maxSpans?: number;
  /** Where failures are logged, once per kind. Default: silent. */
  logger?: Logger;
}

export interface FileSenderStats {
  traces: number;
  spans: number;
  /** Spans not kept because a bound was reached. */
  droppedSpans: number;
  writeFailures: number;
}

/** Jaeger prints a 128-bit trace id whose high half is zero as 16 hex chars; match it. */
function jaegerTraceId(traceId: string): string {
  return traceId.length === 32 && traceId.startsWith('0000000000000000') ? traceId.slice(16) : traceId;
}

const MIN_SAFE_BIGINT = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);

/** A tag as Jaeger JSON: integers as int64 (only when exact in JSON), other numbers as float64. */
export function toJaegerKeyValue(key: string, value: TagValue): JaegerJsonKeyValue {
  switch (typeof value) {
    case 'string':
      return { key, type: 'string', value };
    case 'boolean':
      return { key, type: 'bool', value };
    case 'number':
      if (Number.isSafeInteger(value)) return { key, type: 'int64', value };
      if (Number.isFinite(value)) return { key, type: 'float64', value };
      return { key, type: 'string', value: String(value) }; // NaN/Infinity have no JSON form
    case 'bigint':
      // Beyond 2^53 a JSON number would be read back rounded, so such values go as text.
      if (value >= MIN_SAFE_BIGINT && value <= MAX_SAFE_BIGINT) return { key, type: 'int64', value: Number(value) };
      return { key, type: 'string', value: value.toString() };
    default:
      if (value instanceof Uint8Array) {
        return { key, type: 'binary', value: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
      }
      return { key, type: 'string', value: tagValueToText(value) };
  }
}

function toJaegerLog(log: LogRecord): JaegerJsonLog {
  return { timestamp: log.timestamp, fields: log.fields.map((f) => toJaegerKeyValue(f.key, f.value)) };
}

function toJaegerReference(reference: SpanReferenceData): JaegerJsonReference {
  return {
    refType: reference.type === 'follows_from' ? 'FOLLOWS_FROM' : 'CHILD_OF',
    traceID: jaegerTraceId(reference.traceId),
    spanID: reference.spanId,
  };
}

/** A span as Jaeger JSON; `processID` names its process in the trace's `processes`. */
export function toJaegerJsonSpan(span: SpanData, processID: string): JaegerJsonSpan {
  const traceID = jaegerTraceId(span.traceId);
  const references: JaegerJsonReference[] = [];
  if (span.parentId) references.push({ refType: 'CHILD_OF', traceID, spanID: span.parentId });
  for (const reference of span.references) references.push(toJaegerReference(reference));
  return {
    traceID,
    spanID: span.spanId,
    flags: span.flags,
    operationName: span.operationName,
    references,
    startTime: span.startTime,
    duration: span.duration,
    tags: span.tags.map((t) => toJaegerKeyValue(t.key, t.value)),
    logs: span.logs.map(toJaegerLog),
    processID,
    warnings: null,
  };
}

export function toJaegerJsonProcess(process: ProcessData): JaegerJsonProcess {
  return { serviceName: process.serviceName, tags: process.tags.map((t) => toJaegerKeyValue(t.key, t.value)) };
}

interface StoredTrace {
  trace: JaegerJsonTrace;
  /** Process objects already in `trace.processes`, by identity, so each gets one id. */
  processIds: Map<JaegerJsonProcess, string>;
  /** The trace's JSON text, kept until a span is added so unchanged traces are not re-serialized. */
  json: string | null;
}

export class FileSender implements Sender {
  private readonly path: string;
  private readonly tempPath: string;
  private readonly maxTraces: number;
  private readonly maxSpans: number;
  private readonly log: OnceLogger;
  private readonly traces = new Map<string, StoredTrace>();
  private process: JaegerJsonProcess = { serviceName: 'unknown_service', tags: [] };
  private spanCount = 0;
  private droppedSpans = 0;
  private writeFailures = 0;
  /** Bumped on every change; a write persists the version it rendered. */
  private version = 0;
  private persistedVersion = 0;
  private lastWriteError: Error | undefined;
  private writeChain: Promise<void> = Promise.resolve();
  private closing: Promise<void> | null = null;

  constructor(options: FileSenderOptions) {
    if (!options || typeof options.path !== 'string' || options.path === '') {
      throw new TypeError('FileSender needs a `path`');
    }
    this.path = options.path;
    this.tempPath = `${options.path}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
    this.maxTraces = Math.max(1, options.maxTraces ?? 1000);
    this.maxSpans = Math.max(1, options.maxSpans ?? 100_000);
    this.log = new OnceLogger(options.logger ?? silentLogger);
  }

  get stats(): FileSenderStats {
    return { traces: this.traces.size, spans: this.spanCount, droppedSpans: this.droppedSpans, writeFailures: this.writeFailures };
  }

  setProcess(process: ProcessData): void {
    try {
      this.process = toJaegerJsonProcess(process);
    } catch (err) {
      this.log.errorOnce('file-process', `file sender: could not convert process: ${(err as Error).message}`);
    }
  }

  /** Never rejects. Spans kept but not yet written (a failed write) go out with the next successful one. */
  async send(spans: readonly SpanData[], _meta?: BatchMeta): Promise<SendResult> {
    if (spans.length === 0) return { sent: 0, failed: 0 };
    if (this.closing) return { sent: 0, failed: spans.length, error: new Error('file sender is closed') };
    let added = 0;
    let dropped = 0;
    try {
      for (const span of spans) {
        if (this.store(span)) added++;
        else dropped++;
      }
    } catch (err) {
      this.log.errorOnce('file-convert', `file sender: could not convert a span: ${(err as Error).message}`);
      dropped = spans.length - added;
    }
    if (dropped > 0) {
      this.droppedSpans += dropped;
      this.log.errorOnce('file-full', `file sender: dropping spans, ${this.path} holds at most ${this.maxTraces} traces / ${this.maxSpans} spans`);
    }
    const dropError = dropped > 0 ? new Error(`${dropped} span(s) dropped: file sender bounds reached`) : undefined;
    if (added === 0) return { sent: 0, failed: dropped, error: dropError };

    this.version++;
    const written = await this.persist();
    if (!written) return { sent: 0, failed: spans.length, error: this.lastWriteError };
    return dropError ? { sent: added, failed: dropped, error: dropError } : { sent: added, failed: 0 };
  }

  /** Waits for the last write; idempotent, never rejects. */
  close(): Promise<void> {
    if (!this.closing) this.closing = this.writeChain.then(() => undefined);
    return this.closing;
  }

  /** Adds a span to its trace; false when a bound keeps it out. */
  private store(span: SpanData): boolean {
    if (this.spanCount >= this.maxSpans) return false;
    const traceID = jaegerTraceId(span.traceId);
    let stored = this.traces.get(traceID);
    if (!stored) {
      if (this.traces.size >= this.maxTraces) return false;
      stored = { trace: { traceID, spans: [], processes: {}, warnings: null }, processIds: new Map(), json: null };
      this.traces.set(traceID, stored);
    }
    let processID = stored.processIds.get(this.process);
    if (!processID) {
      processID = `p${stored.processIds.size + 1}`;
      stored.processIds.set(this.process, processID);
      stored.trace.processes[processID] = this.process;
    }
    stored.trace.spans.push(toJaegerJsonSpan(span, processID));
    stored.json = null;
    this.spanCount++;
    return true;
  }

  /** Queues a write behind any under way; resolves true once the current version is on disk. */
  private persist(): Promise<boolean> {
    const wanted = this.version;
    this.writeChain = this.writeChain.then(() => this.writeIfBehind());
    return this.writeChain.then(() => this.persistedVersion >= wanted);
  }

  private async writeIfBehind(): Promise<void> {
    if (this.persistedVersion >= this.version) return; // an earlier queued write already covered it
    const version = this.version;
    try {
      await fs.writeFile(this.tempPath, this.render());
      await fs.rename(this.tempPath, this.path);
      this.persistedVersion = version;
    } catch (err) {
      this.writeFailures++;
      this.lastWriteError = err as Error;
      this.log.errorOnce(`file-write-${(err as NodeJS.ErrnoException).code ?? 'error'}`, `file sender: could not write ${this.path}: ${(err as Error).message}`);
      await fs.unlink(this.tempPath).catch(() => undefined);
    }
  }

  /** The `/api/traces` response body, reusing each unchanged trace's JSON. */
  private render(): string {
    const parts: string[] = [];
    for (const stored of this.traces.values()) {
      stored.json ??= JSON.stringify(stored.trace);
      parts.push(stored.json);
    }
    return `{"data":[${parts.join(',')}],"total":0,"limit":0,"offset":0,"errors":null}\n`;
  }
}
