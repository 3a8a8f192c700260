import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ConstSampler,
  FORMAT_BINARY,
  FORMAT_HTTP_HEADERS,
  FORMAT_TEXT_MAP,
  InMemoryReporter,
  SpanContext,
  Tracer,
} from '../../src/index';

/**
 * Property tests: whatever arrives in a carrier, extract never throws and yields `null` or a
 * well-formed context, and injecting that context writes clean headers that read back the same.
 * Seeds are fixed so a failure reproduces; over 100,000 carriers run in total.
 */

const MAX_ITEMS = 64;
const MAX_VALUE_LENGTH = 2048;
const SEED = 20240611;

const tracer = new Tracer('fuzz', new InMemoryReporter(), new ConstSampler(true));
const allFormats = new Tracer('fuzz', new InMemoryReporter(), new ConstSampler(true), {
  propagation: ['jaeger', 'b3', 'b3-single', 'w3c'],
});

const HEX16 = /^[0-9a-f]{16}$/;
const TRACE = /^(?:[0-9a-f]{16}|[0-9a-f]{32})$/;
const CRLF = /[\r\n]/;

function assertValidContext(ctx: SpanContext | null): void {
  if (ctx === null) return;
  assert.ok(ctx instanceof SpanContext);
  if (ctx.hasTrace()) {
    assert.match(ctx.traceId, TRACE);
    assert.ok(!/^0+$/.test(ctx.traceId), 'zero trace id');
    assert.match(ctx.spanId, HEX16);
    assert.ok(!/^0+$/.test(ctx.spanId), 'zero span id');
    if (ctx.parentId !== null) {
      assert.match(ctx.parentId, HEX16);
      assert.ok(!/^0+$/.test(ctx.parentId), 'zero parent id must read as null');
    }
  } else {
    assert.equal(ctx.spanId, '');
    assert.ok(ctx.debugId !== '' || Object.keys(ctx.baggage).length > 0, 'an empty id-less context must be null');
  }
  assert.ok(Number.isInteger(ctx.flags) && ctx.flags >= 0 && ctx.flags <= 255, `flags ${ctx.flags}`);
  assert.ok(!CRLF.test(ctx.debugId), 'CR/LF in debug id');
  assert.ok(!CRLF.test(ctx.traceState), 'CR/LF in tracestate');
  const keys = Object.keys(ctx.baggage);
  assert.ok(keys.length <= MAX_ITEMS, `${keys.length} baggage items`);
  for (const key of keys) {
    const value: string | undefined = ctx.baggage[key];
    assert.equal(typeof value, 'string');
    assert.ok(!CRLF.test(key) && !CRLF.test(value!), `CR/LF in baggage ${JSON.stringify(key)}`);
    assert.ok(value!.length <= MAX_VALUE_LENGTH, `baggage value of ${value!.length} chars`);
  }
}

/** Injects in every format; the headers are clean strings and read back to the same ids. */
function assertInjectsCleanly(ctx: SpanContext): void {
  for (const t of [tracer, allFormats]) {
    for (const format of [FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP]) {
      const carrier: Record<string, unknown> = {};
      t.inject(ctx, format, carrier);
      for (const [name, value] of Object.entries(carrier)) {
        assert.equal(typeof value, 'string', name);
        assert.ok(!CRLF.test(value as string), `CR/LF in ${name}: ${JSON.stringify(value)}`);
      }
      if (!ctx.hasTrace()) continue;
      assert.ok(typeof carrier['uber-trace-id'] === 'string' && typeof carrier.traceparent === 'string', 'inject wrote no ids');
      const back = t.extract(format, carrier);
      assert.equal(back?.traceId, ctx.traceId);
      assert.equal(back?.spanId, ctx.spanId);
      assert.equal(back?.parentId, ctx.parentId);
      assert.equal(back?.isSampled(), ctx.isSampled());
    }
  }
  const binary: { buffer?: Buffer } = {};
  tracer.inject(ctx, FORMAT_BINARY, binary);
  if (ctx.hasTrace()) {
    const back = tracer.extract(FORMAT_BINARY, binary);
    assert.equal(back?.toString(), ctx.toString());
  }
}

function check(format: string, carrier: unknown): void {
  let ctx: SpanContext | null = null;
  assert.doesNotThrow(() => {
    ctx = tracer.extract(format, carrier);
  });
  assertValidContext(ctx);
  if (ctx !== null) assertInjectsCleanly(ctx);
}

// ---------- generators ----------

const NASTY = ['\r', '\n', '\r\n', '\u0000', '\u007f', '%', '%0D%0A', '%zz', '%E0%A4%A', '\uD800', '\uDFFF', '\uFEFF', ':', '-', ',', '=', ';', ' ', '\t', 'é', '☃'];
const nastyChar = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...'0123456789abcdefABCDEF') },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
const nastyString = fc.string({ unit: nastyChar, maxLength: 48 });
const hexOfLength = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: min, maxLength: max });
const idPart = fc.oneof(hexOfLength(0, 34), fc.constantFrom('0', '0'.repeat(16), '0'.repeat(32), 'f'.repeat(33), '-1', '0x1f'), nastyString);
const flagPart = fc.oneof(fc.constantFrom('0', '1', '3', 'd', '01', 'ff', '100', '', 'true', 'x'), nastyString);

const uberTraceId = fc
  .tuple(idPart, idPart, idPart, flagPart, fc.constantFrom(':', '%3A', '%3a', ':', ';'), fc.integer({ min: 2, max: 5 }))
  .map(([t, s, p, f, sep, n]) => [t, s, p, f, 'x'].slice(0, n).join(sep));
const b3Single = fc
  .tuple(idPart, idPart, flagPart, idPart, fc.integer({ min: 1, max: 5 }))
  .map(([t, s, f, p, n]) => [t, s, f, p, 'x'].slice(0, n).join('-'));
const traceparent = fc
  .tuple(fc.constantFrom('00', '01', 'ff', 'FF', 'zz', '0'), idPart, idPart, fc.constantFrom('00', '01', '03', 'ff', '1', 'zz'), fc.option(nastyString))
  .map(([v, t, s, f, rest]) => `${v}-${t}-${s}-${f}${rest === null ? '' : `-${rest}`}`);
const baggageList = fc
  .tuple(
    fc.array(fc.tuple(nastyString, nastyString, fc.constantFrom('=', '%3D', ''), fc.constantFrom('', ';p=1', ';')), { maxLength: 12 }),
    fc.constantFrom(',', ', ', ' , '),
  )
  .map(([items, sep]) => items.map(([k, v, eq, prop]) => `${k}${eq}${v}${prop}`).join(sep));

const stringValue = fc.oneof(nastyString, uberTraceId, b3Single, traceparent, baggageList, hexOfLength(1, 40));
/** Header values as Node and users hand them over: strings, arrays, numbers, objects, nothing. */
const headerValue = fc.oneof(
  { weight: 10, arbitrary: stringValue },
  { weight: 1, arbitrary: fc.array(stringValue, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.oneof(fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined)) },
  { weight: 1, arbitrary: fc.oneof(fc.object({ maxDepth: 1 }), fc.constant({ toString: () => '1:2:0:1' }), fc.constant(Symbol('s'))) },
);

const KNOWN = [
  'uber-trace-id', 'Uber-Trace-Id', 'UBER-TRACE-ID', 'jaeger-debug-id', 'Jaeger-Debug-Id', 'jaeger-baggage', 'uberctx-k', 'Uberctx-User',
  'x-b3-traceid', 'X-B3-TraceId', 'x-b3-spanid', 'X-B3-SpanId', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags', 'b3', 'B3',
  'traceparent', 'Traceparent', 'tracestate', 'baggage', 'Baggage',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'uberctx-__proto__', 'uberctx-tostring', 'uberctx-', 'uberctx-constructor',
];
const headerName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KNOWN) },
  { weight: 2, arbitrary: nastyString.map((s) => `uberctx-${s}`) },
  { weight: 1, arbitrary: nastyString },
);

/** Built with `Object.fromEntries` so `__proto__` becomes an own key, as `JSON.parse` makes it. */
const carrier = fc.array(fc.tuple(headerName, headerValue), { maxLength: 10 }).map((entries) => Object.fromEntries(entries));

/** A valid context plus adversarial baggage from a single source (the per-source limits apply). */
const hugeBaggageCarrier = fc
  .tuple(
    fc.constantFrom('uberctx', 'jaeger-baggage', 'baggage'),
    fc.integer({ min: 0, max: 300 }),
    fc.integer({ min: 0, max: 5000 }),
    fc.constantFrom('v', '%', '%0A', 'é', '\uD800', '\r\n'),
  )
  .map(([source, count, length, unit]) => {
    const value = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
    const out: Record<string, string> = { 'uber-trace-id': '4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:1' };
    if (source === 'uberctx') for (let i = 0; i < count; i++) out[`uberctx-k${i}`] = value;
    else {
      const list = Array.from({ length: count }, (_, i) => `k${i}=${value.replace(/[,=]/g, '')}`).join(',');
      out[source] = list;
    }
    return out;
  });

/** Binary: random bytes, or a valid header followed by random (often lying) baggage bytes. */
const binaryBytes = fc.oneof(
  fc.uint8Array({ maxLength: 120 }),
  fc
    .tuple(fc.uint8Array({ minLength: 33, maxLength: 33 }), fc.integer({ min: 0, max: 0xffffffff }), fc.uint8Array({ maxLength: 300 }))
    .map(([head, count, rest]) => {
      const buf = Buffer.alloc(37 + rest.length);
      Buffer.from(head).copy(buf);
      buf.writeUInt32BE(count, 33);
      Buffer.from(rest).copy(buf, 37);
      return buf;
    }),
  fc
    .array(fc.tuple(fc.string({ unit: nastyChar, maxLength: 20 }), fc.string({ unit: nastyChar, maxLength: 3000 })), { maxLength: 80 })
    .map((items) => {
      const parts: Buffer[] = [Buffer.from('4bf92f3577b34da6a3ce929d0e0e473600f067aa0ba902b70000000000000000', 'hex'), Buffer.from([7])];
      const count = Buffer.alloc(4);
      count.writeUInt32BE(items.length);
      parts.push(count);
      for (const [k, v] of items) {
        for (const text of [k, v]) {
          const bytes = Buffer.from(text);
          const len = Buffer.alloc(4);
          len.writeUInt32BE(bytes.length);
          parts.push(len, bytes);
        }
      }
      return Buffer.concat(parts);
    }),
);
const binaryCarrier = fc.oneof(
  binaryBytes,
  binaryBytes.map((buffer) => ({ buffer })),
  binaryBytes.map((b) => ({ buffer: Array.from(b) })),
  fc.oneof(nastyString, fc.integer(), fc.object({ maxDepth: 1 }), fc.array(fc.anything({ maxDepth: 0 }), { maxLength: 40 })).map((buffer) => ({ buffer })),
  fc.anything({ maxDepth: 1 }),
);

function describeContext(ctx: SpanContext | null): unknown {
  return ctx === null ? null : { id: ctx.toString(), debugId: ctx.debugId, baggage: { ...ctx.baggage }, traceState: ctx.traceState };
}

describe('propagation fuzz (fast-check)', function () {
  this.timeout(60_000);
  let total = 0;
  after(() => assert.ok(total >= 100_000, `only ${total} carriers fuzzed`));

  const run = <T>(arb: fc.Arbitrary<T>, numRuns: number, fn: (value: T) => void) => {
    fc.assert(fc.property(arb, fn), { numRuns, seed: SEED, endOnFailure: true });
    total += numRuns;
  };

  it('FORMAT_HTTP_HEADERS: random carriers never throw and give null or a valid context', () => {
    run(carrier, 30_000, (c) => check(FORMAT_HTTP_HEADERS, c));
  });

  it('FORMAT_TEXT_MAP: random carriers never throw and give null or a valid context', () => {
    run(carrier, 25_000, (c) => check(FORMAT_TEXT_MAP, c));
  });

  it('structured header values one field at a time (uber-trace-id, b3, traceparent, baggage)', () => {
    const single = fc.tuple(
      fc.constantFrom('uber-trace-id', 'b3', 'traceparent', 'x-b3-traceid', 'jaeger-baggage', 'baggage', 'jaeger-debug-id'),
      stringValue,
    );
    run(single, 25_000, ([name, value]) => {
      const c: Record<string, string> = { [name]: value };
      if (name === 'x-b3-traceid') c['x-b3-spanid'] = value.split('-')[1] ?? value;
      check(FORMAT_HTTP_HEADERS, c);
      check(FORMAT_TEXT_MAP, c);
    });
  });

  it('the lower-case header shortcut (extractIncomingHeaders) agrees with extract on every carrier', () => {
    const lowerCased = carrier.map((c) => {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(c)) if (out[key.toLowerCase()] === undefined) out[key.toLowerCase()] = c[key];
      return out;
    });
    run(lowerCased, 10_000, (c) => {
      for (const t of [tracer, allFormats]) {
        assert.deepEqual(describeContext(t.extractIncomingHeaders(c)), describeContext(t.extract(FORMAT_HTTP_HEADERS, c)));
      }
    });
  });

  it('huge or hostile baggage from one source stays within the limits', () => {
    run(hugeBaggageCarrier, 300, (c) => check(FORMAT_HTTP_HEADERS, c));
  });

  it('FORMAT_BINARY: random and lying bytes never throw and give null or a valid context', () => {
    run(binaryCarrier, 25_000, (c) => check(FORMAT_BINARY, c));
  });

  it('extract on non-object carriers and unknown formats returns null', () => {
    run(fc.tuple(fc.constantFrom(FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP, FORMAT_BINARY, 'nope', ''), fc.anything({ maxDepth: 0 })), 2_000, ([format, c]) => {
      if (typeof c === 'object' && c !== null) return;
      assert.equal(tracer.extract(format, c), null);
    });
  });
});
