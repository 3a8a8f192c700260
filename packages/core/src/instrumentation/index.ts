export type { DeferredInstrumentation, HookDefinition, Instrumentation } from './types';
export { registerInstrumentations, type InstrumentationHandle, type RegisterOptions } from './registry';
export { wrap, unwrap, isWrapped, originalOf, type WrapperFactory } from './wrap';
export { safeExecute, reportHookError } from './safe-execute';
export { setInstrumentationLogger } from './kit-logger';
export { wrapCallback } from './bind-callback';
export { isThenable, afterSettled } from './settle';
export { runWithoutTracing, isTracingSuppressed } from './suppress-tracing';
export { startClientSpan, type ClientSpanOptions } from './client-span';
export { sanitizeUrl, redactQuery, isSecretKey, REDACTED, SECRET_QUERY_KEY } from './url-sanitize';
export { compilePathMatchers, requestPath, type PathMatcher } from './path-matchers';
export {
  getOrStartServerSpan,
  joinServerSpan,
  onServerSpanEnd,
  getServerSpan,
  setServerSpanRoute,
  nameServerSpanByRoute,
  type ServerSpanOptions,
} from './server-span';
export { recordServerError, type ServerErrorOptions } from './server-error';
export {
  ServerRequestStates,
  runFrameworkSpanHooks,
  bindOperationName,
  frameworkServerSpanOptions,
  type FrameworkSpanHooks,
  type FrameworkTracingOptions,
} from './framework-request';
export { httpServerInstrumentation, type HttpServerInstrumentationOptions } from './http-server';
