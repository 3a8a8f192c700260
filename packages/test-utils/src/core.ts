/**
 * The built `@jt/core`, loaded on first use: core's own tests import these helpers too, and
 * must not load the built copy of the package they test unless they ask for something from it.
 */
export function core(): typeof import('@jt/core') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@jt/core') as typeof import('@jt/core');
}
