import { FORMAT_HTTP_HEADERS, Tags, safeExecute, startClientSpan, type Span } from '@jt/core';
import { isAbortError } from './abort';
import type { HttpClientOptions, OutgoingRequestInfo, OutgoingUrlMatcher } from './options';

type CompiledMatcher = (url: string, info: OutgoingRequestInfo) => boolean;
const compiledIgnores = new WeakMap<HttpClientOptions, CompiledMatcher | null>();

/**
 * The client span of one outgoing request, from start to its single end: shared by the
 * `http`/`https` patch and the undici channel subscriber.
 */
export class OutgoingSpan {
  private ended = false;

  private constructor(
    readonly span: Span,
    private readonly options: HttpClientOptions,
  ) {}

  /** Starts the span, or returns undefined (suppressed, ignored URL, or no parent when one is required). */
  static start(info: OutgoingRequestInfo, options: HttpClientOptions): OutgoingSpan | undefined {
    const ignore = ignoreMatcher(options);
    if (ignore !== null) {
      const ignored = safeExecute(function ignoreOutgoingUrls() {
        return ignore(info.url, info);
      });
      if (ignored === true) return undefined;
    }
    const span = startClientSpan(info.method, {
      component: info.library === 'undici' ? 'undici' : 'http',
      tracer: options.tracer,
      requireParent: options.requireParentSpan ?? false,
    });
    if (span === undefined) return undefined;
    if (span.context().isSampled()) {
      span.setTag(Tags.HTTP_METHOD, info.method);
      span.setTag(Tags.HTTP_URL, info.url);
      span.setTag(Tags.PEER_HOSTNAME, info.hostname);
      span.setTag(Tags.PEER_PORT, info.port);
    }
    const hook = options.requestHook;
    if (hook !== undefined) {
      safeExecute(function requestHook() {
        hook(span, info);
      });
    }
    return new OutgoingSpan(span, options);
  }

  /** The propagation headers for this span (every configured format); empty when `propagate` is off. */
  propagationHeaders(): Record<string, string> {
    const carrier: Record<string, string> = {};
    if (this.options.propagate ?? true) this.span.tracer().inject(this.span, FORMAT_HTTP_HEADERS, carrier);
    return carrier;
  }

  /** Response headers arrived: status tag, `error` for 4xx/5xx. The span ends later, with the body. */
  response(statusCode: number): void {
    if (this.ended) return;
    this.span.setTag(Tags.HTTP_STATUS_CODE, statusCode);
    if (statusCode >= 400) this.span.setTag(Tags.ERROR, true);
    const hook = this.options.responseHook;
    if (hook !== undefined) {
      const span = this.span;
      safeExecute(function responseHook() {
        hook(span, { statusCode });
      });
    }
  }

  /** The request failed; an abort the caller asked for is logged, not marked as an error. */
  fail(err: unknown): void {
    if (this.ended) return;
    if (isAbortError(err)) this.span.log({ event: 'aborted' });
    else this.span.recordError(err);
    this.end();
  }

  /**
   * The socket sat idle past the caller's `timeout`. Node only reports it: the request goes
   * on unless the app aborts it (then `error`/`close` end the span), so it is just logged.
   */
  timeout(): void {
    if (this.ended) return;
    this.span.log({ event: 'timeout', message: 'socket idle past the request timeout' });
  }

  /** The request was aborted or closed before a response. */
  aborted(): void {
    if (this.ended) return;
    this.span.log({ event: 'aborted' });
    this.end();
  }

  isEnded(): boolean {
    return this.ended;
  }

  /** Finishes the span, once. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.span.finish();
  }
}

function ignoreMatcher(options: HttpClientOptions): CompiledMatcher | null {
  let compiled = compiledIgnores.get(options);
  if (compiled === undefined) {
    compiled = compileMatchers(options.ignoreOutgoingUrls ?? []);
    compiledIgnores.set(options, compiled);
  }
  return compiled;
}

function compileMatchers(list: readonly OutgoingUrlMatcher[]): CompiledMatcher | null {
  if (list.length === 0) return null;
  return (url, info) => {
    for (const matcher of list) {
      if (typeof matcher === 'string') {
        if (url.startsWith(matcher)) return true;
      } else if (matcher instanceof RegExp) {
        matcher.lastIndex = 0;
        if (matcher.test(url)) return true;
      } else if (typeof matcher === 'function' && matcher(url, info)) {
        return true;
      }
    }
    return false;
  };
}
