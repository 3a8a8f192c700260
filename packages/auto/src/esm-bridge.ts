import { createRequire } from 'node:module';
import * as path from 'node:path';

/** Set by `esm/index.mjs` once it has registered import-in-the-middle's loader. */
export const ESM_LOADER_FLAG = Symbol.for('jt.auto.esmLoaderRegistered');

/**
 * With `node --import @jt/auto`, `import express from 'express'` does not go through
 * `require`, so require-in-the-middle never sees it. import-in-the-middle's loader does:
 * when it reports one of our modules we `require` it from its own folder, which hands
 * the very same CommonJS exports (Node caches them once for both loaders) to
 * require-in-the-middle, whose hooks patch them in place. All the libraries we
 * instrument are CommonJS, so one set of patches serves both module systems.
 */
export function bridgeEsmImports(moduleNames: readonly string[], onError: (err: unknown) => void): void {
  if ((globalThis as Record<symbol, unknown>)[ESM_LOADER_FLAG] !== true) return;
  const names = [...new Set(moduleNames)].filter((n) => n !== 'http' && n !== 'https');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { Hook } = require('import-in-the-middle') as {
    Hook: new (modules: string[], hook: (exports: unknown, name: string, baseDir?: string) => void) => unknown;
  };
  new Hook(names, (_exports, name, baseDir) => {
    try {
      const from = baseDir === undefined ? process.cwd() : path.dirname(baseDir);
      createRequire(path.join(from, 'noop.js'))(name);
    } catch (err) {
      onError(err);
    }
  });
}
