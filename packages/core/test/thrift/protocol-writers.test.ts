/**
 * Our compact and binary writers against Apache Thrift's own npm implementation: for random
 * structs (every field type, any field id order, lists across the 14/15 header boundary,
 * extreme i64s, any Unicode) the bytes must be identical to what `thrift` writes, and
 * `thrift`'s reader must read the values back.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createThriftWriter } from '../../src/thrift/jaeger-encoder';
import { MessageType, TType } from '../../src/thrift/thrift-types';
import type { ThriftWriter } from '../../src/thrift/thrift-writer';
import { readWith, thrift, T, type Protocol, type TProtocolReader } from './thrift-decoder';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Int64 = require('node-int64') as new (hi: number, lo: number) => { buffer: Buffer; offset: number };

type Op =
  | { kind: 'i32'; id: number; value: number }
  | { kind: 'i64'; id: number; value: bigint }
  | { kind: 'double'; id: number; value: number }
  | { kind: 'string'; id: number; value: string }
  | { kind: 'binary'; id: number; value: Uint8Array }
  | { kind: 'bool'; id: number; value: boolean }
  | { kind: 'list'; id: number; value: bigint[] }
  | { kind: 'struct'; id: number; value: Op[] };

/* The writer half of thrift's protocol API. */
interface TProtocolWriter {
  writeMessageBegin(name: string, type: number, seqid: number): void;
  writeStructBegin(name: string): void;
  writeStructEnd(): void;
  writeFieldBegin(name: string, type: number, id: number): void;
  writeFieldEnd(): void;
  writeFieldStop(): void;
  writeListBegin(type: number, size: number): void;
  writeListEnd(): void;
  writeBool(v: boolean): void;
  writeI32(v: number): void;
  writeI64(v: unknown): void;
  writeDouble(v: number): void;
  writeString(v: string): void;
  writeBinary(v: Uint8Array): void;
  flush(): void;
}

const fieldId = fc.integer({ min: 1, max: 32767 });
const int64 = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.constantFrom(0n, 1n, -1n, 2n ** 31n, -(2n ** 31n), 2n ** 32n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n),
);
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 40, maxLength: 300 }),
  // lone surrogates included: both sides must write U+FFFD the same way
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
);
const leafOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('i32' as const), id: fieldId, value: fc.integer() }),
  fc.record({ kind: fc.constant('i64' as const), id: fieldId, value: int64 }),
  // -0 is left out: the npm writer drops its sign bit (C++ and Go keep it; see the -0 test)
  fc.record({ kind: fc.constant('double' as const), id: fieldId, value: fc.double().filter((v) => !Object.is(v, -0)) }),
  fc.record({ kind: fc.constant('string' as const), id: fieldId, value: anyString }),
  fc.record({ kind: fc.constant('binary' as const), id: fieldId, value: fc.uint8Array({ maxLength: 200 }) }),
  fc.record({ kind: fc.constant('bool' as const), id: fieldId, value: fc.boolean() }),
  fc.record({ kind: fc.constant('list' as const), id: fieldId, value: fc.array(int64, { maxLength: 40 }) }),
  fc.record({ kind: fc.constant('i64' as const), id: fc.integer({ min: 1, max: 20 }), value: int64 }),
);
const structOps: fc.Arbitrary<Op[]> = fc.letrec<{ ops: Op[]; op: Op }>((tie) => ({
  ops: fc.array(tie('op'), { maxLength: 12 }),
  op: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafOp,
    fc.record({ kind: fc.constant('struct' as const), id: fieldId, value: tie('ops') }),
  ),
})).ops;

function halves(v: bigint): [number, number] {
  return [Number(BigInt.asIntN(32, v >> 32n)), Number(BigInt.asUintN(32, v))];
}

const OUR_TYPE = {
  i32: TType.I32,
  i64: TType.I64,
  double: TType.DOUBLE,
  string: TType.STRING,
  binary: TType.STRING,
  bool: TType.BOOL,
  list: TType.LIST,
  struct: TType.STRUCT,
} as const;

/** Writes `ops` as one struct; `fused` picks the one-call header+value methods where they exist. */
function writeOurs(w: ThriftWriter, ops: Op[], fused = false): void {
  let previousId = 0;
  for (const op of ops) {
    if (op.kind === 'bool') {
      w.writeBoolField(op.id, previousId, op.value);
    } else if (fused && op.kind === 'i32') {
      w.writeI32Field(op.id, previousId, op.value);
    } else if (fused && op.kind === 'i64') {
      w.writeI64Field(op.id, previousId, ...halves(op.value));
    } else if (fused && op.kind === 'string') {
      w.writeStringField(op.id, previousId, op.value);
    } else {
      w.writeFieldHeader(OUR_TYPE[op.kind], op.id, previousId);
      switch (op.kind) {
        case 'i32':
          w.writeI32(op.value);
          break;
        case 'i64':
          w.writeI64(...halves(op.value));
          break;
        case 'double':
          w.writeDouble(op.value);
          break;
        case 'string':
          w.writeString(op.value);
          break;
        case 'binary':
          w.writeBinary(op.value);
          break;
        case 'list':
          w.writeListBegin(TType.I64, op.value.length);
          for (const v of op.value) w.writeI64(...halves(v));
          break;
        case 'struct':
          writeOurs(w, op.value, fused);
          break;
      }
    }
    previousId = op.id;
  }
  w.writeFieldStop();
}

function writeTheirs(p: TProtocolWriter, ops: Op[]): void {
  p.writeStructBegin('s');
  for (const op of ops) {
    const type = { i32: T.I32, i64: T.I64, double: T.DOUBLE, string: T.STRING, binary: T.STRING, bool: T.BOOL, list: T.LIST, struct: T.STRUCT }[op.kind];
    p.writeFieldBegin('f', type, op.id);
    switch (op.kind) {
      case 'i32':
        p.writeI32(op.value);
        break;
      case 'i64':
        p.writeI64(new Int64(...halves(op.value)));
        break;
      case 'double':
        p.writeDouble(op.value);
        break;
      case 'string':
        p.writeString(op.value);
        break;
      case 'binary':
        p.writeBinary(Buffer.from(op.value));
        break;
      case 'bool':
        p.writeBool(op.value);
        break;
      case 'list':
        p.writeListBegin(T.I64, op.value.length);
        for (const v of op.value) p.writeI64(new Int64(...halves(v)));
        p.writeListEnd();
        break;
      case 'struct':
        writeTheirs(p, op.value);
        break;
    }
    p.writeFieldEnd();
  }
  p.writeFieldStop();
  p.writeStructEnd();
}

/** Runs `write` against thrift's own protocol writer and returns the bytes it produced. */
function theirBytes(protocol: Protocol, write: (p: TProtocolWriter) => void): Buffer {
  let out = Buffer.alloc(0);
  const Transport = thrift.TBufferedTransport as unknown as new (b: undefined, onFlush: (b: Buffer) => void) => object;
  const transport = new Transport(undefined, (b) => {
    out = Buffer.concat([out, b]);
  });
  const Ctor = (protocol === 'compact' ? thrift.TCompactProtocol : thrift.TBinaryProtocol) as unknown as new (
    t: object,
  ) => TProtocolWriter;
  const p = new Ctor(transport);
  write(p);
  p.flush();
  return out;
}

function readBack(p: TProtocolReader): Op[] {
  const ops: Op[] = [];
  p.readStructBegin();
  for (;;) {
    const f = p.readFieldBegin();
    if (f.ftype === T.STOP) break;
    const id = f.fid;
    if (f.ftype === T.I32) ops.push({ kind: 'i32', id, value: p.readI32() });
    else if (f.ftype === T.I64) ops.push({ kind: 'i64', id, value: readI64(p) });
    else if (f.ftype === T.DOUBLE) ops.push({ kind: 'double', id, value: p.readDouble() });
    else if (f.ftype === T.BOOL) ops.push({ kind: 'bool', id, value: p.readBool() });
    else if (f.ftype === T.STRING) ops.push({ kind: 'binary', id, value: new Uint8Array(p.readBinary()) });
    else if (f.ftype === T.LIST) {
      const list = p.readListBegin();
      if (list.size > 0) assert.equal(list.etype, T.I64);
      const value: bigint[] = [];
      for (let i = 0; i < list.size; i++) value.push(readI64(p));
      p.readListEnd();
      ops.push({ kind: 'list', id, value });
    } else if (f.ftype === T.STRUCT) ops.push({ kind: 'struct', id, value: readBack(p) });
    else assert.fail(`unexpected type ${f.ftype}`);
    p.readFieldEnd();
  }
  p.readStructEnd();
  return ops;
}

function readI64(p: TProtocolReader): bigint {
  const v = p.readI64();
  return v.buffer.readBigInt64BE(v.offset);
}

/** What reading back should yield: strings come back as their UTF-8 bytes. */
function expected(ops: Op[]): Op[] {
  return ops.map((op): Op => {
    if (op.kind === 'string') return { kind: 'binary', id: op.id, value: new Uint8Array(Buffer.from(op.value)) };
    if (op.kind === 'binary') return { ...op, value: new Uint8Array(op.value) };
    if (op.kind === 'struct') return { ...op, value: expected(op.value) };
    return { ...op }; // fast-check records have a null prototype

  });
}

for (const protocol of ['compact', 'binary'] as const) {
  describe(`${protocol} ThriftWriter`, () => {
    it('writes byte for byte what Apache Thrift writes, for random structs', () => {
      const w = createThriftWriter(protocol, 64); // tiny start: growth is exercised too
      fc.assert(
        fc.property(structOps, fc.boolean(), (ops, fused) => {
          w.reset();
          writeOurs(w, ops, fused);
          const ours = w.toBuffer();
          assert.deepEqual(ours, theirBytes(protocol, (p) => writeTheirs(p, ops)));
          assert.deepEqual(
            readWith(protocol, ours, readBack),
            expected(ops),
          );
        }),
        { numRuns: 400 },
      );
    });

    it('writes message headers as Apache Thrift does (ONEWAY, any seqid)', () => {
      const w = createThriftWriter(protocol);
      fc.assert(
        fc.property(fc.integer(), fc.string({ maxLength: 20 }), (seqid, name) => {
          w.reset();
          w.writeMessageBegin(name, MessageType.ONEWAY, seqid);
          const ours = w.toBuffer();
          assert.deepEqual(ours, theirBytes(protocol, (p) => p.writeMessageBegin(name, 4, seqid)));
          const header = readWith(protocol, ours, (p) => p.readMessageBegin());
          assert.equal(header.fname, name);
          assert.equal(header.mtype, 4);
          assert.equal(header.rseqid | 0, seqid); // thrift reads the compact varint unsigned
        }),
      );
    });

    it('writes strings whose UTF-8 length prefix is longer than their UTF-16 length suggests', () => {
      const values = [
        'a'.repeat(127),
        'a'.repeat(128),
        'é'.repeat(63),
        'é'.repeat(64), // 128 bytes: 2-byte varint where 64 units guessed 1
        'é'.repeat(8192), // 16384 bytes: 3-byte varint where 8192 units guessed 2
        '🚀'.repeat(40),
        'a'.repeat(16383),
        'a'.repeat(16384),
        'x'.repeat(100) + '\ud800', // lone surrogate after a long ASCII run
      ];
      for (const fused of [false, true]) {
        const ops: Op[] = values.map((value, i) => ({ kind: 'string', id: i + 1, value }));
        const w = createThriftWriter(protocol, 64);
        writeOurs(w, ops, fused);
        assert.deepEqual(w.toBuffer(), theirBytes(protocol, (p) => writeTheirs(p, ops)));
      }
    });

    it('keeps the sign of -0 (read back as -0 by thrift)', () => {
      const w = createThriftWriter(protocol);
      writeOurs(w, [{ kind: 'double', id: 1, value: -0 }]);
      const [op] = readWith(protocol, w.toBuffer(), readBack);
      assert.ok(op.kind === 'double' && Object.is(op.value, -0));
    });

    it('keeps compact field-id deltas per struct (a nested struct restarts at 0)', () => {
      const ops: Op[] = [
        { kind: 'i32', id: 3, value: 1 },
        { kind: 'struct', id: 4, value: [{ kind: 'i32', id: 1, value: 2 }, { kind: 'i32', id: 40, value: 3 }] },
        { kind: 'i32', id: 5, value: 4 },
        { kind: 'i32', id: 2, value: 5 },
      ];
      const w = createThriftWriter(protocol);
      writeOurs(w, ops);
      assert.deepEqual(w.toBuffer(), theirBytes(protocol, (p) => writeTheirs(p, ops)));
      assert.deepEqual(readWith(protocol, w.toBuffer(), readBack), ops);
    });
  });
}
