export { httpClientInstrumentation, instrumentHttpClient, type InstrumentHttpClientOptions } from './instrumentation';
export type { HttpClientOptions, OutgoingRequestInfo, OutgoingUrlMatcher } from './options';
export { UNDICI_CHANNELS } from './channels';
export { isAbortError } from './abort';
