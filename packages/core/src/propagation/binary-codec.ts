import { isZeroId } from '../ids';
import { SpanContext } from '../span-context';
import { BaggageCollector } from './baggage-reader';

/**
 * Jaeger's binary format (as the Go and Java clients write it), big-endian:
 * traceIdHigh(8) traceIdLow(8) spanId(8) parentId(8) flags(1) baggageCount(4)
 * then per item keyLength(4) key valueLength(4) value.
 */
const HEADER_BYTES = 8 * 4 + 1 + 4;
const MAX_BAGGAGE_BYTES = 512 * 1024;

export function encodeBinaryContext(ctx: SpanContext): Buffer {
  const entries = Object.entries(ctx.baggage).map(([k, v]) => [Buffer.from(k), Buffer.from(v)] as const);
  const size = entries.reduce((sum, [k, v]) => sum + 8 + k.length + v.length, HEADER_BYTES);
  const buf = Buffer.alloc(size);
  const traceId = ctx.traceId.padStart(32, '0');
  buf.write(traceId, 0, 16, 'hex');
  buf.write(ctx.spanId || '0'.repeat(16), 16, 8, 'hex');
  buf.write(ctx.parentId ?? '0000000000000000', 24, 8, 'hex');
  buf.writeUInt8(ctx.flags & 0xff, 32);
  buf.writeUInt32BE(entries.length, 33);
  let offset = HEADER_BYTES;
  for (const [key, value] of entries) {
    buf.writeUInt32BE(key.length, offset);
    key.copy(buf, offset + 4);
    offset += 4 + key.length;
    buf.writeUInt32BE(value.length, offset);
    value.copy(buf, offset + 4);
    offset += 4 + value.length;
  }
  return buf;
}

/** Decodes the binary format; `null` on anything short, zero or inconsistent. Never throws. */
export function decodeBinaryContext(input: Uint8Array): SpanContext | null {
  if (input.length < HEADER_BYTES) return null;
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const high = buf.toString('hex', 0, 8);
  const low = buf.toString('hex', 8, 16);
  const spanId = buf.toString('hex', 16, 24);
  const parent = buf.toString('hex', 24, 32);
  if (isZeroId(low) && isZeroId(high)) return null;
  if (isZeroId(spanId)) return null;
  // a 64-bit trace id (high half zero) stays 64-bit
  const traceId = isZeroId(high) ? low : high + low;
  const flags = buf.readUInt8(32);
  const count = buf.readUInt32BE(33);
  const baggage = new BaggageCollector();
  let offset = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (offset + 4 > buf.length) return null;
    // past the bound keep the ids and the baggage read so far rather than lose the trace
    if (offset - HEADER_BYTES > MAX_BAGGAGE_BYTES) break;
    const keyLength = buf.readUInt32BE(offset);
    if (offset + 4 + keyLength + 4 > buf.length) return null;
    const key = buf.toString('utf8', offset + 4, offset + 4 + keyLength);
    offset += 4 + keyLength;
    const valueLength = buf.readUInt32BE(offset);
    if (offset + 4 + valueLength > buf.length) return null;
    baggage.add(key, buf.toString('utf8', offset + 4, offset + 4 + valueLength));
    offset += 4 + valueLength;
  }
  return new SpanContext(traceId, spanId, isZeroId(parent) ? null : parent, flags, baggage.result());
}
