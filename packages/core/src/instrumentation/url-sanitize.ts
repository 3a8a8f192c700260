/**
 * `http.url` tags must carry no secrets: credentials are dropped, values of secret-looking
 * query keys are replaced, and the fragment (never sent over HTTP, but where OAuth puts
 * tokens) is cut. Everything else is kept byte for byte, so the tag still matches the logs.
 */

/** What replaces a redacted query value. */
export const REDACTED = 'REDACTED';

/**
 * Query keys whose values are redacted: anything containing password/passwd/pwd/secret/
 * token/api key/signature/credential/session/auth, or named (or ending in) `key`, `sig`, `sid`, `pass`.
 */
export const SECRET_QUERY_KEY =
  /passw(?:or)?d|passphrase|pwd|secret|token|api[-_]?key|signature|credential|session|auth|(?:^|[-_.])(?:key|sig|sid|pass)$/i;

/**
 * Sanitises an absolute URL, or a path with a query (`/a?token=x`). Never throws; a value
 * that is not a string or URL gives ''.
 */
export function sanitizeUrl(url: string | URL, secretKeys: RegExp = SECRET_QUERY_KEY): string {
  let text: string;
  try {
    text = typeof url === 'string' ? url : url instanceof URL ? url.href : '';
  } catch {
    return '';
  }
  // the common case (no credentials, query or fragment) has nothing to redact
  if (text.indexOf('@') === -1 && text.indexOf('?') === -1 && text.indexOf('#') === -1) return text;
  const hash = text.indexOf('#');
  if (hash !== -1) text = text.substring(0, hash);
  text = stripCredentials(text);
  const question = text.indexOf('?');
  if (question === -1) return text;
  return text.substring(0, question + 1) + redactQuery(text.substring(question + 1), secretKeys);
}

/** `a=1&token=x` -> `a=1&token=REDACTED`; keys are matched after URL-decoding. */
export function redactQuery(query: string, secretKeys: RegExp = SECRET_QUERY_KEY): string {
  if (query === '') return query;
  const parts = query.split('&');
  let changed = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (isSecretKey(decodeKey(part.substring(0, eq)), secretKeys)) {
      parts[i] = `${part.substring(0, eq)}=${REDACTED}`;
      changed = true;
    }
  }
  return changed ? parts.join('&') : query;
}

/** True for a query key (or header name) whose value should never be recorded. */
export function isSecretKey(key: string, secretKeys: RegExp = SECRET_QUERY_KEY): boolean {
  secretKeys.lastIndex = 0;
  return secretKeys.test(key);
}

/** Drops `user:pass@` from `scheme://user:pass@host/...`. */
function stripCredentials(text: string): string {
  const scheme = text.indexOf('://');
  if (scheme === -1) return text;
  const authorityStart = scheme + 3;
  let authorityEnd = text.length;
  for (let i = authorityStart; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 92 /* \ */) {
      authorityEnd = i;
      break;
    }
  }
  const at = text.lastIndexOf('@', authorityEnd - 1);
  if (at < authorityStart) return text;
  return text.substring(0, authorityStart) + text.substring(at + 1);
}

function decodeKey(raw: string): string {
  const plus = raw.includes('+') ? raw.replace(/\+/g, ' ') : raw;
  if (!plus.includes('%')) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}
