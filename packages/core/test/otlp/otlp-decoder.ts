/**
 * Test helper: decodes OTLP bytes with protobufjs (an independent implementation) from the
 * hand-written .proto subset in ./fixtures, into plain objects with hex ids and string longs.
 */
import * as path from 'path';
import * as protobuf from 'protobufjs';

const root = protobuf.loadSync(path.join(__dirname, 'fixtures', 'otlp-trace-subset.proto'));

export const ExportTraceServiceRequest = root.lookupType('otlp_subset.ExportTraceServiceRequest');
export const ExportTraceServiceResponse = root.lookupType('otlp_subset.ExportTraceServiceResponse');
export const AnyValueType = root.lookupType('otlp_subset.AnyValue');

export interface DecodedAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  bytesValue?: Buffer;
  value?: string;
}

export interface DecodedKeyValue {
  key: string;
  value: DecodedAnyValue;
}

export interface DecodedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: DecodedKeyValue[];
  events: { timeUnixNano: string; name: string; attributes: DecodedKeyValue[] }[];
  links: { traceId: string; spanId: string; attributes: DecodedKeyValue[] }[];
  status?: { code: string; message: string } | null;
  flags: number;
}

export interface DecodedRequest {
  resourceSpans: {
    resource: { attributes: DecodedKeyValue[] };
    scopeSpans: { scope: { name: string; version: string }; spans: DecodedSpan[] }[];
  }[];
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Decodes a request body; ids become hex, 64-bit numbers decimal strings, enums their names. */
export function decodeRequest(body: Uint8Array): DecodedRequest {
  const message = ExportTraceServiceRequest.decode(body);
  const object = ExportTraceServiceRequest.toObject(message, {
    longs: String,
    enums: String,
    bytes: Buffer,
    defaults: true,
    arrays: true,
    oneofs: true,
  }) as DecodedRequest;
  for (const resourceSpans of object.resourceSpans) {
    for (const scopeSpans of resourceSpans.scopeSpans) {
      for (const span of scopeSpans.spans) {
        span.traceId = hex(span.traceId as unknown as Uint8Array);
        span.spanId = hex(span.spanId as unknown as Uint8Array);
        span.parentSpanId = hex(span.parentSpanId as unknown as Uint8Array);
        for (const link of span.links) {
          link.traceId = hex(link.traceId as unknown as Uint8Array);
          link.spanId = hex(link.spanId as unknown as Uint8Array);
        }
      }
    }
  }
  return object;
}

/** `attributes` as a key -> AnyValue map (throws on duplicate keys, which the encoder must not emit). */
export function attributeMap(attributes: DecodedKeyValue[]): Map<string, DecodedAnyValue> {
  const map = new Map<string, DecodedAnyValue>();
  for (const { key, value } of attributes) {
    if (map.has(key)) throw new Error(`duplicate attribute ${key}`);
    map.set(key, value);
  }
  return map;
}
