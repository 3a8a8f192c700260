import { strict as assert } from 'node:assert';
import { afterSettled, isThenable } from '../../src/instrumentation/settle';

/** A minimal promise-like of a library's own (not a native Promise). */
class OwnThenable<T> implements PromiseLike<T> {
  constructor(private readonly inner: Promise<T>) {}
  then<A = T, B = never>(onFulfilled?: ((value: T) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): OwnThenable<A | B> {
    return new OwnThenable(this.inner.then(onFulfilled, onRejected));
  }
}

describe('instrumentation/settle', () => {
  it('isThenable: promises and objects with a then method', () => {
    assert.equal(isThenable(Promise.resolve(1)), true);
    assert.equal(isThenable(new OwnThenable(Promise.resolve(1))), true);
    for (const value of [null, undefined, 1, 'then', {}, { then: 1 }, () => {}]) assert.equal(isThenable(value), false, String(value));
  });

  it('afterSettled: the same value, after onFulfilled ran', async () => {
    const calls: string[] = [];
    const value = await afterSettled(
      Promise.resolve('rows'),
      () => calls.push('fulfilled'),
      () => calls.push('rejected'),
    );
    assert.equal(value, 'rows');
    assert.deepEqual(calls, ['fulfilled']);
  });

  it('afterSettled: the same error, after onRejected got it', async () => {
    const failure = new Error('query failed');
    const seen: unknown[] = [];
    await assert.rejects(
      afterSettled(Promise.reject(failure), () => seen.push('fulfilled'), (err) => seen.push(err)),
      (err) => err === failure,
    );
    assert.deepEqual(seen, [failure]);
  });

  it('afterSettled: keeps the library\'s own promise type; throwing callbacks change nothing', async () => {
    const own = new OwnThenable(Promise.resolve(7));
    const derived = afterSettled(
      own,
      () => {
        throw new Error('span bug');
      },
      () => {},
    );
    assert.ok(derived instanceof OwnThenable);
    assert.equal(await derived, 7);
    const failure = new Error('kept');
    await assert.rejects(
      Promise.resolve(
        afterSettled(
          Promise.reject(failure),
          () => {},
          () => {
            throw new Error('span bug');
          },
        ),
      ),
      (err) => err === failure,
    );
  });
});
