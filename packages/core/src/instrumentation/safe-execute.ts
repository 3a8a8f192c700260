import { kitLogger } from './kit-logger';

/**
 * Runs `fn`, returning its result, or `undefined` when it throws: the error goes to `onError`
 * (or is logged once, keyed by the function's name). For hooks and user callbacks that must
 * never break the request they observe.
 */
export function safeExecute<T>(fn: () => T, onError?: (err: unknown) => void): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (onError === undefined) {
      reportHookError(fn.name || 'anonymous', err);
    } else {
      try {
        onError(err);
      } catch {
        // the error handler itself failed; nothing sensible is left to do
      }
    }
    return undefined;
  }
}

/**
 * Logs, once per `label`, that an instrumentation hook threw: for hot paths that catch
 * inline rather than allocate a closure for `safeExecute`.
 */
export function reportHookError(label: string, err: unknown): void {
  kitLogger().errorOnce(`safeExecute:${label}`, `instrumentation hook ${label} threw: ${describeError(err)}`);
}

/**
 * Logs, once per `label`, that a user-supplied hook (`requestHook`, ...) threw. Callers catch
 * inline: on per-request paths a closure around the hook would be allocated on every call.
 */
export function reportUserHookError(label: string, err: unknown): void {
  try {
    kitLogger().errorOnce(`hook:${label}`, `${label} threw: ${describeError(err)}`);
  } catch {
    // called from inside a catch: a label that cannot be printed must not reach the app
  }
}

/** `Name: message` of a thrown value; never throws (a thrown object may have a throwing `toString`). */
export function describeError(err: unknown): string {
  try {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } catch {
    return 'a value that cannot be printed';
  }
}
