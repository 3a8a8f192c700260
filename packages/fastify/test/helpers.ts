import * as path from 'node:path';
import { requireFresh, type RunningApp, type VersionUnderTest } from '@jt/test-utils';

/**
 * The fastify versions under test: the root's fastify 5, the fixture's fastify 4, and an early
 * fastify 4 (4.9) that has `request.routerPath` but not yet `request.routeOptions`.
 */
export const MAJORS = [
  { label: 'fastify 5', major: 5, from: __dirname },
  { label: 'fastify 4', major: 4, from: path.join(__dirname, 'fixtures', 'fastify4') },
  { label: 'fastify 4.9 (routerPath only)', major: 4, from: path.join(__dirname, 'fixtures', 'fastify4-early') },
] as const satisfies readonly VersionUnderTest[];

export type Major = (typeof MAJORS)[number];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;

/**
 * Requires the version's own `fastify`, first forgetting every loaded file of it, so hooks
 * registered before this call see a fresh load.
 */
export function loadFastify(major: Major): Any {
  return requireFresh('fastify', major);
}

/** Starts a Fastify `app` on a loopback port. */
export async function startFastify(app: Any): Promise<RunningApp> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: (app.server.address() as { port: number }).port, close: () => app.close() };
}
