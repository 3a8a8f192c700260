/**
 * Loading on first use. The optional parts of core (the HTTP, OTLP and file senders, the
 * samplers other than const, Prometheus metrics) would otherwise cost every traced app their
 * source and compiled code whether it uses them or not: under load, each 0.1 MB of heap that
 * stays live shows as ~0.35 MB of RSS (bench/README.md, "What the eighth round measured").
 */

/** `load` run once, on the first call; its result kept. */
export function lazy<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

/**
 * Turns names of a CommonJS `exports` object into getters that load on first read. Each name
 * must also be declared with `export let Name` in the module, so that TypeScript types it and
 * writes the `exports.Name = void 0` that Node's CommonJS export detection reads when an ES
 * module imports the package by name.
 */
export function defineLazyExports(target: object, getters: Record<string, () => unknown>): void {
  for (const [name, get] of Object.entries(getters)) {
    Object.defineProperty(target, name, { enumerable: true, configurable: true, get });
  }
}
