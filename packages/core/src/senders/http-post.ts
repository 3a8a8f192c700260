/**
 * What the HTTP collector sender and the OTLP sender share: one POST of an encoded batch over
 * a keep-alive agent, a per-attempt timeout that destroys the request, and bounded retries
 * with backoff that `stopRetrying()` cuts short. Requests run with tracing suppressed, so the
 * exporters never trace themselves. Which failures are worth a retry, how long to wait, and
 * what to log stay with each sender.
 */
import * as http from 'node:http';
import type * as https from 'node:https';
import { runWithoutTracing } from '../instrumentation/suppress-tracing';

/**
 * How one attempt ended: `response` (a complete reply, any status), `network` (the request
 * or the reply failed or was cut off), `timeout` (destroyed after `timeoutMs`), or
 * `exception` (the request could not even be made, e.g. an invalid header).
 */
export type PostOutcomeKind = 'response' | 'network' | 'timeout' | 'exception';

export interface PostOutcome {
  kind: PostOutcomeKind;
  /** The reply's status (kind `response`). */
  status?: number;
  /** The reply's headers (kind `response`). */
  headers?: http.IncomingHttpHeaders;
  /** The first `maxResponseBytes` of the reply body (kind `response`); the rest is drained unread. */
  body?: Buffer;
  /** What went wrong (every kind but `response`). */
  error?: Error;
}

/** The last attempt of a `post`, and whether `stopRetrying()` ended the retries early. */
export interface PostResult {
  outcome: PostOutcome;
  /** True when a backoff was cut short by `stopRetrying()`: no further attempt was made. */
  stopped: boolean;
}

export interface HttpPostOptions {
  /** Request headers; `Content-Length` is added per body. */
  headers: Record<string, string>;
  /** Per attempt, in milliseconds: a request not complete by then is destroyed. */
  timeoutMs: number;
  /** Attempts after the first, for outcomes `isRetryable` accepts. */
  retries: number;
  /** Whether a failed outcome (not a 2xx reply) is worth another attempt. */
  isRetryable(outcome: PostOutcome): boolean;
  /** Milliseconds to wait before retry `attempt` (0 for the first retry), after `outcome` failed. */
  backoffMs(attempt: number, outcome: PostOutcome): number;
  /** Bytes of a reply body kept for the caller. */
  maxResponseBytes: number;
  /** The caller's own agent; by default a keep-alive one with `maxSockets` is made (and destroyed by `destroy()`). */
  agent?: http.Agent;
  /** Sockets of the agent made by default. */
  maxSockets: number;
  /** Prefix of timeout and cut-off messages, e.g. `OTLP export`. Default none. */
  label?: string;
}

/**
 * `endpoint` as an http: or https: URL; throws a TypeError naming it (`name`, e.g. `OTLP
 * endpoint`) otherwise. For the senders' constructors: a bad endpoint is an init error.
 */
export function parseHttpEndpoint(endpoint: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(`${name} is not a valid URL: ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`${name} must be http or https, got ${JSON.stringify(endpoint)}`);
  }
  return url;
}

/** The user's extra headers, without the `Content-Type`/`Content-Length` the sender always sets itself. */
export function extraHeaders(headers: Record<string, unknown>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    const lower = key.toLowerCase();
    if (lower !== 'content-type' && lower !== 'content-length') kept[key] = String(value);
  }
  return kept;
}

/** A 2xx reply. */
export function isSuccess(outcome: PostOutcome): boolean {
  return outcome.kind === 'response' && outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300;
}

/** POSTs bodies to one http(s) URL, with the options' timeout, retries and backoff. */
export class HttpPost {
  /** Attempts made (each retry is one). */
  requests = 0;
  /** Retries made. */
  retries = 0;
  private readonly transport: typeof http | typeof https;
  private readonly agent: http.Agent;
  private readonly ownsAgent: boolean;
  private stopping = false;
  private readonly wakeSleepers = new Set<() => void>();

  /** `url` is http: or https: (`parseHttpEndpoint`). */
  constructor(
    readonly url: URL,
    private readonly options: HttpPostOptions,
  ) {
    // tls loads only for an https: endpoint
    this.transport = url.protocol === 'https:' ? (require('node:https') as typeof https) : http;
    this.ownsAgent = options.agent === undefined;
    this.agent = options.agent ?? new this.transport.Agent({ keepAlive: true, maxSockets: options.maxSockets });
  }

  /**
   * POSTs `body` until a 2xx reply, a failure `isRetryable` refuses, the retries run out, or
   * `stopRetrying()`; resolves with the last attempt's outcome. Never rejects.
   */
  async post(body: Buffer): Promise<PostResult> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.postOnce(body);
      if (isSuccess(outcome)) return { outcome, stopped: false };
      if (!this.options.isRetryable(outcome) || attempt >= this.options.retries || this.stopping) return { outcome, stopped: false };
      this.retries++;
      await this.sleep(this.options.backoffMs(attempt, outcome));
      if (this.stopping) return { outcome, stopped: true };
    }
  }

  /** Ends backoffs under way at once and makes no further retries (for `close()`). */
  stopRetrying(): void {
    this.stopping = true;
    for (const wake of this.wakeSleepers) wake();
  }

  /** Frees the sockets of the agent this made (a caller's own agent is left alone). */
  destroy(): void {
    if (this.ownsAgent) this.agent.destroy();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.wakeSleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.wakeSleepers.add(wake);
    });
  }

  private postOnce(body: Buffer): Promise<PostOutcome> {
    this.requests++;
    const { timeoutMs, maxResponseBytes, label } = this.options;
    const prefix = label === undefined ? '' : `${label} `;
    return new Promise<PostOutcome>((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: PostOutcome): void => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clearTimeout(timer);
        resolve(outcome);
      };
      const network = (error: Error): void => finish({ kind: 'network', error });
      try {
        const request = runWithoutTracing(() =>
          this.transport.request(this.url, {
            method: 'POST',
            agent: this.agent,
            headers: { ...this.options.headers, 'Content-Length': String(body.length) },
          }),
        );
        timer = setTimeout(() => {
          const error: NodeJS.ErrnoException = new Error(`${prefix}timed out after ${timeoutMs} ms`);
          error.code = 'ETIMEDOUT';
          finish({ kind: 'timeout', error });
          request.destroy(error);
        }, timeoutMs);
        timer.unref();
        request.on('error', network);
        request.on('response', (response) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          response.on('data', (chunk: Buffer) => {
            if (kept >= maxResponseBytes) return;
            const part = chunk.length > maxResponseBytes - kept ? chunk.subarray(0, maxResponseBytes - kept) : chunk;
            chunks.push(part);
            kept += part.length;
          });
          response.on('end', () =>
            finish({ kind: 'response', status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
          );
          response.on('error', network);
          response.on('aborted', () => network(new Error(`${prefix}response aborted`)));
          // after 'end' this is a no-op; before it, the reply was cut off
          response.on('close', () => network(new Error(`${prefix}connection closed mid-response`)));
        });
        request.end(body);
      } catch (error) {
        finish({ kind: 'exception', error: error instanceof Error ? error : new Error(String(error)) });
      }
    });
  }
}
