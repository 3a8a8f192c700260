export { jaegerMiddleware, type JaegerKoaMiddleware } from './middleware';
export { koaInstrumentation } from './instrumentation';
export type { KoaTracingOptions } from './options';
export type { KoaContextLike, KoaNext } from './types';
