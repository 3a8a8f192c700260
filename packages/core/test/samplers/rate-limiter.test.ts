import assert from 'node:assert/strict';
import { RateLimiter } from '../../src/samplers/rate-limiter';
import { FakeClock } from './helpers';

describe('RateLimiter', () => {
  it('spends a full bucket, then refills with elapsed time up to the cap', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(10, 10, undefined, clock.now);
    for (let i = 0; i < 10; i++) assert.equal(limiter.checkCredit(1), true, `credit ${i}`);
    assert.equal(limiter.checkCredit(1), false);
    clock.advance(250); // 2.5 credits
    assert.equal(limiter.checkCredit(1), true);
    assert.equal(limiter.checkCredit(1), true);
    assert.equal(limiter.checkCredit(1), false);
    clock.advance(60_000); // capped at 10
    let spent = 0;
    while (limiter.checkCredit(1)) spent++;
    assert.equal(spent, 10);
  });

  it('starts from the given balance', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(1, 5, 2, clock.now);
    assert.equal(limiter.checkCredit(2), true);
    assert.equal(limiter.checkCredit(0.5), false);
  });

  it('gives no credit when the clock goes backwards', () => {
    const clock = new FakeClock(10_000);
    const limiter = new RateLimiter(1, 1, 0, clock.now);
    clock.advance(-5_000);
    assert.equal(limiter.checkCredit(1), false);
    clock.advance(1_000);
    assert.equal(limiter.checkCredit(1), true);
  });

  it('update() keeps the balance in proportion to the new bucket size', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(10, 10, 5, clock.now);
    limiter.update(20, 20); // 5/10 full -> 10/20 full
    let spent = 0;
    while (limiter.checkCredit(1)) spent++;
    assert.equal(spent, 10);
    clock.advance(100); // 20/s now
    assert.equal(limiter.checkCredit(2), true);
    assert.equal(limiter.checkCredit(0.1), false);
  });

  it('uses the monotonic clock by default', async () => {
    const limiter = new RateLimiter(100, 1, 0);
    assert.equal(limiter.checkCredit(1), false);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(limiter.checkCredit(1), true);
  });
});
