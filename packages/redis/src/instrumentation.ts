import type { HookDefinition, Instrumentation } from '@jt/core';
import { instrumentRedis, uninstrumentRedis } from './instrument';
import type { RedisInstrumentationOptions } from './options';

/** ioredis majors this instrumentation is written for (5, and 6 whose internals match). */
export const SUPPORTED_IOREDIS_VERSIONS = '>=5 <7';

/**
 * The ioredis instrumentation for `@jt/auto` / `registerInstrumentations`: patches the
 * `ioredis` module when it is first required (see `instrumentRedis`).
 */
export function redisInstrumentation(options?: RedisInstrumentationOptions): Instrumentation {
  const hook: HookDefinition<object> = {
    name: 'ioredis',
    versions: SUPPORTED_IOREDIS_VERSIONS,
    patch(exports) {
      instrumentRedis(exports, options);
    },
    unpatch(exports) {
      uninstrumentRedis(exports);
    },
  };
  return { name: 'ioredis', hooks: [hook] };
}
