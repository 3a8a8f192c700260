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
  /** Index of the first span not handled (`spans.length` unless `maxTotalBytes` stopped the list). */
  next: number;
}

/**
 * Appends `spans` from index `from` one after another to the encoder's buffer. A span larger
 * than `maxSpanBytes` is written again without its logs, then without logs and tags (tagged
 * `jt.truncated`), and left out if it still does not fit; a span that throws is rolled back
 * and left out. The list stops before the first span that would take the bytes written past
 * `maxTotalBytes` (a span kept, not the first); `next` says where to go on. Nothing here throws.
 */
export function encodeSpanList(
  encoder: JaegerThriftEncoder,
  spans: readonly SpanData[],
  maxSpanBytes = Number.POSITIVE_INFINITY,
  from = 0,
  maxTotalBytes = Number.POSITIVE_INFINITY,
): EncodedSpanList {
  const w = encoder.writer;
  const first = w.pos;
  const result: EncodedSpanList = { ends: [], truncated: 0, tooLarge: 0, failed: 0, next: spans.length };
  for (let i = from; i < spans.length; i++) {
    const span = spans[i];
    const start = w.pos;
    let truncated = false;
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
        truncated = true;
      }
    } catch (err) {
      w.pos = start;
      result.failed++;
      result.error ??= err instanceof Error ? err : new Error(String(err));
      continue;
    }
    if (w.pos - first > maxTotalBytes && result.ends.length > 0) {
      // it starts the next list instead (one span per list is encoded twice)
      w.pos = start;
      result.next = i;
      return result;
    }
    if (truncated) result.truncated++;
    result.ends.push(w.pos);
  }
  return result;
}
