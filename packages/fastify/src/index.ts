export { jaegerFastify, type JaegerFastifyPlugin } from './plugin';
export { fastifyInstrumentation } from './instrumentation';
export type { FastifyTracingOptions } from './options';
export type { FastifyInstanceLike, FastifyReplyLike, FastifyRequestLike } from './types';
