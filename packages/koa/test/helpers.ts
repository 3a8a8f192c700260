import * as path from 'node:path';
import { requireFresh, type VersionUnderTest } from '@jt/test-utils';

/** The two koa majors under test: the root's koa 2 and the fixture's koa 3 (each with its own @koa/router). */
export const MAJORS = [
  { label: 'koa 2', major: 2, from: __dirname },
  { label: 'koa 3', major: 3, from: path.join(__dirname, 'fixtures', 'koa3') },
] as const satisfies readonly VersionUnderTest[];

export type Major = (typeof MAJORS)[number];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;

export interface KoaModules {
  Koa: Any;
  Router: Any;
}

/**
 * Requires the major's own `koa` (first forgetting every loaded file of it, so hooks
 * registered before this call see a fresh load) and the `@koa/router` installed beside it.
 */
export function loadKoa(major: Major): KoaModules {
  const Koa = requireFresh('koa', major);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const routerModule = require(require.resolve('@koa/router', { paths: [major.from] }));
  return { Koa, Router: routerModule.Router ?? routerModule.default ?? routerModule };
}
