import { randomBytes } from 'node:crypto';
import { ConstSampler, InMemoryReporter, Tracer, type Span } from '@jt/core';

/** Connection settings from the environment, with the test services' defaults. */
export const PG_CONFIG = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  database: process.env.PGDATABASE ?? 'test',
  password: process.env.PGPASSWORD,
};

/** A table name unique to this run, so parallel runs never share rows. */
export const TABLE = `jt_test_${process.pid}_${randomBytes(4).toString('hex')}`;

export function newTracer(): { tracer: Tracer; reporter: InMemoryReporter } {
  const reporter = new InMemoryReporter();
  return { reporter, tracer: new Tracer('pg-test', reporter, new ConstSampler(true)) };
}

export function tagsOf(span: Span): Record<string, unknown> {
  const tags: Record<string, unknown> = {};
  for (const tag of span.tags) tags[tag.key] = tag.value;
  return tags;
}

/** Every tag and log value of the spans as text (errors by message and stack, as reporters encode them). */
export function everythingRecorded(spans: readonly Span[]): string {
  const parts: string[] = [];
  for (const span of spans) {
    parts.push(span.operationName);
    for (const tag of span.tags) parts.push(String(tag.value));
    for (const log of span.logs) {
      for (const field of log.fields) {
        const value = field.value as unknown;
        parts.push(value instanceof Error ? `${value.message}\n${value.stack}` : String(value));
      }
    }
  }
  return parts.join('\n');
}

export function byName(spans: readonly Span[], name: string): Span[] {
  return spans.filter((span) => span.operationName === name);
}

export function errorFields(span: Span): Record<string, unknown> | undefined {
  const log = span.logs.find((l) => l.fields.some((f) => f.key === 'event' && f.value === 'error'));
  return log === undefined ? undefined : Object.fromEntries(log.fields.map((f) => [f.key, f.value]));
}
