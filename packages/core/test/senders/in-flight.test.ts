import { strict as assert } from 'node:assert';
import { InFlight } from '../../src/senders/in-flight';

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(err: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('senders/InFlight', () => {
  it('track() hands the task back; settled() waits for every tracked task, rejected ones too, and never rejects', async () => {
    const inFlight = new InFlight();
    const ok = deferred<number>();
    const bad = deferred<number>();
    assert.equal(inFlight.track(ok.promise), ok.promise);
    inFlight.track(bad.promise).catch(() => {});
    let done = false;
    const settled = inFlight.settled().then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(done, false);
    ok.resolve(1);
    await new Promise((r) => setImmediate(r));
    assert.equal(done, false, 'still one under way');
    bad.reject(new Error('lost'));
    await settled;
    assert.equal(done, true);
  });

  it('forgets settled tasks: settled() with nothing under way resolves at once', async () => {
    const inFlight = new InFlight();
    await inFlight.track(Promise.resolve('sent'));
    let done = false;
    void inFlight.settled().then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(done, true);
  });
});
