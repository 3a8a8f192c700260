import type { Tag, TagValue } from './span-data';

/**
 * A span's tags kept flat, each key followed by its value (`[k0, v0, k1, v1, …]`): one array
 * per span and no object per tag. A server span has 8–12 tags, and a sampled span waits in the
 * reporter's queue for its batch, so every tag object would be one more allocation, one more
 * object for the scavenger to copy, and one more cache miss when the batch is encoded.
 */
export type TagPairs = unknown[];

/** `tags` as flat pairs (a new array). */
export function flattenTags(tags: readonly Tag[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < tags.length; i++) out.push(tags[i].key, tags[i].value);
  return out;
}

/** The pairs as `{ key, value }` objects (a new array each call); an odd trailing key is left out. */
export function tagsOfPairs(pairs: readonly unknown[]): Tag[] {
  const tags: Tag[] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) tags.push({ key: pairs[i] as string, value: pairs[i + 1] as TagValue });
  return tags;
}
