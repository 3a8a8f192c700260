import type { IncomingMessage } from 'node:http';

/**
 * A request path to leave untraced: a string matches the path exactly (a trailing `*`
 * makes it a prefix: `/static/*`), a RegExp is tested on the path, a function decides.
 * The path is `req.url` without query or fragment.
 */
export type PathMatcher = string | RegExp | ((path: string, req: IncomingMessage) => boolean);

export type CompiledPathMatcher = (path: string, req: IncomingMessage) => boolean;

/** One predicate for a matcher or a list of them; `undefined` when nothing is ignored. */
export function compilePathMatchers(
  matchers: PathMatcher | readonly PathMatcher[] | undefined,
): CompiledPathMatcher | undefined {
  if (matchers === undefined || matchers === null) return undefined;
  const list = (Array.isArray(matchers) ? matchers : [matchers]) as readonly PathMatcher[];
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const others: CompiledPathMatcher[] = [];
  for (const matcher of list) {
    if (typeof matcher === 'string') {
      if (matcher.endsWith('*')) prefixes.push(matcher.slice(0, -1));
      else exact.add(matcher);
    } else if (matcher instanceof RegExp) {
      others.push((path) => {
        matcher.lastIndex = 0;
        return matcher.test(path);
      });
    } else if (typeof matcher === 'function') {
      others.push(matcher);
    }
  }
  if (exact.size === 0 && prefixes.length === 0 && others.length === 0) return undefined;
  return (path, req) => {
    if (exact.has(path)) return true;
    for (const prefix of prefixes) if (path.startsWith(prefix)) return true;
    for (const other of others) if (other(path, req)) return true;
    return false;
  };
}

/** `req.url` without query string or fragment. */
export function requestPath(url: string | undefined): string {
  if (url === undefined || url === '') return '/';
  let end = url.length;
  const question = url.indexOf('?');
  if (question !== -1) end = question;
  const hash = url.indexOf('#');
  if (hash !== -1 && hash < end) end = hash;
  return end === url.length ? url : url.substring(0, end);
}
