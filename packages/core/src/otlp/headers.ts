/**
 * Parses the `OTEL_EXPORTER_OTLP_HEADERS` / `OTEL_EXPORTER_OTLP_TRACES_HEADERS` format:
 * `key1=value1,key2=value2`, each key and value URL-encoded (W3C Baggage style), spaces
 * around them ignored. Malformed entries are skipped, never thrown.
 */
export function parseOtlpHeaders(text: string | undefined | null): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!text) return headers;
  for (const entry of text.split(',')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const key = safeDecode(entry.slice(0, eq).trim());
    const value = safeDecode(entry.slice(eq + 1).trim());
    if (!key || value === undefined || !isHeaderName(key) || !isHeaderValue(value)) continue;
    headers[key] = value;
  }
  return headers;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** RFC 7230 token: what Node accepts as a header name. */
function isHeaderName(name: string): boolean {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name);
}

/** No control characters (Node rejects CR/LF and NUL in header values). */
function isHeaderValue(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value);
}
