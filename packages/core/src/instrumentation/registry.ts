import { readFileSync } from 'node:fs';
import Module, { isBuiltin } from 'node:module';
import * as path from 'node:path';
import { Hook } from 'require-in-the-middle';
import type { Logger } from '../logger';
import { describeError, safeExecute } from './safe-execute';
import { kitLogger, setInstrumentationLogger } from './kit-logger';
import { hookKey, isPackageLoaded, keyOfLoadedFile, packageOfKey } from './module-names';
import type { DeferredInstrumentation, HookDefinition, Instrumentation } from './types';
import { satisfiesRange } from './version-range';
import { runRecordingWraps } from './wrap';

/** Options of `registerInstrumentations`. */
export interface RegisterOptions {
  /** Where skipped versions, failed patches and too-early loads are logged (once each). */
  logger?: Logger;
}

/** What `registerInstrumentations` returns. */
export interface InstrumentationHandle {
  /** Names of the instrumentations this call activated (already-active ones are skipped). */
  readonly names: readonly string[];
  /** Stops patching new loads, undoes patches (hooks with `unpatch`) and runs `disable`. */
  unregister(): void;
}

interface HookEntry {
  instrumentation: Instrumentation;
  hook: HookDefinition;
}

interface AppliedPatch {
  hook: HookDefinition;
  exports: unknown;
  version: string;
}

// Active instrumentation names, process-wide: registering twice (even from two copies of
// @jt/core) does not patch twice.
const ACTIVE_KEY = Symbol.for('jt.core.activeInstrumentations');
type Holder = { [ACTIVE_KEY]?: Set<string> };
const holder = globalThis as Holder;
const active: Set<string> = (holder[ACTIVE_KEY] ??= new Set());

/** Exports each hook has already patched (a module reloaded after `delete require.cache[...]` is new). */
const patchedBy = new WeakMap<HookDefinition, WeakSet<object>>();
const versionCache = new Map<string, string | null>();

/**
 * Patches modules as they are required (require-in-the-middle). Each hook is matched by
 * module name and optional internal file; its version comes from the module's own
 * `package.json` and must satisfy `hook.versions`, else the module is left alone with one
 * log line. A patch that throws leaves the original exports (its wraps are rolled back) and
 * is logged once. Built-in modules (`http`) are patched at once. A library module already
 * loaded is logged once as loaded too early: it is patched the next time anything requires
 * it (its exports object is patched in place, so prototype-level patches still reach old
 * references, but functions copied out of it earlier stay untraced).
 *
 * A {@link DeferredInstrumentation} is registered by its packages alone: its code is loaded
 * (and its `enable` run) when the first file of one of them is required, or at once if one
 * is already loaded.
 */
export function registerInstrumentations(
  list: readonly (Instrumentation | DeferredInstrumentation)[],
  options: RegisterOptions = {},
): InstrumentationHandle {
  if (options.logger !== undefined) setInstrumentationLogger(options.logger);
  const log = kitLogger();
  const names: string[] = [];
  const eager: Instrumentation[] = [];
  const deferred: DeferredInstrumentation[] = [];
  for (const item of list) {
    if (active.has(item.name)) {
      log.infoOnce(`twice:${item.name}`, `instrumentation ${item.name} is already registered`);
      continue;
    }
    active.add(item.name);
    names.push(item.name);
    if (isDeferred(item)) deferred.push(item);
    else eager.push(item);
  }

  const applied: AppliedPatch[] = [];
  /** Instrumentations whose `enable` ran, so `disable` runs on unregister. */
  const enabled: Instrumentation[] = [];
  const byModule = hooksByModule(eager);
  /** Names deferred instrumentations turned out to have, beside the names they were registered by. */
  const loadedNames: string[] = [];
  const deferredLoads = deferred.length > 0 ? deferredLoader(deferred, byModule, enabled, loadedNames) : undefined;
  const loadedFiles = Object.keys(require.cache);
  deferredLoads?.makeLoaded(loadedFiles);
  // One hook for all: each require-in-the-middle hook resolves every `require` of the app
  // again. `internals` reports every file of a watched package, so a deferred package's
  // first file (often an internal one, required while its main file runs) makes it.
  const watched = [...new Set([...byModule.keys(), ...(deferredLoads?.packages ?? [])])];
  let ritm: Hook | undefined;
  if (watched.length > 0) {
    warnAboutEarlyLoads(byModule, loadedFiles);
    ritm = new Hook(watched, { internals: true }, (exports, name, basedir) => {
      const key = keyOfLoadedFile(name);
      deferredLoads?.makeFor(packageOfKey(key));
      return patchModule(exports, key, basedir, byModule.get(key), applied);
    });
    // built-ins are loaded by Node itself; requiring them now runs the hook once
    for (const name of byModule.keys()) {
      if (isBuiltin(name)) safeExecute(() => require(name));
    }
  }
  for (const instrumentation of eager) enable(instrumentation, enabled);

  let unregistered = false;
  return {
    names,
    unregister(): void {
      if (unregistered) return;
      unregistered = true;
      ritm?.unhook();
      for (let i = applied.length - 1; i >= 0; i--) {
        const patch = applied[i]!;
        if (patch.hook.unpatch === undefined) continue;
        safeExecute(
          () => patch.hook.unpatch!(patch.exports, patch.version),
          (err) => log.errorOnce(`unpatch:${patch.hook.name}`, `unpatching ${patch.hook.name} failed: ${describeError(err)}`),
        );
        const seen = patchedBy.get(patch.hook);
        if (seen !== undefined && isObjectLike(patch.exports)) seen.delete(patch.exports);
      }
      for (const instrumentation of enabled) {
        if (instrumentation.disable !== undefined) safeExecute(() => instrumentation.disable!());
      }
      for (const name of names) active.delete(name);
      for (const name of loadedNames) active.delete(name);
      resyncBuiltinExports(byModule);
    },
  };
}

function isDeferred(item: Instrumentation | DeferredInstrumentation): item is DeferredInstrumentation {
  return typeof (item as DeferredInstrumentation).load === 'function';
}

function hooksByModule(list: readonly Instrumentation[]): Map<string, HookEntry[]> {
  const byModule = new Map<string, HookEntry[]>();
  for (const instrumentation of list) {
    for (const hook of instrumentation.hooks) addHook(byModule, instrumentation, hook);
  }
  return byModule;
}

function addHook(byModule: Map<string, HookEntry[]>, instrumentation: Instrumentation, hook: HookDefinition): void {
  const key = hookKey(hook);
  const entries = byModule.get(key);
  if (entries === undefined) byModule.set(key, [{ instrumentation, hook }]);
  else entries.push({ instrumentation, hook });
}

function enable(instrumentation: Instrumentation, enabled: Instrumentation[]): void {
  enabled.push(instrumentation);
  if (instrumentation.enable === undefined) return;
  safeExecute(
    () => instrumentation.enable!(),
    (err) => kitLogger().errorOnce(`enable:${instrumentation.name}`, `${instrumentation.name}: enable failed: ${describeError(err)}`),
  );
}

/**
 * Makes deferred instrumentations: `makeFor(pkg)` the first time a file of one of their
 * packages loads, `makeLoaded()` those whose package is loaded already. Their hooks go into
 * `byModule`, beside the eager ones.
 */
function deferredLoader(
  deferred: readonly DeferredInstrumentation[],
  byModule: Map<string, HookEntry[]>,
  enabled: Instrumentation[],
  loadedNames: string[],
): { packages: string[]; makeFor(pkg: string): void; makeLoaded(loadedFiles: readonly string[]): void } {
  const log = kitLogger();
  const byPackage = new Map<string, DeferredInstrumentation[]>();
  for (const item of deferred) {
    for (const name of item.modules) {
      const waiting = byPackage.get(name);
      if (waiting === undefined) byPackage.set(name, [item]);
      else if (!waiting.includes(item)) waiting.push(item);
    }
  }
  const made = new Set<DeferredInstrumentation>();
  // runs inside the app's `require`: nothing a deferred instrumentation does may throw there
  const make = (item: DeferredInstrumentation): void => {
    if (made.has(item)) return;
    made.add(item);
    try {
      makeOne(item);
    } catch (err) {
      log.errorOnce(`load:${item.name}`, `${item.name}: instrumentation not loaded: ${describeError(err)}`);
    }
  };
  const makeOne = (item: DeferredInstrumentation): void => {
    const instrumentation = item.load();
    if (!Array.isArray(instrumentation?.hooks)) throw new TypeError('load() did not return an instrumentation with hooks');
    if (instrumentation.name !== item.name) {
      // registered under another name (e.g. @jt/auto's `redis` for `ioredis`): registering
      // the same instrumentation elsewhere must still not patch twice
      if (active.has(instrumentation.name)) {
        log.infoOnce(`twice:${instrumentation.name}`, `instrumentation ${instrumentation.name} is already registered`);
        return;
      }
      active.add(instrumentation.name);
      loadedNames.push(instrumentation.name);
    }
    for (const hook of instrumentation.hooks) {
      if (item.modules.includes(hook.name)) addHook(byModule, instrumentation, hook);
      else log.errorOnce(`undeclared:${item.name}:${hook.name}`, `${item.name}: its hook on ${hook.name} is outside its modules (${item.modules.join(', ')}), not applied`);
    }
    enable(instrumentation, enabled);
  };
  return {
    packages: [...byPackage.keys()],
    makeFor(pkg: string): void {
      const waiting = byPackage.get(pkg);
      if (waiting !== undefined) for (const item of waiting) make(item);
    },
    makeLoaded(loadedFiles: readonly string[]): void {
      for (const item of deferred) {
        if (item.modules.some((name) => isPackageLoaded(name, loadedFiles))) make(item);
      }
    },
  };
}

function patchModule<T>(
  exports: T,
  name: string,
  basedir: string | undefined,
  entries: HookEntry[] | undefined,
  applied: AppliedPatch[],
): T {
  if (entries === undefined) return exports;
  const log = kitLogger();
  const builtin = basedir === undefined && isBuiltin(name);
  const version = builtin ? process.versions.node : readVersion(basedir);
  let current = exports;
  for (const { instrumentation, hook } of entries) {
    const label = `${instrumentation.name}: ${name}`;
    if (version === null) {
      log.infoOnce(`noversion:${label}:${basedir}`, `${label}: no version in package.json, not patched`);
      continue;
    }
    if (!satisfiesRange(version, hook.versions)) {
      log.infoOnce(`range:${label}:${version}`, `${label}@${version} is outside ${hook.versions}, not patched`);
      continue;
    }
    const target = current;
    if (isObjectLike(target)) {
      const seen = patchedBy.get(hook) ?? new WeakSet<object>();
      patchedBy.set(hook, seen);
      if (seen.has(target)) continue;
      seen.add(target);
    }
    try {
      const result = runRecordingWraps(() => hook.patch(target, version));
      if (result !== undefined && result !== null) current = result as T;
      applied.push({ hook, exports: current, version });
    } catch (err) {
      if (isObjectLike(target)) patchedBy.get(hook)?.delete(target);
      log.errorOnce(`patch:${label}`, `${label}@${version}: patch failed, module left unpatched: ${describeError(err)}`);
    }
  }
  // ESM `import { request } from 'node:http'` sees built-in patches only after a resync
  if (builtin) safeExecute(() => Module.syncBuiltinESMExports());
  return current;
}

function readVersion(basedir: string | undefined): string | null {
  if (basedir === undefined) return null;
  let version = versionCache.get(basedir);
  if (version === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(basedir, 'package.json'), 'utf8')) as { version?: unknown };
      version = typeof pkg.version === 'string' ? pkg.version : null;
    } catch {
      version = null;
    }
    versionCache.set(basedir, version);
  }
  return version;
}

/** `loadedFiles`: the keys of `require.cache`. */
function warnAboutEarlyLoads(byModule: Map<string, HookEntry[]>, loadedFiles: readonly string[]): void {
  for (const [key, entries] of byModule) {
    const moduleName = entries[0]!.hook.name;
    if (isBuiltin(moduleName) || !isPackageLoaded(moduleName, loadedFiles)) continue;
    kitLogger().infoOnce(
      `early:${key}`,
      `${moduleName} was loaded before instrumentation ${entries[0]!.instrumentation.name} was registered: ` +
        'it is patched the next time it is required; functions taken from it earlier stay untraced ' +
        '(start with `node -r @jt/auto`)',
    );
  }
}

function resyncBuiltinExports(byModule: Map<string, HookEntry[]>): void {
  for (const name of byModule.keys()) {
    if (isBuiltin(name)) {
      safeExecute(() => Module.syncBuiltinESMExports());
      return;
    }
  }
}

function isObjectLike(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}
