import assert from 'node:assert/strict';
import { B3SingleCodec } from '../../src/propagation/b3-single-codec';
import { textMapGetter, textMapSetter } from '../../src/propagation/carrier';
import { SpanContext } from '../../src/span-context';

const getter = textMapGetter as never;
const setter = textMapSetter as never;
const T = '80f198ee56343ba864fe8b2a57d3eff7';
const S = 'e457b5a2e4d86bd1';
const P = '05e3ac9a4f6e3b90';

describe('B3SingleCodec', () => {
  it('injects {trace}-{span}-{1|0|d}[-{parent}]', () => {
    const cases: [number, string | null, string][] = [
      [1, P, `${T}-${S}-1-${P}`],
      [0, null, `${T}-${S}-0`],
      [3, null, `${T}-${S}-d`],
    ];
    for (const [flags, parent, header] of cases) {
      const out: Record<string, string> = {};
      new B3SingleCodec().inject(new SpanContext(T, S, parent, flags), out, setter);
      assert.deepEqual(out, { b3: header });
    }
  });

  it('extracts the spec examples', () => {
    const c = new B3SingleCodec();
    const full = c.extract({ b3: `${T}-${S}-1-${P}` }, getter);
    assert.deepEqual([full?.traceId, full?.spanId, full?.parentId, full?.flags], [T, S, P, 1]);
    assert.equal(c.extract({ b3: `${T}-${S}-d` }, getter)?.flags, 3);
    assert.equal(c.extract({ b3: `${T}-${S}` }, getter)?.flags, 0);
    assert.equal(c.extract({ b3: `a3ce929d0e0e4736-${S}-1` }, getter)?.traceId, 'a3ce929d0e0e4736');
  });

  it('returns null on malformed values (sampling-only, bad sampling, bad parent, extra fields)', () => {
    const c = new B3SingleCodec();
    for (const bad of ['0', '1', 'd', `${T}-${S}-x`, `${T}-${S}-1-zz`, `${T}-${S}-1-${P}-9`, `${T}`, `0-${S}-1`, `${T}--1`, '']) {
      assert.equal(c.extract({ b3: bad }, getter), null, bad);
    }
  });
});
