import assert from 'node:assert/strict';
import { decodeBinaryContext, encodeBinaryContext } from '../../src/propagation/binary-codec';
import { SpanContext } from '../../src/span-context';

/** Hand-built reference bytes in the Go/Java clients' layout, written independently of the codec. */
function reference(high: string, low: string, span: string, parent: string, flags: number, items: [string, string][]): Buffer {
  const parts = [Buffer.from(high + low + span + parent, 'hex'), Buffer.from([flags])];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  parts.push(u32(items.length));
  for (const [k, v] of items) parts.push(u32(Buffer.byteLength(k)), Buffer.from(k), u32(Buffer.byteLength(v)), Buffer.from(v));
  return Buffer.concat(parts);
}

describe('binary codec', () => {
  it('encodes the documented big-endian layout (128-bit, parent, baggage)', () => {
    const ctx = new SpanContext('0123456789abcdeffedcba9876543210', '1111111111111111', '2222222222222222', 3, { k: 'v é' });
    const expected = reference('0123456789abcdef', 'fedcba9876543210', '1111111111111111', '2222222222222222', 3, [['k', 'v é']]);
    assert.deepEqual(encodeBinaryContext(ctx), expected);
    assert.deepEqual(decodeBinaryContext(expected), ctx);
  });

  it('keeps a 64-bit trace id 64-bit and a zero parent as null', () => {
    const bytes = reference('0000000000000000', '00000000000000ab', '00000000000000cd', '0000000000000000', 1, []);
    const ctx = decodeBinaryContext(bytes);
    assert.equal(ctx?.traceId, '00000000000000ab');
    assert.equal(ctx?.parentId, null);
    assert.deepEqual(encodeBinaryContext(ctx!), bytes);
  });

  it('rejects short, zero-id and lying inputs with null', () => {
    assert.equal(decodeBinaryContext(Buffer.alloc(36)), null);
    assert.equal(decodeBinaryContext(reference('0'.repeat(16), '0'.repeat(16), '1'.repeat(16), '0'.repeat(16), 1, [])), null);
    assert.equal(decodeBinaryContext(reference('0'.repeat(16), '1'.repeat(16), '0'.repeat(16), '0'.repeat(16), 1, [])), null);
    const lying = reference('0'.repeat(16), '1'.repeat(16), '2'.repeat(16), '0'.repeat(16), 1, [['k', 'v']]);
    lying.writeUInt32BE(5, 33);
    assert.equal(decodeBinaryContext(lying), null);
    lying.writeUInt32BE(1, 33);
    lying.writeUInt32BE(0xffffffff, 37);
    assert.equal(decodeBinaryContext(lying), null);
  });

  it('decodes from a Uint8Array view at an offset', () => {
    const bytes = reference('0'.repeat(16), 'ab'.repeat(8), 'cd'.repeat(8), '0'.repeat(16), 1, []);
    const backing = new Uint8Array(bytes.length + 7);
    backing.set(bytes, 7);
    assert.equal(decodeBinaryContext(backing.subarray(7))?.spanId, 'cd'.repeat(8));
  });

  // Regression (fixed): encodeBinaryContext (src/propagation/binary-codec.ts line 13) writes any amount of baggage,
  // but decodeBinaryContext (line 52) returns null for the WHOLE context once baggage exceeds
  // MAX_BAGGAGE_BYTES (64 KiB). A context within our own limits (64 items x 2048 chars) therefore
  // does not survive our own inject/extract: expected the ids back, actual null. The encoder should
  // stop adding items at the cap (or the decoder should drop the excess baggage, not the trace).
  it('a context with maximal allowed baggage round-trips', () => {
    const baggage: Record<string, string> = {};
    for (let i = 0; i < 64; i++) baggage[`k${i}`] = 'v'.repeat(2048);
    const ctx = new SpanContext('1'.repeat(32), '2'.repeat(16), null, 1, baggage);
    assert.equal(decodeBinaryContext(encodeBinaryContext(ctx))?.traceId, ctx.traceId);
  });
});
