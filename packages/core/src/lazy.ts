/**
 * Loading on first use. The optional parts of core (the HTTP, OTLP and file senders, the
 * samplers other than const, Prometheus metrics) would otherwise cost every traced app their
 * source and compiled code whether it uses them or not. Under load V8 lets old space grow to
 * ~3.4× the live heap between full collections (bench/README.md, "What the eighth round
 * measured"), so each 0.1 MB that stays live can cost up to ~0.35 MB of RSS.
 */

/** `load` run once, on the first call; its result kept. */
export function lazy<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

/**
 * Turns names of a CommonJS `exports` object into getters that load on first read (once: the
 * value is kept). Each name must also be declared with `export let Name` in the module, so that
 * TypeScript types it and writes the `exports.Name = void 0` that Node's CommonJS export
 * detection reads when an ES module imports the package by name.
 *
 * This needs tsc's CommonJS output, where the free `exports` is `module.exports`. Other
 * compilers (esbuild, as tsx runs tests) replace `module.exports` with an object of their own;
 * then nothing is defined and `false` is returned, so the caller binds the names itself.
 */
export function defineLazyExports(module: { exports: unknown }, exports: object, getters: Record<string, () => unknown>): boolean {
  if (module.exports !== exports) return false;
  for (const [name, get] of Object.entries(getters)) {
    Object.defineProperty(exports, name, { enumerable: true, configurable: true, get: lazy(get) });
  }
  return true;
}
