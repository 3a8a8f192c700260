import assert from 'node:assert/strict';
import { isTracingSuppressed, runWithoutTracing } from '../../src/instrumentation/suppress-tracing';

describe('runWithoutTracing', () => {
  it('suppresses tracing inside fn and all async work it starts, and nowhere else', async () => {
    assert.equal(isTracingSuppressed(), false);
    const inner = await runWithoutTracing(async () => {
      const before = isTracingSuppressed();
      await new Promise((r) => setTimeout(r, 1));
      const afterTimer = await new Promise<boolean>((r) => setImmediate(() => r(isTracingSuppressed())));
      return [before, afterTimer];
    });
    assert.deepEqual(inner, [true, true]);
    assert.equal(isTracingSuppressed(), false);
  });

  it('returns what fn returns and lets its error through', () => {
    assert.equal(runWithoutTracing(() => 5), 5);
    assert.throws(() =>
      runWithoutTracing(() => {
        throw new Error('inner');
      }),
    /inner/);
    assert.equal(isTracingSuppressed(), false);
  });
});
