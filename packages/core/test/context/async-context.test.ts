import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConstSampler, InMemoryReporter, Tracer } from '../../src/index';

describe('async context', () => {
  const reporter = new InMemoryReporter();
  const tracer = new Tracer('ctx-test', reporter, new ConstSampler(true));
  beforeEach(() => reporter.clear());

  it('has no active span outside withSpan/trace', () => {
    assert.equal(tracer.activeSpan(), undefined);
  });

  it('keeps the active span across await and timers', async () => {
    await tracer.trace('parent', async (parent) => {
      await sleep(2);
      assert.equal(tracer.activeSpan(), parent);
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          assert.equal(tracer.activeSpan(), parent);
          resolve();
        }, 1),
      );
      const child = tracer.startSpan('child');
      assert.equal(child.parentId, parent.spanId);
      assert.equal(child.traceId, parent.traceId);
      child.finish();
    });
    assert.equal(tracer.activeSpan(), undefined);
    assert.deepEqual(reporter.spans.map((s) => s.operationName), ['child', 'parent']);
  });

  it('gives event-emitter listeners the context of the emit, also when emitting later from a timer', async () => {
    const emitter = new EventEmitter();
    const parents: (string | null)[] = [];
    emitter.on('go', () => {
      const span = tracer.startSpan('in-listener');
      parents.push(span.parentId);
      span.finish();
    });
    const parent = tracer.startSpan('emitter-parent');
    tracer.withSpan(parent, () => {
      emitter.emit('go');
      setTimeout(() => emitter.emit('go'), 1);
    });
    await once(emitter, 'go');
    assert.deepEqual(parents, [parent.spanId, parent.spanId]);
  });

  it('isolates concurrent fan-out under Promise.all', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        tracer.trace(`branch-${i}`, async (branch) => {
          await sleep(5 - i);
          const leaf = tracer.startSpan(`leaf-${i}`);
          leaf.finish();
          return { branch: branch.spanId, leafParent: leaf.parentId };
        }),
      ),
    );
    for (const r of results) assert.equal(r.leafParent, r.branch);
    const branches = reporter.spans.filter((s) => s.operationName.startsWith('branch-'));
    assert.equal(new Set(branches.map((s) => s.traceId)).size, 4, 'each top-level trace() starts its own trace');
  });

  it('nests withSpan and restores the outer span afterwards', () => {
    const outer = tracer.startSpan('outer');
    const inner = tracer.startSpan('inner', { childOf: outer });
    tracer.withSpan(outer, () => {
      tracer.withSpan(inner, () => assert.equal(tracer.activeSpan(), inner));
      assert.equal(tracer.activeSpan(), outer);
    });
  });

  it('starts a new trace with root: true even when a span is active', () => {
    const outer = tracer.startSpan('outer');
    tracer.withSpan(outer, () => {
      const fresh = tracer.startSpan('fresh', { root: true });
      assert.notEqual(fresh.traceId, outer.traceId);
      assert.equal(fresh.parentId, null);
    });
  });
});
