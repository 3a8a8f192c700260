/**
 * Sends spans as OTLP/HTTP protobuf (`POST /v1/traces`, `application/x-protobuf`): what Jaeger v2
 * and OpenTelemetry collectors take natively. Bounded retries with backoff on 429/502/503/504
 * and network errors (a server's `Retry-After` honoured, up to the longest backoff); a
 * per-attempt timeout that really aborts the request, and is not retried. The POST itself is
 * `HttpPost`, shared with the HTTP collector sender.
 */
import type * as http from 'node:http';
import { OnceLogger, silentLogger, type Logger } from '../logger';
import { DEFAULT_OTLP_ENDPOINT } from '../otlp/endpoint';
import { readPartialSuccess } from '../otlp/export-response';
import { parseOtlpHeaders } from '../otlp/headers';
import { ProtoWriter } from '../otlp/proto-writer';
import { OtlpTraceEncoder } from '../otlp/trace-encoder';
import type { ProcessData, SpanData } from '../span-data';
import { extraHeaders, HttpPost, isSuccess, parseHttpEndpoint, type PostOutcome } from './http-post';
import { InFlight } from './in-flight';
import type { BatchMeta, SendResult, Sender } from './sender';

export { parseOtlpHeaders };

export { DEFAULT_OTLP_ENDPOINT };

/** HTTP statuses the OTLP spec calls retryable. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** Enough of a reply body to read a partial-success message; the rest is drained unread. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface OTLPSenderOptions {
  /** Full URL of the traces endpoint. Default `http://localhost:4318/v1/traces`. */
  endpoint?: string;
  /**
   * Extra request headers (e.g. auth): an object, or a string in the `OTEL_EXPORTER_OTLP_HEADERS`
   * format `k=v,k2=v2` (URL-encoded). Content-Type and Content-Length are always ours.
   */
  headers?: Record<string, string> | string;
  /** Per-attempt timeout; the request is destroyed when it passes. Default 10000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt for 429/502/503/504 and network errors (not timeouts). Default 3. */
  maxRetries?: number;
  /** First backoff delay, doubled on each retry with jitter. Default 200 ms. */
  retryInitialDelayMs?: number;
  /** Longest backoff delay, also the cap on a server's `Retry-After`. Default 5000 ms. */
  retryMaxDelayMs?: number;
  /** A keep-alive agent of your own; by default the sender makes (and on close destroys) one. */
  agent?: http.Agent;
  /** Where failures are logged, once per kind. Default: silent. */
  logger?: Logger;
}

/** Counts since the sender was made. */
export interface OTLPSenderStats {
  requests: number;
  retries: number;
  sentSpans: number;
  failedSpans: number;
  /** Spans a collector accepted the request for but refused (OTLP partial success). */
  rejectedSpans: number;
}

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date), or undefined. */
function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The statuses the OTLP spec calls retryable, and network errors; not a timeout. */
function isRetryable(outcome: PostOutcome): boolean {
  if (outcome.kind === 'response') return RETRYABLE_STATUSES.has(outcome.status!);
  return outcome.kind !== 'timeout';
}

/** `initial * 2^attempt` with ±25% jitter, at least what `Retry-After` asks, at most `max`. */
function backoffMs(attempt: number, outcome: PostOutcome, initial: number, max: number): number {
  const exponential = initial * 2 ** attempt;
  const jittered = exponential * (0.75 + Math.random() * 0.5);
  const header = outcome.headers?.['retry-after'];
  const asked = parseRetryAfter(typeof header === 'string' ? header : undefined);
  return Math.min(max, Math.max(jittered, asked ?? 0));
}

export class OTLPSender implements Sender {
  private readonly url: URL;
  private readonly http: HttpPost;
  private readonly log: OnceLogger;
  private readonly encoder = new OtlpTraceEncoder();
  /** The encoder's own buffer is lent to one request at a time; concurrent sends get a fresh one. */
  private sharedBufferInUse = false;
  private readonly inFlight = new InFlight();
  private closing: Promise<void> | null = null;
  private readonly counts = { sentSpans: 0, failedSpans: 0, rejectedSpans: 0 };

  /** Throws (at init, never later) when `endpoint` is not an http(s) URL. */
  constructor(options: OTLPSenderOptions = {}) {
    const endpoint = options.endpoint ?? DEFAULT_OTLP_ENDPOINT;
    const url = parseHttpEndpoint(endpoint, 'OTLP endpoint');
    this.url = url;
    const userHeaders = typeof options.headers === 'string' ? parseOtlpHeaders(options.headers) : { ...options.headers };
    const headers = extraHeaders(userHeaders);
    if (!Object.keys(headers).some((key) => key.toLowerCase() === 'user-agent')) headers['User-Agent'] = 'jt-otlp-exporter';
    headers['Content-Type'] = 'application/x-protobuf';
    const retryInitialDelayMs = options.retryInitialDelayMs ?? 200;
    const retryMaxDelayMs = options.retryMaxDelayMs ?? 5000;
    this.http = new HttpPost(url, {
      headers,
      timeoutMs: options.timeoutMs ?? 10_000,
      retries: Math.max(0, options.maxRetries ?? 3),
      isRetryable,
      backoffMs: (attempt, outcome) => backoffMs(attempt, outcome, retryInitialDelayMs, retryMaxDelayMs),
      maxResponseBytes: MAX_RESPONSE_BYTES,
      agent: options.agent,
      maxSockets: 8,
      label: 'OTLP export',
    });
    this.log = new OnceLogger(options.logger ?? silentLogger);
  }

  /** A copy of the counters. */
  get stats(): OTLPSenderStats {
    return { requests: this.http.requests, retries: this.http.retries, ...this.counts };
  }

  setProcess(process: ProcessData): void {
    try {
      this.encoder.setProcess(process);
    } catch (err) {
      this.log.errorOnce('otlp-process', `OTLP: could not encode process: ${(err as Error).message}`);
    }
  }

  /** Never rejects; OTLP has no batch sequence numbers or client stats, so `meta` is unused. */
  send(spans: readonly SpanData[], _meta?: BatchMeta): Promise<SendResult> {
    if (spans.length === 0) return Promise.resolve({ sent: 0, failed: 0 });
    if (this.closing) return Promise.resolve(this.fail(spans.length, new Error('OTLP sender is closed')));
    const task = this.sendNow(spans);
    return this.inFlight.track(task);
  }

  /** Waits for requests under way (retries stop at once), then frees sockets. Idempotent. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closing = (async () => {
        this.http.stopRetrying();
        await this.inFlight.settled();
        this.http.destroy();
      })();
    }
    return this.closing;
  }

  private async sendNow(spans: readonly SpanData[]): Promise<SendResult> {
    const useShared = !this.sharedBufferInUse;
    try {
      let body: Buffer;
      try {
        body = useShared ? this.encoder.encode(spans) : this.encoder.encode(spans, new ProtoWriter(16 * 1024));
      } catch (err) {
        this.log.errorOnce('otlp-encode', `OTLP: could not encode spans: ${(err as Error).message}`);
        return this.fail(spans.length, err as Error);
      }
      if (useShared) this.sharedBufferInUse = true;
      return await this.postWithRetries(body, spans.length);
    } catch (err) {
      return this.fail(spans.length, err as Error);
    } finally {
      if (useShared) this.sharedBufferInUse = false;
    }
  }

  private async postWithRetries(body: Buffer, spanCount: number): Promise<SendResult> {
    const { outcome, stopped } = await this.http.post(body);
    if (isSuccess(outcome)) return this.succeed(spanCount, outcome.body);
    if (stopped) return this.fail(spanCount, new Error('OTLP sender closed before retry'));
    const status = outcome.kind === 'response' ? outcome.status : undefined;
    const error = outcome.error ?? new Error(`OTLP export failed: HTTP ${status}`);
    const key = status !== undefined ? `otlp-http-${status}` : outcome.kind === 'timeout' ? 'otlp-timeout' : `otlp-net-${(error as NodeJS.ErrnoException).code ?? error.message}`;
    this.log.errorOnce(key, `OTLP export to ${this.url.origin}${this.url.pathname} failed: ${error.message}`);
    return this.fail(spanCount, error);
  }

  private succeed(spanCount: number, responseBody: Buffer | undefined): SendResult {
    const partial = responseBody && responseBody.length > 0 ? readPartialSuccess(responseBody) : null;
    const rejected = partial ? Math.min(spanCount, Math.max(0, partial.rejectedSpans)) : 0;
    this.counts.sentSpans += spanCount - rejected;
    if (rejected === 0) return { sent: spanCount, failed: 0 };
    this.counts.rejectedSpans += rejected;
    this.counts.failedSpans += rejected;
    const error = new Error(`OTLP collector rejected ${rejected} span(s)${partial?.errorMessage ? `: ${partial.errorMessage}` : ''}`);
    this.log.errorOnce('otlp-partial', error.message);
    return { sent: spanCount - rejected, failed: rejected, error };
  }

  private fail(spanCount: number, error: Error): SendResult {
    this.counts.failedSpans += spanCount;
    return { sent: 0, failed: spanCount, error };
  }
}
