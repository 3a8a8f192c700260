/**
 * A trace id made here, with its two 64-bit halves as signed 32-bit words, read from the
 * random bytes the id was made of. Encoders write ids as integers: parsing 32 hex chars back
 * costs ~110 ns per span, and every server span starts a trace of its own, so the words are
 * kept from the start. On Node's 64-bit heap (official builds have no pointer compression) an
 * int32 is a Smi, so the words cost no allocation of their own; with pointer compression
 * (31-bit Smis) about half of them would be boxed, which costs speed, never correctness.
 *
 * `hex` is the id these words belong to: a context whose `traceId` was replaced afterwards
 * no longer matches, and encoders parse its string instead.
 */
export class TraceIdWords {
  constructor(
    /** The id as fixed-width lowercase hex (32 chars, or 16 for a 64-bit trace). */
    readonly hex: string,
    /** High 32 bits of the low 64 (the id's hex chars -16..-8). */
    readonly lowHigh: number,
    /** Low 32 bits of the low 64 (the last 8 hex chars). */
    readonly lowLow: number,
    /** High 32 bits of the high 64 (0 for a 64-bit id). */
    readonly highHigh: number,
    /** Low 32 bits of the high 64 (0 for a 64-bit id). */
    readonly highLow: number,
  ) {}
}

/** The words of `traceId` when `words` belong to it (encoders parse the hex otherwise). */
export function matchingWords(traceId: string, words: TraceIdWords | undefined): TraceIdWords | undefined {
  return words !== undefined && words.hex === traceId ? words : undefined;
}
