import type { SpanData } from '@jt/core';

/**
 * Reading finished spans in tests. Typed structurally (`SpanData`), so the spans of the
 * built `@jt/core` and of core's own sources (core's tests) both fit.
 */

type WithTags = Pick<SpanData, 'tags'>;
type WithLogs = Pick<SpanData, 'logs'>;

/** The span's tags as one object (a repeated key: the last value). */
export function tagsOf(span: WithTags): Record<string, unknown> {
  return Object.fromEntries(span.tags.map((t) => [t.key, t.value]));
}

/** Each log record's fields as one object, in order. */
export function logFieldsOf(span: WithLogs): Array<Record<string, unknown>> {
  return span.logs.map((log) => Object.fromEntries(log.fields.map((f) => [f.key, f.value])));
}

/** The fields of the span's `event: error` logs. */
export function errorLogsOf(span: WithLogs): Array<Record<string, unknown>> {
  return logFieldsOf(span).filter((fields) => fields['event'] === 'error');
}

/** The fields of the span's first `event: error` log, if any. */
export function errorFields(span: WithLogs): Record<string, unknown> | undefined {
  return errorLogsOf(span)[0];
}

/** The `event` field of each log record (`undefined` for records without one). */
export function logEvents(span: WithLogs): unknown[] {
  return span.logs.map((l) => l.fields.find((f) => f.key === 'event')?.value);
}

/** The spans with `span.kind = server`. */
export function serverSpans<S extends WithTags>(reporter: { readonly spans: readonly S[] }): S[] {
  return reporter.spans.filter((span) => tagsOf(span)['span.kind'] === 'server');
}

/** The spans of that operation name. */
export function byName<S extends Pick<SpanData, 'operationName'>>(spans: readonly S[], name: string): S[] {
  return spans.filter((span) => span.operationName === name);
}

/**
 * Every operation name, tag and log value of the spans as text (errors by message and
 * stack, buffers as latin1), as reporters would encode them: for asserting that a secret
 * was recorded nowhere.
 */
export function everythingRecorded(spans: ReadonlyArray<Pick<SpanData, 'operationName' | 'tags' | 'logs'>>): string {
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
