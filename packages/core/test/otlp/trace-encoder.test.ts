import { strict as assert } from 'assert';
import fc from 'fast-check';
import { ProtoWriter } from '../../src/otlp/proto-writer';
import { OtlpTraceEncoder } from '../../src/otlp/trace-encoder';
import type { ProcessData, SpanData, Tag } from '../../src/span-data';
import { ConstSampler, InMemoryReporter, Tracer } from '../../src/index';
import { TraceIdWords } from '../../src/trace-id-words';
import { attributeMap, decodeRequest, type DecodedSpan } from './otlp-decoder';

const TRACE_128 = '0af7651916cd43dd8448eb211c80319c';
const TRACE_64 = 'b7ad6b7169203331';

function span(overrides: Partial<SpanData> = {}): SpanData {
  return {
    traceId: TRACE_128,
    spanId: '00f067aa0ba902b7',
    parentId: null,
    flags: 1,
    operationName: 'GET /users/:id',
    startTime: 1_700_000_000_123_456,
    duration: 1_500,
    tags: [],
    logs: [],
    references: [],
    ...overrides,
  };
}

const process: ProcessData = {
  serviceName: 'checkout',
  tags: [
    { key: 'jaeger.version', value: 'Node-jt-0.1.0' },
    { key: 'hostname', value: 'web-1' },
    { key: 'ip', value: '10.0.0.7' },
    { key: 'client-uuid', value: 'abc123' },
    { key: 'service.name', value: 'ignored-user-tag' },
  ],
};

function encodeOne(data: SpanData, processData: ProcessData = process): DecodedSpan {
  const encoder = new OtlpTraceEncoder({ scopeVersion: '9.9.9' });
  encoder.setProcess(processData);
  const decoded = decodeRequest(encoder.encode([data]));
  assert.equal(decoded.resourceSpans.length, 1);
  assert.equal(decoded.resourceSpans[0].scopeSpans.length, 1);
  const spans = decoded.resourceSpans[0].scopeSpans[0].spans;
  assert.equal(spans.length, 1);
  return spans[0];
}

/** µs -> ns in exact integer arithmetic, independent of the encoder's split arithmetic. */
const nanos = (micros: number): string => (BigInt(micros) * 1000n).toString();

describe('otlp/trace-encoder', () => {
  it('encodes ids, names, ns timestamps, scope and resource', () => {
    const encoder = new OtlpTraceEncoder({ scopeVersion: '9.9.9' });
    encoder.setProcess(process);
    const root = span();
    const child = span({ spanId: '1111111111111111', parentId: root.spanId, operationName: 'db', startTime: 1_700_000_000_124_000, duration: 7 });
    const decoded = decodeRequest(encoder.encode([root, child]));

    const { resource, scopeSpans } = decoded.resourceSpans[0];
    const resourceAttributes = attributeMap(resource.attributes);
    assert.deepEqual(resourceAttributes.get('service.name'), { stringValue: 'checkout', value: 'stringValue' });
    assert.equal(resourceAttributes.get('host.name')?.stringValue, 'web-1');
    assert.equal(resourceAttributes.has('hostname'), false);
    assert.equal(resourceAttributes.get('ip')?.stringValue, '10.0.0.7');
    assert.equal(resourceAttributes.get('jaeger.version')?.stringValue, 'Node-jt-0.1.0');
    assert.equal(resourceAttributes.get('client-uuid')?.stringValue, 'abc123');

    assert.deepEqual(scopeSpans[0].scope, { name: 'jt', version: '9.9.9', attributes: [], droppedAttributesCount: 0 });
    const [first, second] = scopeSpans[0].spans;
    assert.equal(first.traceId, TRACE_128);
    assert.equal(first.spanId, '00f067aa0ba902b7');
    assert.equal(first.parentSpanId, '', 'a root span has an empty parent_span_id');
    assert.equal(first.name, 'GET /users/:id');
    assert.equal(first.kind, 'SPAN_KIND_INTERNAL');
    assert.equal(first.startTimeUnixNano, '1700000000123456000');
    assert.equal(first.endTimeUnixNano, '1700000000124956000');
    assert.equal(first.flags, 1);
    assert.equal(second.parentSpanId, '00f067aa0ba902b7');
    assert.equal(second.name, 'db');
    assert.equal(second.endTimeUnixNano, nanos(1_700_000_000_124_007));
  });

  it('left-pads 64-bit trace ids to 16 bytes', () => {
    const decoded = encodeOne(span({ traceId: TRACE_64, references: [{ type: 'follows_from', traceId: TRACE_64, spanId: 'aaaaaaaaaaaaaaaa' }] }));
    assert.equal(decoded.traceId, `0000000000000000${TRACE_64}`);
    assert.equal(decoded.links[0].traceId, `0000000000000000${TRACE_64}`);
  });

  it("writes a trace id made here from its words (top bits set too), and from its hex once the id was replaced", () => {
    const tracer = new Tracer('otlp-ids', new InMemoryReporter(), new ConstSampler(true));
    for (let i = 0; i < 200; i++) {
      const made = tracer.startSpan('op');
      assert.equal(encodeOne(made).traceId, made.traceId);
    }
    const short = new Tracer('s', new InMemoryReporter(), new ConstSampler(true), { traceId128bit: false }).startSpan('op');
    assert.equal(encodeOne(short).traceId, `0000000000000000${short.traceId}`);
    const words = new TraceIdWords(TRACE_128, -1, 1, -2147483648, 0);
    assert.equal(encodeOne(span({ traceIdWords: words })).traceId, '8000000000000000ffffffff00000001');
    const unsigned = new TraceIdWords(TRACE_128, 0xffffffff, 1, 0x80000000, 0);
    assert.equal(encodeOne(span({ traceIdWords: unsigned })).traceId, '8000000000000000ffffffff00000001');
    assert.equal(encodeOne(span({ traceId: TRACE_64, traceIdWords: words })).traceId, `0000000000000000${TRACE_64}`);
  });

  it("reads a Span's flat tags: kind, error status and attributes, and a scrubbing wrapper's own tags", () => {
    const tracer = new Tracer('pairs', new InMemoryReporter(), new ConstSampler(true));
    const made = tracer.startSpan('op').setTag('span.kind', 'client').setTag('error', true).setTag('db.type', 'redis');
    made.finish();
    const decoded = encodeOne(made);
    assert.equal(decoded.kind, 'SPAN_KIND_CLIENT');
    assert.equal(decoded.status?.code, 'STATUS_CODE_ERROR');
    const attributes = attributeMap(decoded.attributes);
    assert.equal(attributes.get('db.type')?.stringValue, 'redis');
    assert.ok(!attributes.has('span.kind') && !attributes.has('error'));
    const scrubbed = Object.create(made, { tags: { value: [{ key: 'only', value: 'this' }] } }) as SpanData;
    assert.deepEqual([...attributeMap(encodeOne(scrubbed).attributes).keys()], ['only']);
  });

  it('maps span.kind to SpanKind and drops the tag', () => {
    const expected: Record<string, string> = {
      server: 'SPAN_KIND_SERVER',
      client: 'SPAN_KIND_CLIENT',
      producer: 'SPAN_KIND_PRODUCER',
      consumer: 'SPAN_KIND_CONSUMER',
    };
    for (const [tag, kind] of Object.entries(expected)) {
      const decoded = encodeOne(span({ tags: [{ key: 'span.kind', value: tag }, { key: 'component', value: 'http' }] }));
      assert.equal(decoded.kind, kind);
      assert.deepEqual([...attributeMap(decoded.attributes).keys()], ['component']);
    }
    const odd = encodeOne(span({ tags: [{ key: 'span.kind', value: 'constructor' }] }));
    assert.equal(odd.kind, 'SPAN_KIND_INTERNAL');
    assert.equal(attributeMap(odd.attributes).get('span.kind')?.stringValue, 'constructor', 'an unknown kind is kept');
  });

  it('gives each tag a typed AnyValue', () => {
    const error = new Error('boom');
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const tags: Tag[] = [
      { key: 's', value: 'text' },
      { key: 'b', value: false },
      { key: 'i', value: 42 },
      { key: 'neg', value: -7 },
      { key: 'max', value: Number.MAX_SAFE_INTEGER },
      { key: 'minSafe', value: Number.MIN_SAFE_INTEGER },
      { key: 'd', value: 3.25 },
      { key: 'huge', value: 2 ** 60 },
      { key: 'big', value: -(2n ** 62n) },
      { key: 'bigTooLarge', value: 2n ** 64n },
      { key: 'buf', value: Buffer.from([0, 1, 254, 255]) },
      { key: 'err', value: error },
      { key: 'obj', value: { x: [1, 'y'] } },
      { key: 'circ', value: circular },
      { key: 'nul', value: null },
      { key: 'uni', value: 'héllo ✓ 😀' },
    ];
    const attrs = attributeMap(encodeOne(span({ tags })).attributes);
    assert.deepEqual(attrs.get('s'), { stringValue: 'text', value: 'stringValue' });
    assert.deepEqual(attrs.get('b'), { boolValue: false, value: 'boolValue' });
    assert.deepEqual(attrs.get('i'), { intValue: '42', value: 'intValue' });
    assert.deepEqual(attrs.get('neg'), { intValue: '-7', value: 'intValue' });
    assert.deepEqual(attrs.get('max'), { intValue: String(Number.MAX_SAFE_INTEGER), value: 'intValue' });
    assert.deepEqual(attrs.get('minSafe'), { intValue: String(Number.MIN_SAFE_INTEGER), value: 'intValue' });
    assert.deepEqual(attrs.get('d'), { doubleValue: 3.25, value: 'doubleValue' });
    assert.deepEqual(attrs.get('huge'), { doubleValue: 2 ** 60, value: 'doubleValue' });
    assert.deepEqual(attrs.get('big'), { intValue: (-(2n ** 62n)).toString(), value: 'intValue' });
    assert.deepEqual(attrs.get('bigTooLarge'), { stringValue: (2n ** 64n).toString(), value: 'stringValue' });
    assert.equal(attrs.get('buf')?.value, 'bytesValue');
    assert.deepEqual([...(attrs.get('buf')?.bytesValue ?? [])], [0, 1, 254, 255]);
    assert.deepEqual(attrs.get('err'), { stringValue: 'boom', value: 'stringValue' });
    assert.deepEqual(attrs.get('obj'), { stringValue: '{"x":[1,"y"]}', value: 'stringValue' });
    assert.equal(attrs.get('circ')?.value, 'stringValue');
    assert.deepEqual(attrs.get('nul'), { stringValue: 'null', value: 'stringValue' });
    assert.deepEqual(attrs.get('uni'), { stringValue: 'héllo ✓ 😀', value: 'stringValue' });
  });

  it('turns logs into events and references into links', () => {
    const decoded = encodeOne(
      span({
        logs: [
          { timestamp: 1_700_000_000_123_500, fields: [{ key: 'event', value: 'cache-miss' }, { key: 'key', value: 'user:1' }, { key: 'size', value: 3 }] },
          { timestamp: 1_700_000_000_123_600, fields: [{ key: 'message', value: 'plain' }] },
        ],
        references: [
          { type: 'follows_from', traceId: TRACE_128, spanId: '2222222222222222' },
          { type: 'child_of', traceId: 'ffffffffffffffffffffffffffffffff', spanId: '3333333333333333' },
        ],
      }),
    );
    assert.equal(decoded.events.length, 2);
    assert.equal(decoded.events[0].name, 'cache-miss');
    assert.equal(decoded.events[0].timeUnixNano, '1700000000123500000');
    assert.deepEqual(
      decoded.events[0].attributes.map((kv) => [kv.key, kv.value.value]),
      [
        ['key', 'stringValue'],
        ['size', 'intValue'],
      ],
    );
    assert.equal(decoded.events[1].name, 'log');
    assert.equal(attributeMap(decoded.events[1].attributes).get('message')?.stringValue, 'plain');

    assert.equal(decoded.links.length, 2);
    assert.equal(decoded.links[0].spanId, '2222222222222222');
    assert.equal(attributeMap(decoded.links[0].attributes).get('opentracing.ref_type')?.stringValue, 'follows_from');
    assert.equal(decoded.links[1].traceId, 'ffffffffffffffffffffffffffffffff');
    assert.equal(attributeMap(decoded.links[1].attributes).get('opentracing.ref_type')?.stringValue, 'child_of');
  });

  it('maps error=true to status ERROR with the error log message, and drops the tag', () => {
    const decoded = encodeOne(
      span({
        tags: [{ key: 'error', value: true }, { key: 'http.status_code', value: 500 }],
        logs: [{ timestamp: 1_700_000_000_123_999, fields: [{ key: 'event', value: 'error' }, { key: 'error.kind', value: 'TypeError' }, { key: 'message', value: 'x is undefined' }] }],
      }),
    );
    assert.deepEqual(decoded.status, { code: 'STATUS_CODE_ERROR', message: 'x is undefined' });
    assert.deepEqual([...attributeMap(decoded.attributes).keys()], ['http.status_code']);
    assert.equal(decoded.events[0].name, 'error');

    const fromObject = encodeOne(span({ tags: [{ key: 'error', value: 'true' }], logs: [{ timestamp: 1, fields: [{ key: 'error.object', value: new RangeError('out') }] }] }));
    assert.deepEqual(fromObject.status, { code: 'STATUS_CODE_ERROR', message: 'out' });

    const noLog = encodeOne(span({ tags: [{ key: 'error', value: true }] }));
    assert.deepEqual(noLog.status, { code: 'STATUS_CODE_ERROR', message: '' });

    const ok = encodeOne(span({ tags: [{ key: 'error', value: false }] }));
    assert.equal(ok.status?.code ?? 'STATUS_CODE_UNSET', 'STATUS_CODE_UNSET');
    assert.deepEqual(attributeMap(ok.attributes).get('error'), { boolValue: false, value: 'boolValue' });
  });

  it('converts µs to ns exactly, including far dates and sub-µs fractions', () => {
    const samples = [0, 1, 4_294_967_295, 4_294_967_296, 1_700_000_000_000_000, 9_007_199_254_740_991 - 10_000];
    for (const micros of samples) {
      const decoded = encodeOne(span({ startTime: micros, duration: 0 }));
      assert.equal(decoded.startTimeUnixNano, nanos(micros), `start ${micros}`);
    }
    assert.equal(encodeOne(span({ startTime: 1_700_000_000_000_000.25, duration: 0 })).startTimeUnixNano, '1700000000000000250');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000_000 }), fc.integer({ min: 0, max: 10 ** 9 }), (start, duration) => {
        const decoded = encodeOne(span({ startTime: start, duration }));
        return decoded.startTimeUnixNano === nanos(start) && decoded.endTimeUnixNano === nanos(start + duration);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips arbitrary strings and large spans (multi-byte length prefixes)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ maxLength: 60 }), (name, value) => {
        const decoded = encodeOne(span({ operationName: name, tags: [{ key: 'k', value }] }));
        return decoded.name === name && attributeMap(decoded.attributes).get('k')?.stringValue === value;
      }),
      { numRuns: 200 },
    );
    const big = 'x'.repeat(70_000) + '✓'.repeat(10_000);
    const decoded = encodeOne(span({ tags: [{ key: 'db.statement', value: big }], logs: [{ timestamp: 5, fields: [{ key: 'stack', value: big }] }] }));
    assert.equal(attributeMap(decoded.attributes).get('db.statement')?.stringValue, big);
    assert.equal(attributeMap(decoded.events[0].attributes).get('stack')?.stringValue, big);
  });

  it('reuses its buffer, and encodes into a caller writer without touching it', () => {
    const encoder = new OtlpTraceEncoder({ initialBufferSize: 16 });
    encoder.setProcess(process);
    const first = Buffer.from(encoder.encode([span()]));
    const own = new ProtoWriter(16);
    const second = encoder.encode(Array.from({ length: 50 }, (_, i) => span({ spanId: i.toString(16).padStart(16, '0') })), own);
    assert.equal(decodeRequest(second).resourceSpans[0].scopeSpans[0].spans.length, 50);
    const third = encoder.encode([span()]);
    assert.deepEqual(third, first);
    assert.equal(decodeRequest(third).resourceSpans[0].scopeSpans[0].spans[0].spanId, '00f067aa0ba902b7');
  });

  it('sends service.name even before setProcess', () => {
    const decoded = decodeRequest(new OtlpTraceEncoder().encode([span()]));
    assert.equal(attributeMap(decoded.resourceSpans[0].resource.attributes).get('service.name')?.stringValue, 'unknown_service');
  });
});
