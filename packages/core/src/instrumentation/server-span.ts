import type { IncomingMessage, ServerResponse } from 'node:http';
import { getTracer } from '../config/global-tracer';
import { FORMAT_HTTP_HEADERS } from '../formats';
import type { Span } from '../span';
import { Tags } from '../tags';
import type { Tracer } from '../tracer';
import { compilePathMatchers, requestPath, type CompiledPathMatcher, type PathMatcher } from './path-matchers';
import { bindRequestEvents, onResponseEnd, REQUEST_RECORD, type LifecycleRecord, type ResponseEndListener } from './request-events';
import { reportHookError, reportUserHookError, safeExecute } from './safe-execute';
import { routeOperationName } from './route-names';
import { sanitizeUrl } from './url-sanitize';

/** Options of `getOrStartServerSpan` (shared by the http hook and framework middleware). */
export interface ServerSpanOptions {
  /** Default: the global tracer (`getTracer()`), looked up per request. */
  tracer?: Tracer;
  /** The `component` tag. Default `http`; middleware passes `express`, `koa`, ... */
  component?: string;
  /** Requests to leave untraced (health checks, static files). Default: none. */
  ignorePaths?: PathMatcher | readonly PathMatcher[];
  /** Called once the span is started (also for unsampled spans); may add tags. */
  requestHook?: (span: Span, req: IncomingMessage) => void;
  /** Called just before the span finishes. */
  responseHook?: (span: Span, res: ServerResponse) => void;
  /** Request headers recorded as `http.request.header.<name>` tags (opt-in; names any case). */
  captureRequestHeaders?: readonly string[];
  /** Response headers recorded as `http.response.header.<name>` tags (opt-in). */
  captureResponseHeaders?: readonly string[];
  /** Operation name before a framework names the route. Default: the method, e.g. `GET`. */
  operationName?: (req: IncomingMessage) => string;
}

interface CompiledOptions {
  ignore: CompiledPathMatcher | undefined;
  requestHeaders: string[];
  responseHeaders: string[];
}

/** What is known about one inbound request; `span === null` means it is ignored. */
export interface ServerSpanRecord extends LifecycleRecord {
  span: Span | null;
  finished: boolean;
  route?: string;
  /** Callers' work to run just before the span finishes (`onServerSpanEnd`), in order. */
  beforeFinish?: Array<(span: Span) => void>;
  /** Errors already recorded (`recordServerError`): one error can pass many handlers. */
  errors?: Set<unknown>;
}

// On the request under a global symbol: shared by every copy of @jt/core (an http hook and a
// middleware from another copy agree), and cheaper for the GC than a WeakMap entry per request.
type WithRecord = { [REQUEST_RECORD]?: ServerSpanRecord };
const compiledCache = new WeakMap<ServerSpanOptions, CompiledOptions>();
const NO_OPTIONS: ServerSpanOptions = {};
const IGNORED: ServerSpanRecord = Object.freeze({ span: null, finished: true }) as ServerSpanRecord;

function setRecord(req: IncomingMessage, record: ServerSpanRecord): void {
  (req as WithRecord)[REQUEST_RECORD] = record;
}

/** A started span's record, told when the response is done (see `onResponseEnd`). */
class StartedRecord implements ServerSpanRecord, ResponseEndListener {
  finished = false;
  route?: string;
  beforeFinish?: Array<(span: Span) => void>;
  errors?: Set<unknown>;

  constructor(
    readonly span: Span,
    private readonly res: ServerResponse,
    private readonly options: ServerSpanOptions,
    private readonly compiled: CompiledOptions,
  ) {}

  onResponseEnd(event?: 'finish' | 'close'): void {
    if (this.finished) return;
    try {
      finishServerSpan(this, this.res, this.options, this.compiled, event === 'finish');
    } catch (err) {
      reportHookError('finishServerSpan', err);
    }
  }
}

/**
 * The one server span of an inbound request. The first caller (the http hook in auto mode,
 * or a framework middleware used alone) starts it from the extracted context (every
 * configured format, and `jaeger-debug-id`) and finishes it exactly once when the response
 * ends or the connection closes, with `http.status_code` (5xx sets `error`). Later callers
 * get the same span; frameworks only rename it (`setServerSpanRoute`) and tag it.
 * Returns `undefined` for ignored paths. The caller runs the rest of the request with the
 * span active (`tracer.withSpan(span, next)`); the request's own events (`data`, `end`)
 * run with it active too, so body readers stay in the trace.
 */
export function getOrStartServerSpan(
  req: IncomingMessage,
  res: ServerResponse,
  options: ServerSpanOptions = NO_OPTIONS,
): Span | undefined {
  const existing = serverSpanRecord(req);
  if (existing !== undefined) return existing.span ?? undefined;
  const compiled = compile(options);
  if (compiled.ignore !== undefined && isIgnored(compiled.ignore, req)) {
    setRecord(req, IGNORED);
    return undefined;
  }
  const tracer = options.tracer ?? getTracer();
  // Node lower-cases incoming header names; another copy of @jt/core may lack the shortcut
  const parent =
    typeof tracer.extractIncomingHeaders === 'function'
      ? tracer.extractIncomingHeaders(req.headers)
      : tracer.extract(FORMAT_HTTP_HEADERS, req.headers);
  const method = req.method ?? 'GET';
  const custom = options.operationName === undefined ? undefined : customOperationName(options.operationName, req);
  const name = typeof custom === 'string' && custom !== '' ? custom : method;
  const span = tracer.startSpan(name, { childOf: parent, root: true });
  const record = new StartedRecord(span, res, options, compiled);
  setRecord(req, record);
  bindRequestEvents(req);
  if (span.context().isSampled()) tagRequest(span, req, method, options.component ?? 'http', compiled);
  if (options.requestHook !== undefined) runRequestHook(options.requestHook, span, req);
  // `finish` or `close`, whichever comes first; the record's `finished` flag ignores the other
  onResponseEnd(res, record);
  return span;
}

/**
 * `getOrStartServerSpan` for a framework that may come second: when someone else (the http
 * hook) already started the span and this caller's `ignorePaths` matches the path, the whole
 * trace is dropped (`sampling.priority = 0`) and `undefined` returned, as if the caller had
 * been first. Call it once per request and caller (keep the answer).
 */
export function joinServerSpan(
  req: IncomingMessage,
  res: ServerResponse,
  options: ServerSpanOptions = NO_OPTIONS,
): Span | undefined {
  const existing = serverSpanRecord(req);
  if (existing === undefined) return getOrStartServerSpan(req, res, options);
  const span = existing.span;
  if (span === null) return undefined;
  const ignore = compile(options).ignore;
  if (ignore !== undefined && isIgnored(ignore, req)) {
    span.setTag(Tags.SAMPLING_PRIORITY, 0);
    return undefined;
  }
  return span;
}

/**
 * Runs `fn(span)` once, just before the request's server span finishes: before the status
 * tags, the `http.route` tag and the starter's `responseHook`, so it may still rename the span
 * (`setServerSpanRoute`) or tag it. For a framework's own `responseHook` and end-of-request
 * work, also when another caller started the span. Callbacks run in the order they were added;
 * one that throws is logged once (under its function's name) and the others still run.
 * No-op when the request has no span or it already finished.
 */
export function onServerSpanEnd(req: IncomingMessage, fn: (span: Span) => void): void {
  const record = serverSpanRecord(req);
  if (record === undefined || record.span === null || record.finished) return;
  // `[fn]`, not `[]` then push: an empty literal grows to room for 17 on its first push
  if (record.beforeFinish === undefined) record.beforeFinish = [fn];
  else record.beforeFinish.push(fn);
}

/** The request's server span, if one was started (and the path is not ignored). */
export function getServerSpan(req: IncomingMessage): Span | undefined {
  return serverSpanRecord(req)?.span ?? undefined;
}

/** The request's record (for the kit's own modules; not exported from the kit). */
export function serverSpanRecord(req: IncomingMessage): ServerSpanRecord | undefined {
  return (req as WithRecord)[REQUEST_RECORD];
}

/**
 * Names the server span from the matched route template: `operationName` such as
 * `GET /users/:id`, and the `http.route` tag (`/users/:id`, written once at finish, so nested
 * routers may call this repeatedly). No-op when the request has no span.
 */
export function setServerSpanRoute(req: IncomingMessage, operationName: string, route?: string): void {
  const record = serverSpanRecord(req);
  if (record === undefined || record.span === null || record.finished) return;
  record.span.setOperationName(operationName);
  if (route !== undefined) record.route = route;
}

/**
 * Names the server span after a route a framework matched: `customName(route)` (the
 * framework user's `operationName` option) when it returns a non-empty string, otherwise
 * `${method} ${route}` (`GET /users/:id`); `http.route` is the template. A throwing
 * `customName` is logged once and the default used.
 */
export function nameServerSpanByRoute(
  req: IncomingMessage,
  route: string,
  method: string | undefined,
  customName?: (route: string) => unknown,
): void {
  let name = customName === undefined ? undefined : customRouteName(customName, route);
  if (typeof name !== 'string' || name === '') name = routeOperationName(method ?? req.method ?? 'GET', route);
  setServerSpanRoute(req, name as string, route);
}

function customRouteName(customName: (route: string) => unknown, route: string): unknown {
  return safeExecute(function operationName() {
    return customName(route);
  });
}

/**
 * Read as `res[STATUS_CODE]`, a keyed load. Express gives each request and response a hidden
 * class of its own (`setPrototypeOf` per request), so a named load such as `res.statusCode`
 * misses its inline cache on every request and takes V8's runtime lookup (~350 ns measured
 * here); a keyed load finds an own property in generated code (~40 ns).
 */
const STATUS_CODE = 'statusCode';

/** `completed`: the response emitted `finish` (all of it was handed to the OS). */
function finishServerSpan(
  record: ServerSpanRecord,
  res: ServerResponse,
  options: ServerSpanOptions,
  compiled: CompiledOptions,
  completed: boolean,
): void {
  if (record.finished || record.span === null) return;
  const span = record.span;
  const callbacks = record.beforeFinish;
  if (callbacks !== undefined) {
    record.beforeFinish = undefined;
    for (const callback of callbacks) runEndCallback(callback, span);
    // a callback that ended the response re-entered and finished the span already
    if (record.finished) return;
  }
  record.finished = true;
  if (span.context().isSampled()) {
    if (record.route !== undefined) span.setTag(Tags.HTTP_ROUTE, record.route);
    // `finish` answers both questions below; the getters (`writableFinished` reads the
    // socket's queue) are left for `close`, the rare path
    const sent = completed || res.writableFinished;
    if (sent || res.headersSent) {
      const status = res[STATUS_CODE];
      span.setTag(Tags.HTTP_STATUS_CODE, status);
      if (status >= 500) span.setTag(Tags.ERROR, true);
    }
    // the client went away before the response was complete
    if (!sent) span.log({ event: 'aborted' });
    for (const name of compiled.responseHeaders) {
      const value = res.getHeader(name);
      if (value !== undefined) span.setTag(`http.response.header.${name}`, headerText(value));
    }
  }
  if (options.responseHook !== undefined) runResponseHook(options.responseHook, span, res);
  span.finish();
}

// The user callbacks run from helpers of their own: an arrow in a per-request function would
// make every call of it allocate a context for the captured variables, hook or not.
function customOperationName(hook: (req: IncomingMessage) => string, req: IncomingMessage): unknown {
  return safeExecute(function operationNameHook() {
    return hook(req);
  });
}

function runRequestHook(hook: NonNullable<ServerSpanOptions['requestHook']>, span: Span, req: IncomingMessage): void {
  try {
    hook(span, req);
  } catch (err) {
    reportUserHookError('requestHook', err);
  }
}

function runResponseHook(hook: NonNullable<ServerSpanOptions['responseHook']>, span: Span, res: ServerResponse): void {
  try {
    hook(span, res);
  } catch (err) {
    reportUserHookError('responseHook', err);
  }
}

// every traced framework request runs one of these (the framework's end-of-request work)
function runEndCallback(callback: (span: Span) => void, span: Span): void {
  try {
    callback(span);
  } catch (err) {
    reportUserHookError(endCallbackLabel(callback), err);
  }
}

/** The callback's name for the log; a `name` that is not a plain string (or throws) gives the generic label. */
function endCallbackLabel(callback: (span: Span) => void): string {
  try {
    const name: unknown = callback.name;
    return typeof name === 'string' && name !== '' ? name : 'onServerSpanEnd callback';
  } catch {
    return 'onServerSpanEnd callback';
  }
}

function tagRequest(span: Span, req: IncomingMessage, method: string, component: string, compiled: CompiledOptions): void {
  span.setTag(Tags.SPAN_KIND, Tags.SPAN_KIND_RPC_SERVER);
  span.setTag(Tags.COMPONENT, component);
  span.setTag(Tags.HTTP_METHOD, method);
  span.setTag(Tags.HTTP_URL, sanitizeUrl(fullUrl(req)));
  const socket = req.socket;
  const address = socket?.remoteAddress;
  if (address !== undefined) {
    const mapped = address.startsWith('::ffff:') ? address.substring(7) : address;
    // a socket's remoteAddress is a valid IP: without a colon it is IPv4 (no regex per request)
    if (mapped.indexOf(':') === -1) span.setTag(Tags.PEER_HOST_IPV4, mapped);
    else span.setTag(Tags.PEER_HOST_IPV6, address);
  }
  if (socket?.remotePort !== undefined) span.setTag(Tags.PEER_PORT, socket.remotePort);
  for (const name of compiled.requestHeaders) {
    const value = req.headers[name];
    if (value !== undefined) span.setTag(`http.request.header.${name}`, headerText(value));
  }
}

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/** `scheme://host/path?query` as the client asked for it (absolute-form targets kept as sent). */
function fullUrl(req: IncomingMessage): string {
  const target = req.url ?? '/';
  // origin-form (`/path`) is nearly every request: no scheme to look for
  if (target.charCodeAt(0) !== 47 && ABSOLUTE_URL.test(target)) return target;
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const host = req.headers.host ?? 'localhost';
  return `${encrypted ? 'https' : 'http'}://${host}${target}`;
}

function isIgnored(ignore: CompiledPathMatcher, req: IncomingMessage): boolean {
  return (
    safeExecute(function ignorePathsMatcher() {
      return ignore(requestPath(req.url), req);
    }) === true
  );
}

// One options object serves nearly every request (the hook's, or one middleware's): checked
// before the WeakMap lookup.
let lastOptions: ServerSpanOptions | undefined;
let lastCompiled: CompiledOptions | undefined;

function compile(options: ServerSpanOptions): CompiledOptions {
  if (options === lastOptions) return lastCompiled!;
  let compiled = compiledCache.get(options);
  if (compiled === undefined) {
    compiled = {
      ignore: compilePathMatchers(options.ignorePaths),
      requestHeaders: (options.captureRequestHeaders ?? []).map((h) => String(h).toLowerCase()),
      responseHeaders: (options.captureResponseHeaders ?? []).map((h) => String(h).toLowerCase()),
    };
    compiledCache.set(options, compiled);
  }
  lastOptions = options;
  lastCompiled = compiled;
  return compiled;
}

function headerText(value: string | number | readonly string[]): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}
