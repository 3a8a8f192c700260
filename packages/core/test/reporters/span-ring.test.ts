import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import fc from 'fast-check';
import { SpanRing } from '../../src/reporters/span-ring';
import type { SpanData } from '../../src/span-data';

/** A stand-in span: the ring only stores and hands back references. */
const span = (i: number): SpanData => ({ operationName: `op-${i}` }) as SpanData;

describe('SpanRing', () => {
  it('is a FIFO queue bounded by capacity, through growth and wrap-around (checked against an array)', () => {
    type Op = { push: number } | { take: number };
    const op = fc.oneof(fc.record({ push: fc.integer({ min: 1, max: 150 }) }), fc.record({ take: fc.integer({ min: 1, max: 150 }) }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.array(op, { maxLength: 40 }), (capacity, ops: Op[]) => {
        const ring = new SpanRing(capacity);
        const model: SpanData[] = [];
        let next = 0;
        let longest = 0;
        for (const step of ops) {
          if ('push' in step) {
            for (let i = 0; i < step.push; i++) {
              const s = span(next++);
              const accepted = ring.push(s);
              assert.equal(accepted, model.length < capacity);
              if (accepted) model.push(s);
            }
          } else {
            assert.deepEqual(ring.take(step.take), model.splice(0, step.take));
          }
          longest = Math.max(longest, model.length);
          assert.equal(ring.length, model.length);
          // the array is as long as the longest queue needed, doubled at most, never past capacity
          assert.ok(ring.slotCount <= Math.min(capacity, Math.max(64, 2 * longest)), `${ring.slotCount} slots for a longest queue of ${longest}`);
        }
        assert.deepEqual(ring.take(Infinity), model);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps its array at the steady queue length, not at capacity', () => {
    const ring = new SpanRing(10_000);
    for (let round = 0; round < 100; round++) {
      for (let i = 0; i < 500; i++) ring.push(span(i));
      assert.equal(ring.take(500).length, 500);
    }
    assert.equal(ring.slotCount, 512);
  });

  it('keeps fast (not dictionary) elements at 65,536 slots (a large maxQueueSize)', () => {
    const script = `
      const { SpanRing } = require('@jt/core/dist/reporters/span-ring');
      const ring = new SpanRing(100000);
      for (let i = 0; i < 60000; i++) ring.push({ operationName: 'op' });
      console.log(JSON.stringify({ slots: ring.slotCount, dictionary: %HasDictionaryElements(ring.slots) }));`;
    const run = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', script], { cwd: path.resolve(__dirname, '../../../..'), encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { slots: 65536, dictionary: false });
  });

  it('clears taken slots, so sent spans can be collected', () => {
    const ring = new SpanRing(8);
    const first = span(1);
    ring.push(first);
    ring.push(span(2));
    ring.take(1);
    const slots = (ring as unknown as { slots: unknown[] }).slots;
    assert.ok(!slots.includes(first));
  });
});
