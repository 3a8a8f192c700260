import { safeExecute } from './safe-execute';

/** A promise or any object with a `then` method (a library's own promise type). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * What `thenable.then` gives: it settles as `thenable` does (same value, same error, and the
 * library's own promise type), after running `onFulfilled` or `onRejected(err)`. For ending a
 * span when the operation a library returns a promise for is done. The callbacks never
 * change the outcome: one that throws is logged once.
 */
export function afterSettled<T>(promise: Promise<T>, onFulfilled: () => void, onRejected: (err: unknown) => void): Promise<T>;
export function afterSettled<T>(thenable: PromiseLike<T>, onFulfilled: () => void, onRejected: (err: unknown) => void): PromiseLike<T>;
export function afterSettled<T>(
  thenable: PromiseLike<T>,
  onFulfilled: () => void,
  onRejected: (err: unknown) => void,
): PromiseLike<T> {
  return thenable.then(
    (value) => {
      safeExecute(function afterFulfilled() {
        onFulfilled();
      });
      return value;
    },
    (err: unknown) => {
      safeExecute(function afterRejected() {
        onRejected(err);
      });
      throw err;
    },
  );
}
