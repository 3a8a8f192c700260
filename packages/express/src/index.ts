export { jaegerMiddleware, jaegerErrorMiddleware, type JaegerRequestHandler, type JaegerErrorHandler } from './middleware';
export { expressInstrumentation } from './instrumentation';
export type { ExpressTracingOptions, ExpressInstrumentationOptions } from './options';
export type { ExpressRequest, ExpressResponse, NextFunction } from './types';
