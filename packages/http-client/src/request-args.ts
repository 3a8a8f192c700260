import type { OutgoingHttpHeaders, RequestOptions } from 'node:http';
import { urlToHttpOptions } from 'node:url';
import { sanitizeUrl } from '@jt/core';
import type { OutgoingRequestInfo } from './options';

/**
 * The arguments of `http.request` / `http.get` (and the https ones), in every form Node takes:
 * `(url: string | URL, options?, callback?)` and `(options, callback?)`.
 */
export type RequestArgs = unknown[];

/** Where the request goes, read the way Node's ClientRequest reads it. Undefined when unreadable. */
export function describeRequest(args: RequestArgs, library: 'http' | 'https'): OutgoingRequestInfo | undefined {
  const effective = effectiveOptions(args);
  if (effective === undefined) return undefined;
  const agent = effective.agent as { protocol?: string; defaultPort?: number } | undefined | false;
  const protocol = effective.protocol ?? (agent ? agent.protocol : undefined) ?? `${library}:`;
  const schemePort = protocol === 'https:' ? 443 : 80;
  const defaultPort = Number(effective.defaultPort ?? (agent ? agent.defaultPort : undefined) ?? schemePort) || schemePort;
  const port = Number(effective.port ?? defaultPort) || defaultPort;
  const hostname = stripBrackets(effective.hostname ?? effective.host ?? 'localhost');
  const method = typeof effective.method === 'string' && effective.method !== '' ? effective.method.toUpperCase() : 'GET';
  const path = effective.path ?? '/';
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  const portPart = port === schemePort ? '' : `:${port}`;
  return { library, method, url: sanitizeUrl(`${protocol}//${host}${portPart}${path}`), hostname, port };
}

/**
 * The same arguments with `extra` headers added to a COPY of the caller's headers (the
 * caller's objects are never written to). Headers of the same name, any case, are replaced.
 */
export function withExtraHeaders(args: RequestArgs, extra: Record<string, string>): RequestArgs {
  const names = Object.keys(extra);
  if (names.length === 0) return args;
  const [first] = args;
  if (typeof first === 'string' || first instanceof URL) {
    const second = args[1];
    const hasOptions = second !== null && typeof second === 'object';
    const options = (hasOptions ? second : {}) as RequestOptions;
    const copy = { ...options, headers: mergeHeaders(options.headers, extra) };
    // Node also takes `request(url, undefined | null, callback)`: find the callback by type
    const callback = typeof second === 'function' ? second : args[2];
    return typeof callback === 'function' ? [first, copy, callback] : [first, copy];
  }
  const options = (first !== null && typeof first === 'object' ? first : {}) as RequestOptions;
  const copy = { ...options, headers: mergeHeaders(options.headers, extra) };
  return [copy, ...args.slice(1)];
}

function effectiveOptions(args: RequestArgs): RequestOptions | undefined {
  const [first, second] = args;
  let fromUrl: RequestOptions | undefined;
  if (typeof first === 'string') {
    try {
      fromUrl = urlToHttpOptions(new URL(first));
    } catch {
      return undefined; // Node throws ERR_INVALID_URL itself
    }
  } else if (first instanceof URL) {
    fromUrl = urlToHttpOptions(first);
  }
  if (fromUrl === undefined) {
    return first !== null && typeof first === 'object' ? (first as RequestOptions) : {};
  }
  return second !== null && typeof second === 'object' ? { ...fromUrl, ...(second as RequestOptions) } : fromUrl;
}

type HeaderPairs = Array<[string, unknown]>;

function mergeHeaders(headers: RequestOptions['headers'], extra: Record<string, string>): OutgoingHttpHeaders | unknown[] {
  const replaced = new Set(Object.keys(extra).map((k) => k.toLowerCase()));
  if (Array.isArray(headers)) {
    // Node also takes raw headers: flat [k, v, k, v] or pairs [[k, v], ...]
    if (headers.length > 0 && Array.isArray(headers[0])) {
      const pairs = (headers as unknown as HeaderPairs).filter(([k]) => !replaced.has(String(k).toLowerCase()));
      for (const key of Object.keys(extra)) pairs.push([key, extra[key]]);
      return pairs;
    }
    const flat: unknown[] = [];
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if (!replaced.has(String(headers[i]).toLowerCase())) flat.push(headers[i], headers[i + 1]);
    }
    for (const key of Object.keys(extra)) flat.push(key, extra[key]);
    return flat;
  }
  const copy: OutgoingHttpHeaders = {};
  if (headers !== null && typeof headers === 'object') {
    for (const key of Object.keys(headers)) {
      if (!replaced.has(key.toLowerCase())) copy[key] = (headers as OutgoingHttpHeaders)[key];
    }
  }
  return Object.assign(copy, extra);
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
