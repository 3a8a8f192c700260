/** Carrier formats; the same strings as the `opentracing` package. */
export const FORMAT_HTTP_HEADERS = 'http_headers';
export const FORMAT_TEXT_MAP = 'text_map';
export const FORMAT_BINARY = 'binary';

export type Format = typeof FORMAT_HTTP_HEADERS | typeof FORMAT_TEXT_MAP | typeof FORMAT_BINARY;

/** Reference types; the same strings as the `opentracing` package. */
export const REFERENCE_CHILD_OF = 'child_of';
export const REFERENCE_FOLLOWS_FROM = 'follows_from';
