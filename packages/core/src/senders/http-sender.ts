/**
 * Sends spans to a Jaeger collector over HTTP: `POST {endpoint}` (e.g.
 * `http://localhost:14268/api/traces`) with `Content-Type: application/x-thrift` and one
 * binary-protocol `Batch` as the body. Basic auth or a bearer token; a keep-alive agent; a
 * timeout that destroys the request; bounded retries with exponential backoff on 5xx and
 * network errors (not on 4xx, nor on a timeout, which would only pile up behind a stalled
 * collector). The requests run with tracing suppressed, so they are never traced themselves
 * (the POST itself is `HttpPost`, shared with the OTLP sender).
 */
import type * as http from 'node:http';
import { OnceLogger, silentLogger, type Logger } from '../logger';
import type { ProcessData, SpanData } from '../span-data';
import { encodeProcess, writeBatchBegin, writeBatchEnd } from '../thrift/jaeger-batch';
import { createThriftWriter, JaegerThriftEncoder } from '../thrift/jaeger-encoder';
import { encodeSpanList } from '../thrift/span-list';
import { extraHeaders, HttpPost, isSuccess, parseHttpEndpoint, type PostOutcome } from './http-post';
import { InFlight } from './in-flight';
import type { BatchMeta, ClientStats, SendResult, Sender } from './sender';

export const DEFAULT_COLLECTOR_ENDPOINT = 'http://localhost:14268/api/traces';
const CONTENT_TYPE = 'application/x-thrift';
/** Of an error reply, this many characters are kept for the log line; the rest is drained unread. */
const MAX_ERROR_BODY = 512;
const UNKNOWN_PROCESS: ProcessData = { serviceName: 'unknown_service', tags: [] };

export interface HTTPSenderOptions {
  /** Collector URL. Default `http://localhost:14268/api/traces`. Credentials in it mean basic auth. */
  endpoint?: string;
  /** Basic auth user (with `password`). */
  username?: string;
  password?: string;
  /** Bearer token; wins over basic auth. */
  authToken?: string;
  /** Extra request headers. Content-Type and Content-Length are always ours. */
  headers?: Record<string, string>;
  /** Per attempt: the request is destroyed when it has not completed by then. Default 5000 ms. */
  timeoutMs?: number;
  /** Attempts after the first, on 5xx and network errors. Default 2. */
  retries?: number;
  /** First backoff, doubled per retry (with up to 50% jitter off). Default 100 ms. */
  retryBaseDelayMs?: number;
  /** Your own agent (e.g. an https.Agent with a CA); by default a keep-alive one is made. */
  agent?: http.Agent;
  /** Where failures are logged, once per kind. Default: silent. */
  logger?: Logger;
}

/** Counts since the sender was made. `failedToEmitSpans` is Jaeger's `ClientStats` field. */
export interface HTTPSenderStats extends Partial<ClientStats> {
  failedToEmitSpans: number;
  sentSpans: number;
  requests: number;
  retries: number;
}

/**
 * The Jaeger collector transport: one POST per `send`. Spans that fail are counted in
 * {@link HTTPSender.stats} and logged once per kind; nothing throws after construction.
 */
export class HTTPSender implements Sender {
  readonly endpoint: string;
  private readonly http: HttpPost;
  private readonly log: OnceLogger;
  private readonly encoder = new JaegerThriftEncoder('binary', createThriftWriter('binary', 64 * 1024));
  private processBytes!: Buffer;
  private closing: Promise<void> | undefined;
  private readonly inFlight = new InFlight();
  private readonly counts = { failedToEmitSpans: 0, sentSpans: 0 };

  /** Throws (at init, never later) when `endpoint` is not an http(s) URL or a number is invalid. */
  constructor(options: HTTPSenderOptions = {}) {
    const endpoint = options.endpoint ?? DEFAULT_COLLECTOR_ENDPOINT;
    const url = parseHttpEndpoint(endpoint, 'collector endpoint');
    const urlUser = decodeURIComponent(url.username);
    const urlPassword = decodeURIComponent(url.password);
    url.username = '';
    url.password = '';
    this.endpoint = url.href;
    const timeoutMs = nonNegative('timeoutMs', options.timeoutMs ?? 5000);
    const retries = Math.floor(nonNegative('retries', options.retries ?? 2));
    const retryBaseDelayMs = nonNegative('retryBaseDelayMs', options.retryBaseDelayMs ?? 100);
    this.log = new OnceLogger(options.logger ?? silentLogger);

    const headers = extraHeaders(options.headers ?? {});
    const username = options.username ?? (urlUser || undefined);
    if (options.authToken) {
      headers.Authorization = `Bearer ${options.authToken}`;
    } else if (username !== undefined) {
      const password = options.password ?? urlPassword;
      headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    headers['Content-Type'] = CONTENT_TYPE;
    this.http = new HttpPost(url, {
      headers,
      timeoutMs,
      retries,
      isRetryable,
      // base * 2^attempt, minus up to half of it at random
      backoffMs: (attempt) => retryBaseDelayMs * 2 ** attempt * (1 - Math.random() * 0.5),
      // enough bytes for MAX_ERROR_BODY characters of UTF-8
      maxResponseBytes: MAX_ERROR_BODY * 4,
      agent: options.agent,
      maxSockets: 4,
    });
    this.setProcess(UNKNOWN_PROCESS);
  }

  /** Cumulative counters, for the reporter to merge into `ClientStats`. */
  stats(): HTTPSenderStats {
    return { ...this.counts, requests: this.http.requests, retries: this.http.retries };
  }

  setProcess(process: ProcessData): void {
    try {
      this.processBytes = encodeProcess('binary', process);
    } catch (err) {
      this.log.errorOnce('http-process', `HTTP sender: could not encode the process: ${describe(err)}`);
    }
  }

  /** Never rejects: lost spans come back in the result and in {@link stats}. */
  send(spans: readonly SpanData[], meta: BatchMeta): Promise<SendResult> {
    if (spans.length === 0) return Promise.resolve({ sent: 0, failed: 0 });
    if (this.closing !== undefined) return Promise.resolve(this.fail(spans.length, new Error('HTTP sender is closed')));
    let body: Buffer;
    let encodeFailed: number;
    let encodeError: Error | undefined;
    try {
      ({ body, failed: encodeFailed, error: encodeError } = this.encodeBody(spans, meta));
    } catch (err) {
      return Promise.resolve(this.fail(spans.length, err instanceof Error ? err : new Error(String(err))));
    }
    if (encodeFailed > 0) {
      this.counts.failedToEmitSpans += encodeFailed;
      this.log.errorOnce('http-encode', `HTTP sender: could not encode a span: ${describe(encodeError)}`);
    }
    const toPost = spans.length - encodeFailed;
    const task = this.postWithRetries(body, toPost)
      .catch((err: unknown) => this.fail(toPost, err instanceof Error ? err : new Error(String(err))))
      .then((result) => {
        if (encodeFailed === 0) return result;
        return { sent: result.sent, failed: result.failed + encodeFailed, error: result.error ?? encodeError };
      });
    return this.inFlight.track(task);
  }

  /** Stops retrying, waits for requests under way, then frees the sockets. Idempotent; never rejects. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.http.stopRetrying();
      await this.inFlight.settled();
      this.http.destroy();
    })();
    return this.closing;
  }

  /**
   * One `Batch` (binary protocol). Its span-list header has a fixed size there, so spans are
   * encoded in place and the count patched if a span could not be encoded.
   */
  private encodeBody(spans: readonly SpanData[], meta: BatchMeta): { body: Buffer; failed: number; error?: Error } {
    const encoder = this.encoder;
    const w = encoder.writer;
    w.reset();
    writeBatchBegin(encoder, this.processBytes, spans.length);
    const countAt = w.pos - 4;
    const list = encodeSpanList(encoder, spans);
    if (list.ends.length !== spans.length) w.buf.writeInt32BE(list.ends.length, countAt);
    writeBatchEnd(encoder, { seqNo: meta?.seqNo, stats: meta?.stats });
    return { body: w.toBuffer(), failed: list.failed, error: list.error };
  }

  private async postWithRetries(body: Buffer, spanCount: number): Promise<SendResult> {
    if (spanCount === 0) return { sent: 0, failed: 0 };
    const { outcome } = await this.http.post(body);
    if (isSuccess(outcome)) {
      this.counts.sentSpans += spanCount;
      return { sent: spanCount, failed: 0 };
    }
    const error = outcome.kind === 'response' ? replyError(outcome) : outcome.error!;
    const key = outcome.kind === 'response' ? `http-status-${outcome.status}` : `http-net-${errorCode(error)}`;
    this.log.errorOnce(key, `HTTP sender: POST ${this.endpoint} failed: ${error.message}`);
    return this.fail(spanCount, error);
  }

  private fail(count: number, error: Error): SendResult {
    this.counts.failedToEmitSpans += count;
    return { sent: 0, failed: count, error };
  }
}

/** Worth another attempt: 5xx or a network error (not a 4xx, not a timeout, not a request that could not be made). */
function isRetryable(outcome: PostOutcome): boolean {
  return outcome.kind === 'network' || (outcome.kind === 'response' && outcome.status! >= 500);
}

/** `HTTP 502: <the start of the reply body>`. */
function replyError(outcome: PostOutcome): Error {
  const text = (outcome.body?.toString('utf8') ?? '').slice(0, MAX_ERROR_BODY).trim();
  return new Error(`HTTP ${outcome.status}${text ? `: ${text}` : ''}`);
}

function nonNegative(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`HTTP sender ${name} must be a non-negative number, got ${value}`);
  }
  return value;
}

function errorCode(err: unknown): string {
  return String((err as NodeJS.ErrnoException | undefined)?.code ?? 'error');
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
