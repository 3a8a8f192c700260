import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import shimmer from 'shimmer';
import { setInstrumentationLogger } from '../../src/instrumentation/kit-logger';
import { isWrapped, originalOf, runRecordingWraps, unwrap, wrap } from '../../src/instrumentation/wrap';

describe('wrap / unwrap', () => {
  it('keeps name, length, own properties, this and the return value', () => {
    function errorHandler(this: { id: number }, err: unknown, req: unknown, res: unknown, next: unknown) {
      return [this.id, err, req, res, next];
    }
    (errorHandler as unknown as { tag: string }).tag = 'mine';
    const target = { id: 7, handle: errorHandler };
    const calls: unknown[][] = [];
    assert.equal(
      wrap(target, 'handle', (original) =>
        function (this: { id: number }, ...args: unknown[]) {
          calls.push(args);
          return original.apply(this, args as never);
        },
      ),
      true,
    );
    assert.notEqual(target.handle, errorHandler);
    assert.equal(target.handle.name, 'errorHandler');
    assert.equal(target.handle.length, 4, 'express tells error middleware by arity');
    assert.equal((target.handle as unknown as { tag: string }).tag, 'mine');
    assert.deepEqual(target.handle('e', 'q', 's', 'n'), [7, 'e', 'q', 's', 'n']);
    assert.deepEqual(calls, [['e', 'q', 's', 'n']]);
    const marks = target.handle as unknown as { __wrapped: boolean; __original: unknown };
    assert.equal(marks.__wrapped, true);
    assert.equal(marks.__original, errorHandler);
    assert.equal(originalOf(target.handle), errorHandler);
    assert.equal(isWrapped(target.handle), true);
    assert.equal(unwrap(target, 'handle'), true);
    assert.equal(target.handle, errorHandler);
    assert.equal(unwrap(target, 'handle'), false);
  });

  it("refuses to wrap twice, even under another tool's shimmer wrapper", () => {
    const target = { run: (n: number) => n + 1 };
    const factory = (original: (n: number) => number) => (n: number) => original(n) * 10;
    assert.equal(wrap(target, 'run', factory), true);
    assert.equal(wrap(target, 'run', factory), false);
    assert.equal(target.run(1), 20);
    // someone else wraps over ours with plain shimmer: we still see ourselves underneath
    shimmer.wrap(target, 'run', (original) => (n: number) => original(n) + 5);
    assert.equal(wrap(target, 'run', factory), false);
    assert.equal(target.run(1), 25);
  });

  it('wraps over a foreign shimmer wrapper', () => {
    const target = { run: (n: number) => n };
    shimmer.wrap(target, 'run', (original) => (n: number) => original(n) + 1);
    assert.equal(wrap(target, 'run', (original) => (n: number) => original(n) * 2), true);
    assert.equal(target.run(3), 8);
  });

  it('wraps an inherited method as an own property and unwrap removes it again', () => {
    class Emitter extends EventEmitter {}
    const proto = Emitter.prototype as unknown as { emit: (...a: unknown[]) => boolean };
    const seen: unknown[] = [];
    assert.equal(Object.prototype.hasOwnProperty.call(proto, 'emit'), false);
    wrap(proto, 'emit', (original) =>
      function (this: EventEmitter, ...args: unknown[]) {
        seen.push(args[0]);
        return original.apply(this, args);
      },
    );
    const emitter = new Emitter();
    let got = 0;
    emitter.on('x', (n: number) => (got = n));
    assert.equal(emitter.emit('x', 3), true);
    assert.equal(got, 3);
    assert.deepEqual(seen, ['x']);
    assert.equal(unwrap(proto, 'emit'), true);
    assert.equal(Object.prototype.hasOwnProperty.call(proto, 'emit'), false);
    assert.equal(proto.emit, EventEmitter.prototype.emit);
  });

  it('keeps constructors working through a wrapper', () => {
    class Point {
      constructor(public x: number) {}
    }
    const mod = { Point };
    wrap(mod, 'Point', (original) =>
      function Point(this: unknown, x: number) {
        return new original(x + 1);
      } as unknown as typeof Point,
    );
    const p = new mod.Point(1);
    assert.equal(p.x, 2);
    assert.ok(p instanceof Point);
    assert.equal(mod.Point.prototype, Point.prototype);
  });

  it('refuses non-functions and logs once', () => {
    const errors: string[] = [];
    setInstrumentationLogger({ info() {}, error: (m) => errors.push(m) });
    const target = { value: 3 } as unknown as { value: () => void };
    assert.equal(wrap(target, 'value', (o) => o), false);
    assert.equal(wrap(target, 'value', (o) => o), false);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /cannot wrap value: not a function/);
    setInstrumentationLogger({ info() {}, error() {} });
  });

  it('runRecordingWraps undoes the wraps of a failing patch, newest first', () => {
    const target = { a: () => 'a', b: () => 'b' };
    const { a, b } = target;
    assert.throws(
      () =>
        runRecordingWraps(() => {
          wrap(target, 'a', () => () => 'A');
          wrap(target, 'b', () => () => 'B');
          throw new Error('half way');
        }),
      /half way/,
    );
    assert.equal(target.a, a);
    assert.equal(target.b, b);
    // a patch that succeeds keeps its wraps
    runRecordingWraps(() => wrap(target, 'a', () => () => 'A'));
    assert.equal(target.a(), 'A');
  });
});
