import { randomFillSync } from 'node:crypto';
import { TraceIdWords } from './trace-id-words';

/**
 * Random ids from a pooled crypto source: one `randomFillSync` + one hex conversion serves
 * 2048 span ids, and each id is a substring of the pooled hex (V8 slices, no copy). The pool's
 * bytes stay beside their hex until the next refill, so an id's integer words are read from
 * them rather than parsed back.
 */
// 16 KiB. Each id is a slice that keeps its pool's whole hex alive, so every pool with an id
// still referenced stays live (mostly the last one or two: 32 KB of hex each). A 4 KiB pool
// would keep 8 KB each, but fills cost 11.7 rather than 8.4 ns per span id, and unsampled root
// spans, which pay for their ids and little else, have a 100 ns budget (bench/README.md).
const POOL_BYTES = 16384;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let hex = '';
let cursor = 0;

function refill(): void {
  randomFillSync(pool);
  hex = pool.toString('hex');
  cursor = 0;
}

/** `chars` random lowercase hex chars that are not all zero (zero ids are invalid in Jaeger). */
function randomHex(chars: 16 | 32): string {
  if (cursor + chars > hex.length) refill();
  const at = cursor;
  const id = hex.substring(at, at + chars);
  cursor += chars;
  // probability 2^-64: draw again rather than emit an invalid id
  if (isZeroId(id)) return randomHex(chars);
  lastId = id;
  lastIdByte = at >>> 1;
  return id;
}

/** The last id made and where its bytes start in the pool (valid until the next refill). */
let lastId = '';
let lastIdByte = 0;

/** A new 64-bit span id as 16 hex chars. */
export function newSpanId(): string {
  return randomHex(16);
}

/** A new trace id: 32 hex chars (128-bit) or 16 (64-bit). */
export function newTraceId(use128bit: boolean): string {
  return randomHex(use128bit ? 32 : 16);
}

/**
 * The integer words of `traceId`, read from the random bytes it was made of, when it is the
 * last id made here (call it right after {@link newTraceId}, before any other id is made);
 * `undefined` otherwise. Kept apart from `newTraceId` so that a trace that is not sampled, whose id is
 * never encoded, pays for neither the reads nor the object.
 */
export function wordsOfNewTraceId(traceId: string): TraceIdWords | undefined {
  if (traceId !== lastId) return undefined;
  const byte = lastIdByte;
  if (traceId.length === 16) return new TraceIdWords(traceId, pool.readInt32BE(byte), pool.readInt32BE(byte + 4), 0, 0);
  return new TraceIdWords(
    traceId,
    pool.readInt32BE(byte + 8),
    pool.readInt32BE(byte + 12),
    pool.readInt32BE(byte),
    pool.readInt32BE(byte + 4),
  );
}

const HEX_ID = /^[0-9a-f]+$/;

/**
 * Parses an id of up to `maxChars` hex chars (any case, any width as other clients emit them
 * unpadded) into the fixed width we use; `null` when not hex, too long, or zero.
 */
export function normalizeHexId(raw: string, maxChars: 16 | 32): string | null {
  const len = raw.length;
  if (len === 0 || len > maxChars) return null;
  const lower = raw.toLowerCase();
  if (!HEX_ID.test(lower)) return null;
  const width = len <= 16 ? 16 : 32;
  const id = len === width ? lower : lower.padStart(width, '0');
  return isZeroId(id) ? null : id;
}

export function isZeroId(id: string): boolean {
  for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) !== 48) return false;
  return true;
}
