/**
 * Instrumentations are data: which module (name, semver range, optional internal file) and
 * how to patch it. The registry (`registerInstrumentations`) decides when to apply them.
 */

/** One module (or one file inside a module) to patch when it is required. */
export interface HookDefinition<T = any> {
  /** The module name as `require` sees it: `express`, `ioredis`, `http`, `@koa/router`. */
  name: string;
  /**
   * Semver range of the module's `package.json` version (for built-ins, Node's version).
   * Out-of-range versions are left alone, with one log line.
   */
  versions: string;
  /** A file inside the module, relative to its folder, e.g. `lib/router/layer.js`. */
  file?: string;
  /**
   * Patches the exports in place or returns replacement exports. A patch that throws leaves
   * the original exports (wraps made through `wrap` during the call are rolled back).
   */
  patch(exports: T, version: string): T | void;
  /** Undoes `patch` (called by `unregister()`). */
  unpatch?(exports: T, version: string): void;
}

/** A named set of hooks, e.g. `express`; the name is what `JAEGER_INSTRUMENTATIONS` lists. */
export interface Instrumentation {
  name: string;
  hooks: HookDefinition[];
  /** Channel-based setup (libraries that publish on `diagnostics_channel`), run on register. */
  enable?(): void;
  /** Undoes `enable`, run on unregister. */
  disable?(): void;
}

/**
 * An instrumentation known by the packages it patches, whose code is loaded only when one of
 * them (or a file inside one) is first required, or at registration if one already is: an
 * app pays no heap or start-up time for the integrations of libraries it never loads.
 */
export interface DeferredInstrumentation {
  /** The instrumentation's name, as for {@link Instrumentation.name}. */
  name: string;
  /**
   * Every package its hooks patch, e.g. `['express', 'router']` (not built-ins: those are
   * always loaded). A hook on any other module is not applied, with one log line.
   */
  modules: readonly string[];
  /** Makes the instrumentation; called once. If it throws, it stays off, with one log line. */
  load(): Instrumentation;
}
