import { strict as assert } from 'assert';
import fc from 'fast-check';
import * as protobuf from 'protobufjs';
import { ProtoWriter, WireType } from '../../src/otlp/proto-writer';

/** protobufjs's reader, an independent decoder of the wire format. */
const reader = (bytes: Uint8Array): protobuf.Reader => protobuf.Reader.create(bytes);

describe('otlp/proto-writer', () => {
  it('writes int64 varints that protobufjs reads back, incl. negatives and 2^32 boundaries', () => {
    const samples = [0, 1, 127, 128, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER, -1, -(2 ** 32), -(2 ** 32) - 1, -(2 ** 31), Number.MIN_SAFE_INTEGER];
    for (const value of samples) {
      const bytes = new ProtoWriter(4).int64(value).finish();
      assert.equal(reader(bytes).int64().toString(), String(value), `int64 ${value}`);
      if (value < 0) assert.equal(bytes.length, 10, 'negative int64 takes ten bytes');
    }
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (value) => {
        return reader(new ProtoWriter(4).int64(value).finish()).int64().toString() === String(value);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (value) => {
        return reader(new ProtoWriter(4).int64Big(value).finish()).int64().toString() === value.toString();
      }),
      { numRuns: 500 },
    );
  });

  it('writes fixed32, fixed64, double and bool', () => {
    const bytes = new ProtoWriter(4).fixed32(0xdeadbeef).fixed64(0x89abcdef, 0x01234567).double(-1.5e300).bool(true).bool(false).finish();
    const r = reader(bytes);
    assert.equal(r.fixed32(), 0xdeadbeef);
    assert.equal(r.fixed64().toString(16), '123456789abcdef');
    assert.equal(r.double(), -1.5e300);
    assert.equal(r.bool(), true);
    assert.equal(r.bool(), false);
    assert.equal(r.pos, bytes.length);
  });

  it('writes strings of every length class with correct byte lengths', () => {
    const samples = ['', 'a', '✓'.repeat(42), '✓'.repeat(43), '✓'.repeat(59), '😀'.repeat(21), '😀'.repeat(22), 'é'.repeat(64), 'x'.repeat(127), 'x'.repeat(128), 'y'.repeat(20_000)];
    for (const text of samples) {
      const r = reader(new ProtoWriter(8).string(text).string('after').finish());
      assert.equal(r.string(), text, `length ${text.length}`);
      assert.equal(r.string(), 'after');
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const r = reader(new ProtoWriter(8).string(text).finish());
        return r.string() === Buffer.from(text, 'utf8').toString('utf8');
      }),
      { numRuns: 300 },
    );
  });

  it('writes ids from hex (either case), zeroing malformed bytes to keep the length honest', () => {
    const r = reader(new ProtoWriter(2).hexBytes('00f067aa0ba902b7').hexBytes('ABCDEF09').hexBytes('zz11').uint32(7).finish());
    assert.equal(Buffer.from(r.bytes()).toString('hex'), '00f067aa0ba902b7');
    assert.equal(Buffer.from(r.bytes()).toString('hex'), 'abcdef09');
    assert.equal(Buffer.from(r.bytes()).toString('hex'), '0011');
    assert.equal(r.uint32(), 7);
  });

  it('back-patches nested message lengths of 1, 2 and 3 varint bytes', () => {
    for (const size of [0, 100, 125, 126, 127, 200, 16_000, 16_400, 300_000]) {
      const writer = new ProtoWriter(8);
      const outer = writer.beginMessage(3);
      const inner = writer.beginMessage(1);
      writer.tag(2, WireType.LengthDelimited).bytes(Buffer.alloc(size, 7));
      writer.endMessage(inner);
      writer.tag(4, WireType.Varint).uint32(99);
      writer.endMessage(outer);
      writer.tag(5, WireType.Varint).uint32(1);

      const r = reader(writer.finish());
      assert.equal(r.uint32(), (3 << 3) | 2);
      const outerLength = r.uint32();
      const outerEnd = r.pos + outerLength;
      assert.equal(r.uint32(), (1 << 3) | 2);
      const innerEnd = r.uint32() + r.pos;
      assert.equal(r.uint32(), (2 << 3) | 2);
      const payload = r.bytes();
      assert.equal(payload.length, size);
      assert.ok(payload.every((b) => b === 7));
      assert.equal(r.pos, innerEnd);
      assert.equal(r.uint32(), (4 << 3) | 0);
      assert.equal(r.uint32(), 99);
      assert.equal(r.pos, outerEnd, `outer length for ${size}`);
      assert.equal(r.uint32(), (5 << 3) | 0);
      assert.equal(r.uint32(), 1);
      assert.equal(r.pos, r.len);
    }
  });

  it('reset keeps the grown buffer and starts over', () => {
    const writer = new ProtoWriter(4);
    writer.string('z'.repeat(1000));
    writer.reset().uint32(5);
    assert.deepEqual([...writer.finish()], [5]);
  });
});
