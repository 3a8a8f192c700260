import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SpanData, Tag } from '../../src/span-data';
import { makeSpan, testProcess } from './span-fixtures';
import { TraceIdWords } from '../../src/trace-id-words';
import { ConstSampler, InMemoryReporter, Tracer } from '../../src/index';
import { JaegerThriftEncoder, SpanTrim, TRUNCATED_TAG_KEY } from '../../src/thrift/jaeger-encoder';
import { encodeBatch, encodeEmitBatch, encodeProcess, encodeSpan, emitBatchOverhead } from '../../src/thrift/jaeger-batch';
import {
  decodeBatch,
  decodeEmitBatch,
  decodeSpan,
  hex64,
  tagMap,
  traceIdHex,
  type DecodedTag,
  type Protocol,
} from './thrift-decoder';

const STRING = 0;
const DOUBLE = 1;
const BOOL = 2;
const LONG = 3;
const BINARY = 4;

function cyclic(): object {
  const a: Record<string, unknown> = { name: 'a', shared: { n: 1 } };
  a.self = a;
  a.again = a.shared; // seen twice, not a cycle
  return a;
}

for (const protocol of ['compact', 'binary'] as const) {
  describe(`JaegerThriftEncoder (${protocol}), decoded by Apache Thrift`, () => {
    const encoder = new JaegerThriftEncoder(protocol);
    const processBytes = encodeProcess(protocol, testProcess);

    function roundTrip(spans: SpanData[]) {
      return decodeBatch(protocol, encodeBatch(encoder, processBytes, spans, {})).spans;
    }

    it('writes 128-bit and 64-bit ids exactly, including ids with the top bit set', () => {
      const spans = [
        makeSpan({ traceId: 'ffffffffffffffff8000000000000001', spanId: '8000000000000000', parentId: 'ffffffffffffffff' }),
        makeSpan({ traceId: '7fffffffffffffff', spanId: '0000000000000001', parentId: null }),
        makeSpan({ traceId: '00000000000000010000000000000000', spanId: 'fedcba9876543210' }),
      ];
      const decoded = roundTrip(spans);
      assert.equal(decoded.length, 3);
      assert.equal(decoded[0].traceIdHigh, -1n);
      assert.equal(decoded[0].traceIdLow, -(2n ** 63n) + 1n);
      assert.equal(decoded[0].spanId, -(2n ** 63n));
      assert.equal(decoded[0].parentSpanId, -1n);
      assert.equal(traceIdHex(decoded[0]), spans[0].traceId);
      assert.equal(decoded[1].traceIdHigh, 0n);
      assert.equal(decoded[1].traceIdLow, 2n ** 63n - 1n);
      assert.equal(decoded[1].parentSpanId, 0n, 'root span: parentSpanId 0');
      assert.equal(hex64(decoded[2].traceIdHigh), '0000000000000001');
      assert.equal(decoded[2].traceIdLow, 0n);
      assert.equal(hex64(decoded[2].spanId), 'fedcba9876543210');
    });

    it("writes a root's span id from its trace id's low half, and other spans of the trace from their own", () => {
      const traceId = '0af7651916cd43dd8448eb211c80319c';
      const spans = [
        makeSpan({ traceId, spanId: traceId.slice(16), parentId: null }),
        makeSpan({ traceId, spanId: '00f067aa0ba902b7', parentId: traceId.slice(16) }),
        makeSpan({ traceId, spanId: traceId.slice(16).toUpperCase(), parentId: null }),
        makeSpan({ traceId: '8448eb211c80319c', spanId: '8448eb211c80319c', parentId: null }),
        makeSpan({ traceId, spanId: '1c80319c', parentId: null }),
      ];
      const decoded = roundTrip(spans);
      assert.deepEqual(
        decoded.map((d) => [traceIdHex(d), hex64(d.spanId), hex64(d.parentSpanId)]),
        [
          [traceId, '8448eb211c80319c', '0000000000000000'],
          [traceId, '00f067aa0ba902b7', '8448eb211c80319c'],
          [traceId, '8448eb211c80319c', '0000000000000000'],
          ['8448eb211c80319c', '8448eb211c80319c', '0000000000000000'],
          [traceId, '000000001c80319c', '0000000000000000'],
        ],
      );
    });

    it("writes a trace id from the words made with it, and from its hex once the context's id was replaced", () => {
      const traceId = '0af7651916cd43dd8448eb211c80319c';
      // words that do not match the hex, to see which one the encoder wrote; signed and
      // unsigned forms of words with the top bit set
      const words = new TraceIdWords(traceId, 0x11111111, -1, -2147483648, 0x44444444);
      const unsigned = new TraceIdWords(traceId, 0x11111111, 0xffffffff, 0x80000000, 0x44444444);
      const replaced = '00000000000000000000000000000abc';
      // a fresh encoder: no trace id cached from another test
      const fresh = new JaegerThriftEncoder(protocol);
      const decoded = decodeBatch(
        protocol,
        encodeBatch(fresh, processBytes, [
          makeSpan({ traceId, traceIdWords: words, parentId: null }),
          makeSpan({ traceId: replaced, traceIdWords: words, parentId: null }),
          makeSpan({ traceId, traceIdWords: unsigned, parentId: null }),
        ], {}),
      ).spans;
      assert.equal(traceIdHex(decoded[0]), '8000000044444444' + '11111111ffffffff');
      assert.equal(traceIdHex(decoded[1]), 'abc'.padStart(16, '0'));
      assert.equal(traceIdHex(decoded[2]), '8000000044444444' + '11111111ffffffff');
    });

    it("writes a Span's flat tags (the span's own pairs), and a wrapper's or plain object's own tags", () => {
      const tracer = new Tracer('pairs', new InMemoryReporter(), new ConstSampler(true));
      const span = tracer.startSpan('op').setTag('span.kind', 'server').setTag('error', true).setTag('http.status_code', 503);
      span.finish();
      const scrubbed = Object.create(span, { tags: { value: [{ key: 'only', value: 'this' }] } }) as SpanData;
      // pairs on anything but a Span are not trusted: its `tags` are what it says
      const plain = { ...makeSpan(), tags: [{ key: 'a', value: 'b' }], tagPairs: ['stale', 'pairs'] } as SpanData;
      const [real, wrapper, plainSpan] = roundTrip([span, scrubbed, plain]);
      const tags = tagMap(real.tags);
      assert.equal(tags.get('span.kind')?.vStr, 'server');
      assert.equal(tags.get('error')?.vBool, true);
      assert.equal(tags.get('http.status_code')?.vLong, 503n);
      assert.equal(tags.get('sampler.type')?.vStr, 'const');
      assert.deepEqual(wrapper.tags?.map((t) => t.key), ['only']);
      assert.deepEqual(plainSpan.tags?.map((t) => [t.key, t.vStr]), [['a', 'b']]);
    });

    it('round-trips random ids, flags and µs times through the independent decoder', () => {
      const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
      fc.assert(
        fc.property(
          fc.oneof(hex(16), hex(32)),
          hex(16),
          fc.option(hex(16)),
          fc.integer({ min: 0, max: 255 }),
          fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
          fc.integer({ min: 0, max: 2 ** 40 }),
          (traceId, spanId, parentId, flags, startTime, duration) => {
            const [d] = roundTrip([makeSpan({ traceId, spanId, parentId, flags, startTime, duration })]);
            assert.equal(traceIdHex(d), traceId.length === 32 && traceId.startsWith('0'.repeat(16)) ? traceId.slice(16) : traceId);
            assert.equal(hex64(d.spanId), spanId);
            assert.equal(hex64(d.parentSpanId), parentId ?? '0000000000000000');
            assert.equal(d.flags, flags);
            assert.equal(d.startTime, BigInt(startTime));
            assert.equal(d.duration, BigInt(duration));
          },
        ),
        { numRuns: 300 },
      );
    });

    it('writes operation name, flags, microsecond start and duration', () => {
      const [d] = roundTrip([makeSpan({ operationName: 'élan — 漢字 🚀', flags: 3, startTime: 1_712_345_678_901_234, duration: 987_654.9 })]);
      assert.equal(d.operationName, 'élan — 漢字 🚀');
      assert.equal(d.flags, 3);
      assert.equal(d.startTime, 1_712_345_678_901_234n);
      assert.equal(d.duration, 987_654n, 'fractional µs truncated');
      assert.equal(d.references, undefined, 'no references field when there are none');
      assert.equal(d.tags, undefined);
      assert.equal(d.logs, undefined);
    });

    it('maps each JS tag value to its Jaeger tag type', () => {
      const bytes = Buffer.from([0, 1, 2, 254, 255]);
      const tags: Tag[] = [
        { key: 'str', value: 'hello' },
        { key: 'empty', value: '' },
        { key: 'int', value: 42 },
        { key: 'negInt', value: -7 },
        { key: 'maxSafe', value: Number.MAX_SAFE_INTEGER },
        { key: 'minSafe', value: Number.MIN_SAFE_INTEGER },
        { key: 'double', value: 1.5 },
        { key: 'unsafeInt', value: 2 ** 60 },
        { key: 'nan', value: NaN },
        { key: 'inf', value: -Infinity },
        { key: 'true', value: true },
        { key: 'false', value: false },
        { key: 'bigMax', value: 2n ** 63n - 1n },
        { key: 'bigMin', value: -(2n ** 63n) },
        { key: 'bigHuge', value: 2n ** 64n },
        { key: 'buffer', value: bytes },
        { key: 'uint8', value: new Uint8Array([9, 8, 7]) },
        { key: 'error', value: new TypeError('boom') },
        { key: 'null', value: null },
        { key: 'undefined', value: undefined },
        { key: 'object', value: { a: 1, b: [true, 'x'], n: 10n } },
        { key: 'cyclic', value: cyclic() },
        { key: 'date', value: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)) },
        { key: 'fn', value: function loadUser() {} },
        { key: 'symbol', value: Symbol('s') as unknown as object },
        { key: 'throwingJson', value: { toJSON() { throw new Error('no'); } } },
        { key: 'long'.repeat(20), value: 'v'.repeat(5000) },
      ];
      const [d] = roundTrip([makeSpan({ tags })]);
      assert.equal(d.tags?.length, tags.length);
      const m = tagMap(d.tags);
      const is = (key: string, vType: number, field: keyof DecodedTag, value: unknown) => {
        const t = m.get(key);
        assert.ok(t, key);
        assert.equal(t.vType, vType, `${key} vType`);
        assert.deepEqual(t[field], value, key);
      };
      is('str', STRING, 'vStr', 'hello');
      is('empty', STRING, 'vStr', '');
      is('int', LONG, 'vLong', 42n);
      is('negInt', LONG, 'vLong', -7n);
      is('maxSafe', LONG, 'vLong', BigInt(Number.MAX_SAFE_INTEGER));
      is('minSafe', LONG, 'vLong', BigInt(Number.MIN_SAFE_INTEGER));
      is('double', DOUBLE, 'vDouble', 1.5);
      is('unsafeInt', DOUBLE, 'vDouble', 2 ** 60);
      is('nan', DOUBLE, 'vDouble', NaN);
      is('inf', DOUBLE, 'vDouble', -Infinity);
      is('true', BOOL, 'vBool', true);
      is('false', BOOL, 'vBool', false);
      is('bigMax', LONG, 'vLong', 2n ** 63n - 1n);
      is('bigMin', LONG, 'vLong', -(2n ** 63n));
      is('bigHuge', STRING, 'vStr', (2n ** 64n).toString());
      is('buffer', BINARY, 'vBinary', bytes);
      is('uint8', BINARY, 'vBinary', Buffer.from([9, 8, 7]));
      is('error', STRING, 'vStr', 'boom');
      is('null', STRING, 'vStr', 'null');
      is('undefined', STRING, 'vStr', 'undefined');
      is('object', STRING, 'vStr', '{"a":1,"b":[true,"x"],"n":"10"}');
      is('cyclic', STRING, 'vStr', '{"name":"a","shared":{"n":1},"self":"[Circular]","again":{"n":1}}');
      is('date', STRING, 'vStr', '2024-01-02T03:04:05.006Z');
      is('fn', STRING, 'vStr', '[Function: loadUser]');
      is('symbol', STRING, 'vStr', 'Symbol(s)');
      is('throwingJson', STRING, 'vStr', '[object Object]');
      is('long'.repeat(20), STRING, 'vStr', 'v'.repeat(5000));
    });

    it('writes repeated tags exactly from remembered bytes: batch after batch in the reused buffer, with changing and varying values', () => {
      const tagsFor = (i: number): Tag[] => [
        { key: 'span.kind', value: 'server' },
        // alternates: the key stops being remembered anew, and either value still reads right
        { key: 'http.method', value: i % 2 === 0 ? 'GET' : 'POST' },
        // a new value each time
        { key: 'http.url', value: `http://shop/items/${i}` },
        // changes once
        { key: 'cached', value: i < 7 },
        { key: 'sampler.param', value: true },
        // too long to remember
        { key: 'http.body', value: 'x'.repeat(65) + i },
        // same key, other types: never from the string/boolean memo
        { key: 'peer.port', value: 1000 + i },
      ];
      for (let batch = 0; batch < 4; batch++) {
        const spans = Array.from({ length: 5 }, (_, j) => makeSpan({ tags: tagsFor(batch * 5 + j) }));
        roundTrip(spans).forEach((d, j) => {
          const i = batch * 5 + j;
          const m = tagMap(d.tags);
          assert.equal(d.tags?.length, 7);
          assert.equal(m.get('span.kind')?.vStr, 'server');
          assert.equal(m.get('http.method')?.vStr, i % 2 === 0 ? 'GET' : 'POST', `span ${i}`);
          assert.equal(m.get('http.url')?.vStr, `http://shop/items/${i}`);
          assert.equal(m.get('cached')?.vBool, i < 7, `span ${i}`);
          assert.equal(m.get('sampler.param')?.vBool, true);
          assert.equal(m.get('http.body')?.vStr, 'x'.repeat(65) + i);
          assert.equal(m.get('peer.port')?.vLong, BigInt(1000 + i));
        });
      }
    });

    it('round-trips any Unicode string in keys, values and operation names', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 60 }), (value, key) => {
          const [d] = roundTrip([makeSpan({ operationName: value, tags: [{ key, value }] })]);
          assert.equal(d.operationName, value);
          assert.deepEqual(d.tags, [{ key, vType: STRING, vStr: value }]);
        }),
        { numRuns: 300 },
      );
    });

    it('writes logs with their µs timestamps and typed fields, and both reference types', () => {
      const span = makeSpan({
        logs: [
          { timestamp: 1_700_000_000_200_001, fields: [{ key: 'event', value: 'error' }, { key: 'retry', value: 2 }] },
          { timestamp: 1_700_000_000_300_002, fields: [] },
        ],
        references: [
          { type: 'follows_from', traceId: 'ffffffffffffffff0000000000000002', spanId: '8000000000000003' },
          { type: 'child_of', traceId: '1234567890abcdef', spanId: '0000000000000004' },
        ],
      });
      const [d] = roundTrip([span]);
      assert.deepEqual(d.logs, [
        {
          timestamp: 1_700_000_000_200_001n,
          fields: [
            { key: 'event', vType: STRING, vStr: 'error' },
            { key: 'retry', vType: LONG, vLong: 2n },
          ],
        },
        { timestamp: 1_700_000_000_300_002n, fields: [] },
      ]);
      assert.deepEqual(d.references, [
        { refType: 1, traceIdHigh: -1n, traceIdLow: 2n, spanId: -(2n ** 63n) + 3n },
        { refType: 0, traceIdHigh: 0n, traceIdLow: 0x1234567890abcdefn, spanId: 4n },
      ]);
    });

    it('writes long lists (past the 14-entry compact short form)', () => {
      const tags = Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, value: i }));
      const logs = Array.from({ length: 20 }, (_, i) => ({ timestamp: i, fields: tags.slice(0, i) }));
      const spans = Array.from({ length: 40 }, (_, i) => makeSpan({ spanId: (i + 1).toString(16).padStart(16, '0'), tags, logs }));
      const decoded = roundTrip(spans);
      assert.equal(decoded.length, 40);
      assert.equal(hex64(decoded[39].spanId), '0000000000000028');
      assert.equal(decoded[39].tags?.length, 300);
      assert.deepEqual(decoded[39].tags?.[299], { key: 'k299', vType: LONG, vLong: 299n });
      assert.equal(decoded[39].logs?.[19].fields.length, 19);
    });

    it('never throws on malformed ids: non-hex digits read as 0, short ids are zero-padded', () => {
      const [d] = roundTrip([makeSpan({ traceId: 'zz', spanId: '1g', parentId: '' })]);
      assert.equal(d.traceIdLow, 0n);
      assert.equal(d.spanId, 16n);
      assert.equal(d.parentSpanId, 0n);
    });

    it('writes the process, seqNo and ClientStats of a batch (values above 2^32 too)', () => {
      const stats = { fullQueueDroppedSpans: 2 ** 40 + 3, tooLargeDroppedSpans: 7, failedToEmitSpans: 0 };
      const batch = decodeBatch(protocol, encodeBatch(encoder, processBytes, [makeSpan()], { seqNo: 2 ** 33 + 1, stats }));
      assert.equal(batch.process.serviceName, 'checkout');
      assert.deepEqual(
        batch.process.tags,
        testProcess.tags.map((t) => ({ key: t.key, vType: STRING, vStr: t.value })),
      );
      assert.equal(batch.seqNo, 2n ** 33n + 1n);
      assert.deepEqual(batch.stats, { fullQueueDroppedSpans: 2n ** 40n + 3n, tooLargeDroppedSpans: 7n, failedToEmitSpans: 0n });
      const bare = decodeBatch(protocol, encodeBatch(encoder, encodeProcess(protocol, { serviceName: 's', tags: [] }), []));
      assert.deepEqual(bare, { process: { serviceName: 's' }, spans: [] });
    });

    it('wraps a batch in an Agent.emitBatch ONEWAY message whose size stays under the computed overhead', () => {
      const spans = [makeSpan(), makeSpan({ spanId: '0000000000000002' })];
      const trailer = { seqNo: 5, stats: { fullQueueDroppedSpans: 1, tooLargeDroppedSpans: 2, failedToEmitSpans: 3 } };
      const message = encodeEmitBatch(encoder, 17, processBytes, spans, trailer);
      const decoded = decodeEmitBatch(protocol, message);
      assert.equal(decoded.name, 'emitBatch');
      assert.equal(decoded.type, 4);
      assert.equal(decoded.seqid, 17);
      assert.equal(decoded.batch.spans.length, 2);
      assert.equal(decoded.batch.seqNo, 5n);
      assert.deepEqual(decoded.batch.stats, { fullQueueDroppedSpans: 1n, tooLargeDroppedSpans: 2n, failedToEmitSpans: 3n });
      encoder.writer.reset();
      const spanBytes = spans.reduce((sum, s) => sum + encoder.writeSpan(s), 0);
      const overhead = emitBatchOverhead(protocol, processBytes);
      assert.ok(message.length - spanBytes <= overhead, `${message.length - spanBytes} <= ${overhead}`);
      assert.ok(overhead - (message.length - spanBytes) < 64, 'the bound is close');
    });

    it('writes one span on its own and reports its size; trimmed forms drop logs, then tags, and say so', () => {
      const span = makeSpan({
        tags: [{ key: 'a', value: 1 }],
        logs: [{ timestamp: 5, fields: [{ key: 'event', value: 'x' }] }],
      });
      encoder.writer.reset();
      const size = encoder.writeSpan(span);
      assert.equal(size, encoder.writer.pos);
      const alone = encodeSpan(encoder, span);
      assert.equal(alone.length, size);
      const full = decodeSpan(protocol, alone);
      assert.equal(full.logs?.length, 1);
      // the same bytes, and no more, inside a batch
      const withOne = encodeBatch(encoder, processBytes, [span]);
      const withTwo = encodeBatch(encoder, processBytes, [span, span]);
      assert.equal(withTwo.length - withOne.length, size);
      assert.ok(withOne.includes(alone));

      encoder.writer.reset();
      encoder.writeSpan(span, SpanTrim.DROP_LOGS);
      const noLogs = decodeSpan(protocol, encoder.writer.toBuffer());
      assert.equal(noLogs.logs, undefined);
      assert.deepEqual(noLogs.tags, [
        { key: 'a', vType: LONG, vLong: 1n },
        { key: TRUNCATED_TAG_KEY, vType: BOOL, vBool: true },
      ]);

      encoder.writer.reset();
      encoder.writeSpan(span, SpanTrim.DROP_LOGS_AND_TAGS);
      const bare = decodeSpan(protocol, encoder.writer.toBuffer());
      assert.deepEqual(bare.tags, [{ key: TRUNCATED_TAG_KEY, vType: BOOL, vBool: true }]);
      assert.equal(bare.operationName, span.operationName);
      assert.equal(hex64(bare.spanId), span.spanId);
    });
  });
}
