import type { SpanData } from '../span-data';
import { JaegerThriftEncoder, SpanTrim } from './jaeger-encoder';

/** What {@link encodeSpanList} did with each span of a batch. */
export interface EncodedSpanList {
  /**
   * End offset in the encoder's buffer of each span kept, in order; the first starts at the
   * offset `encodeSpanList` began at. Any consecutive run of spans is one contiguous slice.
   */
  ends: number[];
  /** Spans written with their logs (and, if needed, tags) cut so they fit. */
  truncated: number;
  /** Spans left out: too large even when cut. */
  tooLarge: number;
  /** Spans left out because reading them threw (a broken getter or tag value). */
  failed: number;
  /** The first error a span threw, if any. */
  error?: Error;
}

/**
 * Appends `spans` one after another to the encoder's buffer. A span larger than
 * `maxSpanBytes` is written again without its logs, then without logs and tags (tagged
 * `jt.truncated`), and left out if it still does not fit; a span that throws is rolled back
 * and left out. Nothing here throws.
 */
export function encodeSpanList(
  encoder: JaegerThriftEncoder,
  spans: readonly SpanData[],
  maxSpanBytes = Number.POSITIVE_INFINITY,
): EncodedSpanList {
  const w = encoder.writer;
  const result: EncodedSpanList = { ends: [], truncated: 0, tooLarge: 0, failed: 0 };
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    const start = w.pos;
    try {
      if (encoder.writeSpan(span) > maxSpanBytes) {
        w.pos = start;
        if (encoder.writeSpan(span, SpanTrim.DROP_LOGS) > maxSpanBytes) {
          w.pos = start;
          if (encoder.writeSpan(span, SpanTrim.DROP_LOGS_AND_TAGS) > maxSpanBytes) {
            w.pos = start;
            result.tooLarge++;
            continue;
          }
        }
        result.truncated++;
      }
      result.ends.push(w.pos);
    } catch (err) {
      w.pos = start;
      result.failed++;
      result.error ??= err instanceof Error ? err : new Error(String(err));
    }
  }
  return result;
}
