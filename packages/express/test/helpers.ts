import * as path from 'node:path';
import { requireFresh, type VersionUnderTest } from '@jt/test-utils';

/** The two express majors under test: the root's express 4 and the fixture's express 5. */
export const MAJORS = [
  { label: 'express 4', major: 4, from: __dirname },
  { label: 'express 5', major: 5, from: path.join(__dirname, 'fixtures', 'express5') },
] as const satisfies readonly VersionUnderTest[];

export type Major = (typeof MAJORS)[number];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ExpressModule = any;

/**
 * Requires the major's own `express`, first forgetting every loaded file of it (and of the
 * `router` package express 5 uses), so hooks registered before this call see a fresh load.
 */
export function loadExpress(major: Major): ExpressModule {
  return requireFresh('express', major, major.major === 5 ? ['router'] : []);
}
