import assert from 'node:assert/strict';
import { createThriftWriter, JaegerThriftEncoder } from '../../src/thrift/jaeger-encoder';
import { encodeSpanList } from '../../src/thrift/span-list';
import { makeSpan, spanIdOf } from './span-fixtures';
import { decodeSpan } from './thrift-decoder';

const encoder = () => new JaegerThriftEncoder('compact', createThriftWriter('compact', 256));

describe('encodeSpanList', () => {
  const spans = Array.from({ length: 10 }, (_, i) => makeSpan({ spanId: spanIdOf(i + 1), operationName: `op-${i + 1}` }));

  it('appends every span from `from` on, with each one end offset', () => {
    const e = encoder();
    const list = encodeSpanList(e, spans, Infinity, 3);
    assert.equal(list.next, 10);
    assert.equal(list.ends.length, 7);
    let start = 0;
    const names = list.ends.map((end) => {
      const name = decodeSpan('compact', e.writer.buf.subarray(start, end)).operationName;
      start = end;
      return name;
    });
    assert.deepEqual(names, ['op-4', 'op-5', 'op-6', 'op-7', 'op-8', 'op-9', 'op-10']);
  });

  it('stops before the span that would pass maxTotalBytes, rolled back, and says where to go on', () => {
    const one = encodeSpanList(encoder(), spans.slice(0, 1)).ends[0]!;
    const e = encoder();
    const list = encodeSpanList(e, spans, Infinity, 0, one * 3 + 1);
    assert.equal(list.ends.length, 3);
    assert.equal(list.next, 3);
    assert.equal(e.writer.pos, list.ends[2], 'the fourth span is not left in the buffer');
    // the next list starts where this one stopped
    e.writer.reset();
    const rest = encodeSpanList(e, spans, Infinity, list.next, one * 3 + 1);
    assert.equal(rest.next, 6);
    assert.equal(decodeSpan('compact', e.writer.buf.subarray(0, rest.ends[0])).operationName, 'op-4');
  });

  it('keeps a span that ends exactly at maxTotalBytes', () => {
    const one = encodeSpanList(encoder(), spans.slice(0, 1)).ends[0]!;
    const list = encodeSpanList(encoder(), spans, Infinity, 0, one * 3);
    assert.deepEqual([list.ends.length, list.next], [3, 3]);
  });

  it('always keeps a first span that fits maxSpanBytes, even past maxTotalBytes', () => {
    const list = encodeSpanList(encoder(), spans, Infinity, 0, 1);
    assert.deepEqual([list.ends.length, list.next], [1, 1]);
  });

  it('spans left out (too large, or throwing) count once and do not stop the list', () => {
    const huge = makeSpan({ operationName: 'n'.repeat(5000) });
    const broken = makeSpan({});
    Object.defineProperty(broken, 'operationName', {
      get() {
        throw new Error('broken getter');
      },
    });
    const list = encodeSpanList(encoder(), [spans[0]!, huge, broken, spans[1]!], 1000, 0, 10_000);
    assert.deepEqual([list.ends.length, list.tooLarge, list.failed, list.next], [2, 1, 1, 4]);
    assert.match(String(list.error?.message), /broken getter/);
  });
});
