import assert from 'node:assert/strict';
import { setInstrumentationLogger } from '../../src/instrumentation/kit-logger';
import { describeError, reportUserHookError, safeExecute } from '../../src/instrumentation/safe-execute';

describe('safeExecute', () => {
  const errors: string[] = [];
  beforeEach(() => {
    errors.length = 0;
    setInstrumentationLogger({ info() {}, error: (m) => errors.push(m) });
  });
  after(() => setInstrumentationLogger({ info() {}, error() {} }));

  it('returns the result of a function that does not throw', () => {
    assert.equal(safeExecute(() => 42), 42);
    assert.equal(errors.length, 0);
  });

  it('catches a throw, returns undefined and logs it once per function name', () => {
    function tagRequest(): number {
      throw new TypeError('bad hook');
    }
    assert.equal(safeExecute(tagRequest), undefined);
    assert.equal(safeExecute(tagRequest), undefined);
    assert.deepEqual(errors, ['[jt] instrumentation hook tagRequest threw: TypeError: bad hook']);
  });

  it('hands the error to onError instead, and survives an onError that throws', () => {
    const seen: unknown[] = [];
    const err = new Error('x');
    safeExecute(() => {
      throw err;
    }, (e) => seen.push(e));
    assert.deepEqual(seen, [err]);
    assert.equal(
      safeExecute(
        () => {
          throw err;
        },
        () => {
          throw new Error('handler broken too');
        },
      ),
      undefined,
    );
    assert.equal(errors.length, 0);
  });

  it('reportUserHookError logs a throwing user hook once under its label', () => {
    reportUserHookError('responseHook', new RangeError('first'));
    reportUserHookError('responseHook', new RangeError('second'));
    assert.deepEqual(errors, ['[jt] responseHook threw: RangeError: first']);
  });

  it('describes a thrown value whose toString throws without throwing itself', () => {
    const hostile = {
      toString() {
        throw new Error('no');
      },
    };
    assert.equal(describeError(hostile), 'a value that cannot be printed');
    reportUserHookError('requestHook', hostile);
    assert.deepEqual(errors, ['[jt] requestHook threw: a value that cannot be printed']);
  });

  it('a throwing logger does not escape', () => {
    setInstrumentationLogger({
      info() {},
      error() {
        throw new Error('logger down');
      },
    });
    assert.equal(
      safeExecute(() => {
        throw new Error('x');
      }),
      undefined,
    );
  });
});
