import assert from 'node:assert/strict';
import { ConstSampler, InMemoryReporter, Tracer } from '../src/index';
import type { SpanData } from '../src/span-data';
import { tagPairsOf, tagsOfPairs } from '../src/tag-pairs';
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
    tags.push({ key: 'not', value: 'kept' });
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
});
