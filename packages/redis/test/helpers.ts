import { randomBytes } from 'node:crypto';
import { ConstSampler, InMemoryReporter, Tracer, type Span } from '@jt/core';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix unique to this run, so parallel runs never share keys. */
export const KEY_PREFIX = `jt-test:redis:${process.pid}:${randomBytes(4).toString('hex')}:`;

export function newTracer(): { tracer: Tracer; reporter: InMemoryReporter } {
  const reporter = new InMemoryReporter();
  return { reporter, tracer: new Tracer('redis-test', reporter, new ConstSampler(true)) };
}

export function tagsOf(span: Span): Record<string, unknown> {
  const tags: Record<string, unknown> = {};
  for (const tag of span.tags) tags[tag.key] = tag.value;
  return tags;
}

/** Every tag and log value of the spans as text (errors by message and stack, as reporters encode them). */
export function everythingRecorded(spans: readonly Span[]): string {
  const parts: string[] = [];
  const add = (value: unknown): void => {
    if (value instanceof Error) parts.push(value.message, String(value.stack));
    else if (Buffer.isBuffer(value)) parts.push(value.toString('latin1'));
    else parts.push(String(value));
  };
  for (const span of spans) {
    parts.push(span.operationName);
    for (const tag of span.tags) add(tag.value);
    for (const log of span.logs) for (const field of log.fields) add(field.value);
  }
  return parts.join('\n');
}

export function byName(spans: readonly Span[], name: string): Span[] {
  return spans.filter((span) => span.operationName === name);
}

/** Waits until `predicate` holds (polling), failing after `ms`. */
export async function waitFor(predicate: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
