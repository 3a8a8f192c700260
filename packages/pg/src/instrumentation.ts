import type { HookDefinition, Instrumentation } from '@jt/core';
import { instrumentPg, uninstrumentPg, type PgModuleLike } from './instrument';
import type { PgInstrumentationOptions } from './options';

/** pg majors this instrumentation is written for. */
export const SUPPORTED_PG_VERSIONS = '>=8 <9';

/**
 * The pg instrumentation for `@jt/auto` / `registerInstrumentations`: patches the `pg`
 * module when it is first required (see `instrumentPg`).
 */
export function pgInstrumentation(options?: PgInstrumentationOptions): Instrumentation {
  const hook: HookDefinition<PgModuleLike> = {
    name: 'pg',
    versions: SUPPORTED_PG_VERSIONS,
    patch(exports) {
      instrumentPg(exports, options);
    },
    unpatch(exports) {
      uninstrumentPg(exports);
    },
  };
  return { name: 'pg', hooks: [hook] };
}
