import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { activeSpan } from '../../src/context/async-context';
import { wrapCallback } from '../../src/instrumentation/bind-callback';
import { ConstSampler, InMemoryReporter, Tracer } from '../../src/index';

describe('wrapCallback', () => {
  const tracer = new Tracer('bind-test', new InMemoryReporter(), new ConstSampler(true));

  it('runs the callback with the span that was active when it was wrapped', async () => {
    // an emitter created outside any span fires later from its own context
    const queue = new EventEmitter();
    const span = tracer.startSpan('caller');
    const seen = await new Promise<unknown[]>((resolve) => {
      tracer.withSpan(span, () => {
        queue.once(
          'done',
          wrapCallback(function onDone(this: unknown, a: number, b: number) {
            resolve([activeSpan(), this, a + b]);
            return 'ret';
          }),
        );
      });
      tracer.withSpan(undefined, () => setImmediate(() => queue.emit('done', 1, 2)));
    });
    assert.equal(seen[0], span);
    assert.equal(seen[1], queue);
    assert.equal(seen[2], 3);
  });

  it('keeps name, length and return value; binds to an explicit span', () => {
    const span = tracer.startSpan('explicit');
    function cb(a: number, b: number) {
      return activeSpan() === span ? a + b : -1;
    }
    const bound = wrapCallback(cb, span);
    assert.equal(bound.name, 'cb');
    assert.equal(bound.length, 2);
    assert.equal(bound(2, 3), 5);
  });

  it('returns the callback itself when there is no span or it is not a function', () => {
    const cb = () => 1;
    assert.equal(tracer.withSpan(undefined, () => wrapCallback(cb)), cb);
    assert.equal(wrapCallback(undefined, tracer.startSpan('s')), undefined);
  });
});
