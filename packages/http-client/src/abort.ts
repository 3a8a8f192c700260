/**
 * An abort the caller asked for (AbortController, `req.abort()`, undici's RequestAbortedError)
 * is an outcome, not an error: the span logs it without `error=true`.
 */
export function isAbortError(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false;
  const { name, code } = err as { name?: unknown; code?: unknown };
  return name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED';
}
