/**
 * Splitting 64-bit values into the two 32-bit halves the thrift writers take. Ids arrive
 * as hex strings and are parsed digit by digit: parsing through a Number would round
 * anything above 2^53.
 */

const TWO_32 = 4294967296;

/** Value of each ASCII hex digit, -1 for anything else. */
const HEX_VALUE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) table[48 + i] = i;
  for (let i = 0; i < 6; i++) {
    table[65 + i] = 10 + i;
    table[97 + i] = 10 + i;
  }
  return table;
})();

/**
 * The unsigned 32-bit value of the hex digits `hex[from, to)`, positions before 0 read as
 * leading zeros. A character that is not a hex digit reads as 0, so garbage never throws.
 */
export function hexToUint32(hex: string, from: number, to: number): number {
  let value = 0;
  for (let i = from < 0 ? 0 : from; i < to; i++) {
    const c = hex.charCodeAt(i);
    const digit = c < 128 ? HEX_VALUE[c] : -1;
    value = (value << 4) | (digit < 0 ? 0 : digit);
  }
  return value >>> 0;
}

/** High 32 bits (signed) of an integral number; NaN and infinities read as 0. */
export function numberHigh(n: number): number {
  return Math.floor(n / TWO_32) | 0;
}

/** Low 32 bits (unsigned) of an integral number (exact for any |n| < 2^63 in reach of a double). */
export function numberLow(n: number): number {
  return n >>> 0;
}

/** Truncates to an integer (µs timestamps should already be whole); non-finite becomes 0. */
export function toInteger(n: number): number {
  if (Number.isInteger(n)) return n;
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

/** High 32 bits (unsigned) of a bigint's 64-bit two's complement. */
export function bigintHigh(n: bigint): number {
  return Number(BigInt.asUintN(32, n >> 32n));
}

/** Low 32 bits (unsigned) of a bigint. */
export function bigintLow(n: bigint): number {
  return Number(BigInt.asUintN(32, n));
}
