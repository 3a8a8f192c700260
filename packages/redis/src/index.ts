export { instrumentRedis, uninstrumentRedis, type IoredisTarget } from './instrument';
export { redisInstrumentation, SUPPORTED_IOREDIS_VERSIONS } from './instrumentation';
export {
  DEFAULT_MAX_KEY_LENGTH,
  DEFAULT_MAX_STATEMENT_LENGTH,
  type RedisInstrumentationOptions,
  type RedisStatementSerializer,
} from './options';
export { defaultRedisStatement } from './statement';
