import { makeDecisions, type Sampler, type SamplingDecision } from './sampler';

const TWO_POW_32 = 4294967296;
const TWO_POW_63 = 2 ** 63;

/** Throws unless `rate` is a number in [0, 1]. */
export function assertSamplingRate(rate: number, what = 'sampling rate'): void {
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new Error(`${what} must be a number in [0, 1], got ${String(rate)}`);
  }
}

/**
 * Samples a fraction `rate` of traces, decided from the trace id (not Math.random) so that
 * every service seeing the same trace agrees, as the Jaeger Go client does: the low 64 bits
 * of the id, top bit masked, are sampled iff they are below `rate * 2^63`.
 */
export class ProbabilisticSampler implements Sampler {
  private rate = 0;
  // ceil(rate * 2^63) split in 32-bit halves: for an integer v, v < x exactly when
  // v < ceil(x), and halves keep the comparison exact without BigInt on the hot path.
  private boundaryHigh = 0;
  private boundaryLow = 0;
  private yes!: SamplingDecision;
  private no!: SamplingDecision;

  /** @param samplingRate probability in [0, 1]; throws otherwise. */
  constructor(samplingRate: number) {
    this.setRate(samplingRate);
  }

  get samplingRate(): number {
    return this.rate;
  }

  /** Applies a new rate; returns whether it changed. Throws (and keeps the old rate) if invalid. */
  update(samplingRate: number): boolean {
    if (samplingRate === this.rate) return false;
    this.setRate(samplingRate);
    return true;
  }

  sample(_operationName: string, traceId: string): SamplingDecision {
    return this.isSampledId(traceId) ? this.yes : this.no;
  }

  /** The bare decision for `traceId`, without tags (used by composite samplers). */
  isSampledId(traceId: string): boolean {
    const end = traceId.length;
    const high = hexWord(traceId, end - 16) & 0x7fffffff;
    if (high !== this.boundaryHigh) return high < this.boundaryHigh;
    return hexWord(traceId, end - 8) < this.boundaryLow;
  }

  close(): void {}

  private setRate(samplingRate: number): void {
    assertSamplingRate(samplingRate);
    const boundary = Math.ceil(samplingRate * TWO_POW_63); // exact: scaling by a power of two
    this.boundaryHigh = Math.floor(boundary / TWO_POW_32);
    this.boundaryLow = boundary - this.boundaryHigh * TWO_POW_32;
    this.rate = samplingRate;
    ({ yes: this.yes, no: this.no } = makeDecisions('probabilistic', samplingRate));
  }
}

/**
 * The unsigned 32-bit value of the 8 hex chars at `start`. Positions before the string count
 * as '0' (short ids) and non-hex chars as 0, so a malformed id never throws.
 */
function hexWord(id: string, start: number): number {
  let value = 0;
  for (let i = start; i < start + 8; i++) {
    value = value * 16 + (i >= 0 ? hexDigit(id.charCodeAt(i)) : 0);
  }
  return value;
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return 0;
}
