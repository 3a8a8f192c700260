'use strict';
/**
 * Counts spans in what tracers put on the wire, without decoding the spans themselves:
 * a sink must stay cheap so it does not steal CPU from the process being measured.
 * Thrift: walks `Agent.emitBatch(Batch)` / a bare `Batch` struct up to field 2
 * (`list<Span>`) and reads the list size. OTLP: walks the protobuf wire format
 * (ExportTraceServiceRequest.1 → ResourceSpans.2 → ScopeSpans.2 = Span) or parses JSON.
 * Written for the benchmarks only; the packages' own tests decode with Apache Thrift.
 */

// ---------- Thrift binary protocol ----------
const B = { STOP: 0, BOOL: 2, BYTE: 3, DOUBLE: 4, I16: 6, I32: 8, I64: 10, STRING: 11, STRUCT: 12, MAP: 13, SET: 14, LIST: 15 };

function binSkip(buf, pos, type) {
  switch (type) {
    case B.BOOL:
    case B.BYTE:
      return pos + 1;
    case B.I16:
      return pos + 2;
    case B.I32:
      return pos + 4;
    case B.DOUBLE:
    case B.I64:
      return pos + 8;
    case B.STRING:
      return pos + 4 + buf.readInt32BE(pos);
    case B.STRUCT:
      for (;;) {
        const t = buf[pos++];
        if (t === B.STOP) return pos;
        pos = binSkip(buf, pos + 2, t);
      }
    case B.MAP: {
      const kt = buf[pos];
      const vt = buf[pos + 1];
      const n = buf.readInt32BE(pos + 2);
      pos += 6;
      for (let i = 0; i < n; i++) pos = binSkip(buf, binSkip(buf, pos, kt), vt);
      return pos;
    }
    case B.SET:
    case B.LIST: {
      const et = buf[pos];
      const n = buf.readInt32BE(pos + 1);
      pos += 5;
      for (let i = 0; i < n; i++) pos = binSkip(buf, pos, et);
      return pos;
    }
    default:
      throw new Error(`thrift binary: unknown type ${type} at ${pos}`);
  }
}

/** Spans in a binary-protocol `Batch` struct starting at `pos`. */
function binBatchSpans(buf, pos) {
  for (;;) {
    const t = buf[pos++];
    if (t === B.STOP) return 0;
    const id = buf.readInt16BE(pos);
    pos += 2;
    if (id === 2 && t === B.LIST) return buf.readInt32BE(pos + 1);
    pos = binSkip(buf, pos, t);
  }
}

/** Spans in a binary-protocol `Agent.emitBatch` message (strict or old non-strict header). */
function countBinaryEmitBatch(buf) {
  let pos = 0;
  const first = buf.readInt32BE(0);
  if (first < 0) {
    pos = 4;
    pos += 4 + buf.readInt32BE(pos); // name
    pos += 4; // seqid
  } else {
    pos = 4 + first + 1 + 4; // name, type byte, seqid
  }
  // args struct: field 1 = Batch
  for (;;) {
    const t = buf[pos++];
    if (t === B.STOP) return 0;
    const id = buf.readInt16BE(pos);
    pos += 2;
    if (id === 1 && t === B.STRUCT) return binBatchSpans(buf, pos);
    pos = binSkip(buf, pos, t);
  }
}

// ---------- Thrift compact protocol ----------
const C = { STOP: 0, TRUE: 1, FALSE: 2, BYTE: 3, I16: 4, I32: 5, I64: 6, DOUBLE: 7, BINARY: 8, LIST: 9, SET: 10, MAP: 11, STRUCT: 12 };

function varint(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    if (b === undefined) throw new Error('varint past end');
    // lengths and counts fit 2^53; i64 values are only skipped
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, pos];
    shift += 7;
  }
}

function skipVarint(buf, pos) {
  while (buf[pos++] & 0x80);
  return pos;
}

function cSkip(buf, pos, type, inCollection) {
  switch (type) {
    case C.TRUE:
    case C.FALSE:
      return inCollection ? pos + 1 : pos; // a bool field carries its value in the type
    case C.BYTE:
      return pos + 1;
    case C.I16:
    case C.I32:
    case C.I64:
      return skipVarint(buf, pos);
    case C.DOUBLE:
      return pos + 8;
    case C.BINARY: {
      const [len, p] = varint(buf, pos);
      return p + len;
    }
    case C.STRUCT:
      for (;;) {
        const h = buf[pos++];
        if (h === C.STOP) return pos;
        if ((h & 0xf0) === 0) pos = skipVarint(buf, pos); // long-form field id
        pos = cSkip(buf, pos, h & 0x0f, false);
      }
    case C.LIST:
    case C.SET: {
      const h = buf[pos++];
      let n = h >> 4;
      if (n === 15) [n, pos] = varint(buf, pos);
      const et = h & 0x0f;
      for (let i = 0; i < n; i++) pos = cSkip(buf, pos, et, true);
      return pos;
    }
    case C.MAP: {
      let n;
      [n, pos] = varint(buf, pos);
      if (n === 0) return pos;
      const kv = buf[pos++];
      for (let i = 0; i < n; i++) pos = cSkip(buf, cSkip(buf, pos, kv >> 4, true), kv & 0x0f, true);
      return pos;
    }
    default:
      throw new Error(`thrift compact: unknown type ${type} at ${pos}`);
  }
}

/** Walks a compact struct's fields, calling `onField(id, type, pos)`; a number returned stops the walk. */
function cFields(buf, pos, onField) {
  let lastId = 0;
  for (;;) {
    const h = buf[pos++];
    if (h === C.STOP) return undefined;
    const type = h & 0x0f;
    let id;
    if ((h & 0xf0) === 0) {
      let zz;
      [zz, pos] = varint(buf, pos);
      id = (zz >>> 1) ^ -(zz & 1);
    } else {
      id = lastId + (h >> 4);
    }
    lastId = id;
    const found = onField(id, type, pos);
    if (found !== undefined) return found;
    pos = cSkip(buf, pos, type, false);
  }
}

/** Spans in a compact-protocol `Agent.emitBatch` message. */
function countCompactEmitBatch(buf) {
  if (buf[0] !== 0x82) throw new Error('thrift compact: bad protocol id');
  let pos = 2;
  pos = skipVarint(buf, pos); // seqid
  const [nameLen, p] = varint(buf, pos);
  pos = p + nameLen;
  const spans = cFields(buf, pos, (id, type, at) => {
    if (id !== 1 || type !== C.STRUCT) return undefined;
    return (
      cFields(buf, at, (bid, btype, bat) => {
        if (bid !== 2 || btype !== C.LIST) return undefined;
        const h = buf[bat];
        return h >> 4 === 15 ? varint(buf, bat + 1)[0] : h >> 4;
      }) ?? 0
    );
  });
  return spans ?? 0;
}

// ---------- OTLP ----------
/** Iterates length-delimited fields with the given number in a protobuf message slice. */
function* protoLenFields(buf, start, end, wanted) {
  let pos = start;
  while (pos < end) {
    let tag;
    [tag, pos] = varint(buf, pos);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) pos = skipVarint(buf, pos);
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      let len;
      [len, pos] = varint(buf, pos);
      if (field === wanted) yield [pos, pos + len];
      pos += len;
    } else throw new Error(`protobuf: unsupported wire type ${wire}`);
  }
}

/** Spans in an OTLP ExportTraceServiceRequest, protobuf encoded. */
function countOtlpProtobuf(buf) {
  let spans = 0;
  for (const [rs, rsEnd] of protoLenFields(buf, 0, buf.length, 1)) {
    for (const [ss, ssEnd] of protoLenFields(buf, rs, rsEnd, 2)) {
      for (const _span of protoLenFields(buf, ss, ssEnd, 2)) spans++;
    }
  }
  return spans;
}

/** Spans in an OTLP ExportTraceServiceRequest, JSON encoded. */
function countOtlpJson(buf) {
  const body = JSON.parse(buf.toString('utf8'));
  let spans = 0;
  for (const rs of body.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) spans += (ss.spans ?? []).length;
  }
  return spans;
}

module.exports = {
  countBinaryEmitBatch,
  countCompactEmitBatch,
  countBinaryBatch: (buf) => binBatchSpans(buf, 0),
  countOtlpProtobuf,
  countOtlpJson,
};
