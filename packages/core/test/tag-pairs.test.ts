import assert from 'node:assert/strict';
import { ConstSampler, InMemoryReporter, Tracer } from '../src/index';
import { tagPairsOf } from '../src/span';
import type { SpanData, Tag } from '../src/span-data';
import { tagsOfPairs } from '../src/tag-pairs';
import { makeSpan } from './thrift/span-fixtures';

describe('tag pairs', () => {
  it('reads a plain SpanData’s tags as flat pairs, and pairs back as tags, in order', () => {
    const plain: SpanData = makeSpan({ tags: [{ key: 'a', value: 1 }, { key: 'b', value: 'two' }, { key: 'a', value: true }] });
    assert.deepEqual(tagPairsOf(plain), ['a', 1, 'b', 'two', 'a', true]);
    assert.deepEqual(tagsOfPairs(['k', null, 'n', 2]), [{ key: 'k', value: null }, { key: 'n', value: 2 }]);
    assert.deepEqual(tagsOfPairs(['dangling key']), [], 'an odd trailing key has no value: left out');
  });

  it('keeps a Span’s tags flat; `tags` is a fresh {key, value} copy on each read', () => {
    const tracer = new Tracer('pairs', new InMemoryReporter(), new ConstSampler(true));
    const span = tracer.startSpan('op');
    span.setTag('component', 'x').setTag('http.status_code', 200);
    assert.equal(tagPairsOf(span), span.tagPairs, 'encoders read the span’s own array, no copy');
    const tags = span.tags;
    assert.deepEqual(tags.slice(-2), [{ key: 'component', value: 'x' }, { key: 'http.status_code', value: 200 }]);
    (tags as Tag[]).push({ key: 'not', value: 'kept' });
    assert.ok(!span.tags.some((t) => t.key === 'not'), 'changing the copy does not change the span');
    assert.notEqual(span.tags, span.tags);
  });

  it('gives an unsampled span that sampling.priority promotes a list of its own (the shared empty one stays empty)', () => {
    const tracer = new Tracer('pairs', new InMemoryReporter(), new ConstSampler(false));
    const other = tracer.startSpan('stays unsampled');
    const promoted = tracer.startSpan('promoted');
    promoted.setTag('sampling.priority', 1).setTag('after', 'yes');
    other.setTag('ignored', 'unsampled');
    assert.deepEqual(promoted.tags, [{ key: 'sampling.priority', value: 1 }, { key: 'after', value: 'yes' }]);
    assert.deepEqual(other.tags, []);
    assert.deepEqual(tracer.startSpan('new').tagPairs, []);
  });

  it('reads a wrapper’s or subclass’s own `tags`, not the pairs it inherits from a Span', () => {
    const tracer = new Tracer('pairs', new InMemoryReporter(), new ConstSampler(true));
    const span = tracer.startSpan('op').setTag('user.password', 'hunter2').setTag('kept', 1);
    // a reporter that scrubs a tag before passing the span on
    const scrubbed = Object.create(span, { tags: { value: span.tags.filter((t) => t.key !== 'user.password') } }) as SpanData;
    assert.ok(!tagPairsOf(scrubbed).includes('user.password'));
    assert.ok(tagPairsOf(scrubbed).includes('kept'));
  });

  it('keeps the shared empty array empty when a context is marked sampled behind the span’s back', () => {
    const tracer = new Tracer('pairs', new InMemoryReporter(), new ConstSampler(false));
    const span = tracer.startSpan('op');
    span.context().flags |= 1; // SAMPLED_FLAG, set directly on the public field
    span.setTag('late', 'tag');
    assert.deepEqual(span.tags, [{ key: 'late', value: 'tag' }]);
    assert.deepEqual(tracer.startSpan('another').tagPairs, []);
  });
});
