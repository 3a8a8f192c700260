import assert from 'node:assert/strict';
import { startClientSpan } from '../../src/instrumentation/client-span';
import { runWithoutTracing } from '../../src/instrumentation/suppress-tracing';
import { ConstSampler, InMemoryReporter, setGlobalTracer, getTracer, Tracer, type Span } from '../../src/index';

function tagsOf(span: Span): Record<string, unknown> {
  return Object.fromEntries(span.tags.map((t) => [t.key, t.value]));
}

describe('startClientSpan', () => {
  const reporter = new InMemoryReporter();
  const tracer = new Tracer('client-span-test', reporter, new ConstSampler(true));

  it('is a child of the active span, tagged span.kind=client and component', () => {
    const parent = tracer.startSpan('parent');
    const span = tracer.withSpan(parent, () =>
      startClientSpan('GET', { component: 'http', tracer, tags: { 'peer.port': 80 } }),
    )!;
    assert.equal(span.traceId, parent.traceId);
    assert.equal(span.parentId, parent.spanId);
    assert.deepEqual(tagsOf(span), { 'span.kind': 'client', component: 'http', 'peer.port': 80 });
  });

  it('starts a new trace without a parent unless requireParent is set', () => {
    const root = tracer.withSpan(undefined, () => startClientSpan('q', { component: 'pg', tracer }))!;
    assert.equal(root.parentId, null);
    assert.equal(tracer.withSpan(undefined, () => startClientSpan('q', { component: 'pg', tracer, requireParent: true })), undefined);
  });

  it('honours childOf and kind', () => {
    const parent = tracer.startSpan('p');
    const span = startClientSpan('publish', { component: 'q', tracer, childOf: parent.context(), kind: 'producer' })!;
    assert.equal(span.parentId, parent.spanId);
    assert.equal(tagsOf(span)['span.kind'], 'producer');
  });

  it('makes no span while tracing is suppressed', () => {
    const parent = tracer.startSpan('p');
    assert.equal(tracer.withSpan(parent, () => runWithoutTracing(() => startClientSpan('GET', { component: 'http', tracer }))), undefined);
  });

  it('uses the global tracer by default, looked up on each call', () => {
    const previous = getTracer();
    const other = new Tracer('global-one', new InMemoryReporter(), new ConstSampler(true));
    setGlobalTracer(other);
    try {
      assert.equal(startClientSpan('x', { component: 'c' })!.tracer(), other);
    } finally {
      setGlobalTracer(previous);
    }
  });
});
