/**
 * Writes OTLP `KeyValue{1 key, 2 AnyValue value}` for a tag. AnyValue's oneof:
 * 1 string, 2 bool, 3 int64, 4 double, 7 bytes.
 */
import type { TagValue } from '../span-data';
import { ProtoWriter, WireType } from './proto-writer';
import { fitsInt64, tagValueToText } from './tag-value';

const KEY_VALUE_KEY = 1;
const KEY_VALUE_VALUE = 2;
const ANY_STRING = 1;
const ANY_BOOL = 2;
const ANY_INT = 3;
const ANY_DOUBLE = 4;
const ANY_BYTES = 7;

/** Writes the AnyValue body (no tag, no length). */
function writeAnyValueBody(writer: ProtoWriter, value: TagValue): void {
  switch (typeof value) {
    case 'string':
      writer.tag(ANY_STRING, WireType.LengthDelimited).string(value);
      return;
    case 'boolean':
      writer.tag(ANY_BOOL, WireType.Varint).bool(value);
      return;
    case 'number':
      if (Number.isSafeInteger(value)) writer.tag(ANY_INT, WireType.Varint).int64(value);
      else writer.tag(ANY_DOUBLE, WireType.Fixed64).double(value);
      return;
    case 'bigint':
      if (fitsInt64(value)) writer.tag(ANY_INT, WireType.Varint).int64Big(value);
      else writer.tag(ANY_STRING, WireType.LengthDelimited).string(value.toString());
      return;
    default:
      if (value instanceof Uint8Array) {
        writer.tag(ANY_BYTES, WireType.LengthDelimited).bytes(value);
        return;
      }
      writer.tag(ANY_STRING, WireType.LengthDelimited).string(tagValueToText(value));
  }
}

/** Writes `field: KeyValue{key, value}`. */
export function writeKeyValue(writer: ProtoWriter, field: number, key: string, value: TagValue): void {
  const keyValue = writer.beginMessage(field);
  writer.tag(KEY_VALUE_KEY, WireType.LengthDelimited).string(key);
  const anyValue = writer.beginMessage(KEY_VALUE_VALUE);
  writeAnyValueBody(writer, value);
  writer.endMessage(anyValue);
  writer.endMessage(keyValue);
}
