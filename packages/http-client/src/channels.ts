/**
 * The diagnostics channels undici publishes on (the npm package, and the copy inside Node that
 * backs the global `fetch`: both publish to the same process-wide channel names).
 */
export const UNDICI_CHANNELS = {
  /** `{ request }` when a request is created, in the caller's async context; `request.addHeader` still works. */
  requestCreate: 'undici:request:create',
  /** `{ request, response: { statusCode, headers, statusText } }` when response headers arrive. */
  requestHeaders: 'undici:request:headers',
  /** `{ request, trailers }` when the response body has been read to the end. */
  requestTrailers: 'undici:request:trailers',
  /** `{ request, error }` on failure or abort. */
  requestError: 'undici:request:error',
} as const;
