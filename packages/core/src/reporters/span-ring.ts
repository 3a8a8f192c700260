import type { SpanData } from '../span-data';

/** Slots of a new ring; grown by doubling as the queue first gets longer. */
const INITIAL_SLOTS = 64;

/**
 * The reporter's bounded FIFO queue of finished spans. Pushes (amortised) and takes are O(1)
 * and taken slots are cleared, so sent spans can be collected. Its array doubles, up to
 * `capacity`, only when every slot holds a span, and never shrinks: it is as long as the longest
 * queue seen (rounded up), not `capacity`. Batches of 500 under steady load keep 512 slots
 * (4 KB), where a ring that wraps only at `capacity` ends up holding 10,000 (80 KB).
 */
export class SpanRing {
  private slots: (SpanData | undefined)[] = [];
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.size;
  }

  /** How many slots the ring holds now (for tests and memory checks). */
  get slotCount(): number {
    return this.slots.length;
  }

  /** Adds `span` at the end; false (nothing added) when the queue holds `capacity` spans. */
  push(span: SpanData): boolean {
    if (this.size === this.capacity) return false;
    if (this.size === this.slots.length) this.grow();
    const length = this.slots.length;
    const tail = this.head + this.size;
    this.slots[tail >= length ? tail - length : tail] = span;
    this.size++;
    return true;
  }

  /** Removes and returns up to `max` spans from the front. */
  take(max: number): SpanData[] {
    const n = Math.min(max, this.size);
    const out = new Array<SpanData>(n);
    const length = this.slots.length;
    for (let i = 0; i < n; i++) {
      out[i] = this.slots[this.head] as SpanData;
      this.slots[this.head] = undefined;
      this.head = this.head + 1 === length ? 0 : this.head + 1;
    }
    this.size -= n;
    return out;
  }

  /** Copies the queue, in order, to the front of an array twice as long (at most `capacity`). */
  private grow(): void {
    const length = this.slots.length;
    const next: (SpanData | undefined)[] = new Array(Math.min(this.capacity, Math.max(INITIAL_SLOTS, length * 2)));
    for (let i = 0; i < this.size; i++) {
      const at = this.head + i;
      next[i] = this.slots[at >= length ? at - length : at];
    }
    this.slots = next;
    this.head = 0;
  }
}
