/** Where OTLP/HTTP traces go when no endpoint is configured (the collector's default port). */
export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318/v1/traces';
