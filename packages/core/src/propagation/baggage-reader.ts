import type { Baggage } from '../span-context';
import { EMPTY_BAGGAGE } from '../span-context';
import { DEFAULT_MAX_BAGGAGE_ITEMS, DEFAULT_MAX_BAGGAGE_VALUE_LENGTH } from '../baggage';

/**
 * Collects inbound baggage under the limits, so a hostile carrier cannot make us hold
 * unbounded data. Keys are lower-cased (header names are case-insensitive).
 */
export class BaggageCollector {
  private items: Record<string, string> | null = null;
  private count = 0;

  constructor(
    private readonly maxItems = DEFAULT_MAX_BAGGAGE_ITEMS,
    private readonly maxValueLength = DEFAULT_MAX_BAGGAGE_VALUE_LENGTH,
  ) {}

  add(key: string, value: string): void {
    if (key.length === 0 || this.count >= this.maxItems || !isPrintable(key)) return;
    const k = key.toLowerCase();
    if (k === '__proto__') return;
    let v = value.length > this.maxValueLength ? value.slice(0, this.maxValueLength) : value;
    if (!isPrintable(v)) v = v.replace(CONTROL_CHARS, '');
    if (this.items === null) this.items = Object.create(null) as Record<string, string>;
    if (!(k in this.items)) this.count++;
    this.items[k] = v;
  }

  result(): Baggage {
    return this.items === null ? EMPTY_BAGGAGE : { ...this.items };
  }

  isEmpty(): boolean {
    return this.items === null;
  }
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

function isPrintable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
}
