import assert from 'node:assert/strict';
import { B3MultiCodec } from '../../src/propagation/b3-multi-codec';
import { textMapGetter, textMapSetter } from '../../src/propagation/carrier';
import { SpanContext } from '../../src/span-context';

const getter = textMapGetter as never;
const setter = textMapSetter as never;
const T = '0af7651916cd43dd8448eb211c80319c';
const S = 'b7ad6b7169203331';

describe('B3MultiCodec', () => {
  it('injects ids, parent and sampled, or X-B3-Flags instead of sampled for debug', () => {
    const out: Record<string, string> = {};
    new B3MultiCodec().inject(new SpanContext(T, S, '00000000000000ab', 0), out, setter);
    assert.deepEqual(out, { 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-parentspanid': '00000000000000ab', 'x-b3-sampled': '0' });
    const debug: Record<string, string> = {};
    new B3MultiCodec().inject(new SpanContext(T, S, null, 3), debug, setter);
    assert.deepEqual(debug, { 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-flags': '1' });
  });

  it('extracts sampled as 1/true, debug from flags, unpadded 64-bit ids as 64-bit', () => {
    const c = new B3MultiCodec();
    assert.equal(c.extract({ 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-sampled': 'true' }, getter)?.flags, 1);
    assert.equal(c.extract({ 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-sampled': '0', 'x-b3-flags': '1' }, getter)?.flags, 3);
    assert.equal(c.extract({ 'x-b3-traceid': T, 'x-b3-spanid': S }, getter)?.flags, 0);
    const short = c.extract({ 'x-b3-traceid': ' ABC ', 'x-b3-spanid': 'd' }, getter);
    assert.equal(short?.traceId, '0000000000000abc');
    assert.equal(short?.spanId, '000000000000000d');
  });

  it('returns null on missing, zero, overlong or non-hex ids; ignores a bad parent', () => {
    const c = new B3MultiCodec();
    for (const [t, s] of [[T, undefined], ['0', S], [T, '0'.repeat(16)], [`${T}0`, S], [T, 'xyz'], [T, `${S}0`]]) {
      assert.equal(c.extract({ 'x-b3-traceid': t, 'x-b3-spanid': s }, getter), null, `${t} ${s}`);
    }
    assert.equal(c.extract({ 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-parentspanid': 'zz' }, getter)?.parentId, null);
  });
});
