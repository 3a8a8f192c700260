import * as path from 'node:path';
import type { HookDefinition } from './types';

/** `foo/bar.js` or `foo/bar/index.js` is `foo/bar`, as require-in-the-middle names files. */
const FILE_SUFFIX = /(\/index)?(\.js)?$/;

/** The key a hook is found by: `express`, or `express/lib/router/layer` for a file inside it. */
export function hookKey(hook: HookDefinition): string {
  if (hook.file === undefined || hook.file === '') return hook.name;
  return `${hook.name}/${hook.file.replace(/\\/g, '/').replace(/^\.?\//, '').replace(FILE_SUFFIX, '')}`;
}

/**
 * The same key for a name require-in-the-middle reports with `internals: true`
 * (`express`, `express/lib/router/layer.js`, with the platform's separator). A package's
 * main file is reported by the package name alone; any other file keeps a path, so a root
 * `index.js` that is not the main file is `pkg/index`, never taken for the main module.
 */
export function keyOfLoadedFile(name: string): string {
  const posix = path.sep === '/' ? name : name.split(path.sep).join('/');
  const pkg = packageOfKey(posix);
  if (posix === pkg) return posix;
  const key = posix.replace(FILE_SUFFIX, '');
  return key === pkg ? `${pkg}/index` : key;
}

/** The package a key belongs to: `express` for `express/lib/router/layer`, `@koa/router` for itself. */
export function packageOfKey(key: string): string {
  const parts = key.split('/');
  return key.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Whether any file of the package `name` is in `require.cache` (given as its keys). */
export function isPackageLoaded(name: string, loadedFiles: readonly string[]): boolean {
  const marker = `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`;
  return loadedFiles.some((file) => file.includes(marker));
}
