/** Plain `SpanData` / `ProcessData` objects for the thrift and sender tests, and checks of their decoded form. */
import assert from 'node:assert/strict';
import type { ProcessData, SpanData } from '../../src/span-data';
import { hex64, traceIdHex, type DecodedProcess, type DecodedSpan } from './thrift-decoder';

export function makeSpan(overrides: Partial<SpanData> = {}): SpanData {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentId: '00f067aa0ba902b7',
    flags: 1,
    operationName: 'GET /users/:id',
    startTime: 1_700_000_000_123_456,
    duration: 1_234,
    tags: [],
    logs: [],
    references: [],
    ...overrides,
  };
}

/** The n-th span id as 16 hex digits (1-based, never zero). */
export function spanIdOf(n: number): string {
  return n.toString(16).padStart(16, '0');
}

export const testProcess: ProcessData = {
  serviceName: 'checkout',
  tags: [
    { key: 'jaeger.version', value: 'Node-jt-0.1.0' },
    { key: 'hostname', value: 'host-1' },
    { key: 'ip', value: '10.0.0.7' },
    { key: 'client-uuid', value: '6d0f3a1e5c0b4a7e' },
  ],
};

/** A span with one tag of each Jaeger type, a log and both reference kinds; ids with the top bit set. */
export function richSpan(): SpanData {
  return makeSpan({
    traceId: 'ffffffffffffffff8000000000000001',
    spanId: '8000000000000002',
    parentId: 'fedcba9876543210',
    flags: 3,
    operationName: 'charge card',
    startTime: 1_712_345_678_901_234,
    duration: 4_321,
    tags: [
      { key: 'str', value: 'v' },
      { key: 'double', value: 2.5 },
      { key: 'bool', value: true },
      { key: 'long', value: -42 },
      { key: 'bigint', value: 2n ** 62n },
      { key: 'binary', value: Buffer.from([1, 2, 3]) },
    ],
    logs: [{ timestamp: 1_712_345_678_902_000, fields: [{ key: 'event', value: 'retry' }, { key: 'attempt', value: 2 }] }],
    references: [
      { type: 'follows_from', traceId: '00000000000000000000000000000009', spanId: '000000000000000a' },
      { type: 'child_of', traceId: 'ffffffffffffffff', spanId: '000000000000000b' },
    ],
  });
}

/** Checks a decoded {@link richSpan} field by field. */
export function assertRichSpan(span: DecodedSpan): void {
  assert.equal(traceIdHex(span), 'ffffffffffffffff8000000000000001');
  assert.equal(span.traceIdHigh, -1n, 'ids above 2^63 are negative i64s');
  assert.equal(hex64(span.spanId), '8000000000000002');
  assert.equal(span.spanId, -(2n ** 63n) + 2n);
  assert.equal(hex64(span.parentSpanId), 'fedcba9876543210');
  assert.equal(span.operationName, 'charge card');
  assert.equal(span.flags, 3);
  assert.equal(span.startTime, 1_712_345_678_901_234n);
  assert.equal(span.duration, 4_321n);
  assert.deepEqual(span.tags, [
    { key: 'str', vType: 0, vStr: 'v' },
    { key: 'double', vType: 1, vDouble: 2.5 },
    { key: 'bool', vType: 2, vBool: true },
    { key: 'long', vType: 3, vLong: -42n },
    { key: 'bigint', vType: 3, vLong: 2n ** 62n },
    { key: 'binary', vType: 4, vBinary: Buffer.from([1, 2, 3]) },
  ]);
  assert.deepEqual(span.logs, [
    {
      timestamp: 1_712_345_678_902_000n,
      fields: [
        { key: 'event', vType: 0, vStr: 'retry' },
        { key: 'attempt', vType: 3, vLong: 2n },
      ],
    },
  ]);
  assert.deepEqual(span.references, [
    { refType: 1, traceIdHigh: 0n, traceIdLow: 9n, spanId: 10n },
    { refType: 0, traceIdHigh: 0n, traceIdLow: -1n, spanId: 11n },
  ]);
}

/** Checks a decoded process against {@link testProcess}. */
export function assertTestProcess(process: DecodedProcess): void {
  assert.equal(process.serviceName, testProcess.serviceName);
  assert.deepEqual(
    process.tags,
    testProcess.tags.map((t) => ({ key: t.key, vType: 0, vStr: t.value })),
  );
}
