import { strict as assert } from 'assert';
import { readPartialSuccess } from '../../src/otlp/export-response';
import { ExportTraceServiceResponse } from './otlp-decoder';

const encodeResponse = (value: object): Uint8Array => ExportTraceServiceResponse.encode(ExportTraceServiceResponse.create(value)).finish();

describe('otlp/export-response readPartialSuccess', () => {
  it('reads rejected spans and the message from a protobufjs-encoded response', () => {
    const body = encodeResponse({ partialSuccess: { rejectedSpans: 300, errorMessage: 'spans too old ✓' } });
    assert.deepEqual(readPartialSuccess(body), { rejectedSpans: 300, errorMessage: 'spans too old ✓' });
  });

  it('returns null for an empty response, and zero rejections for an empty partial success', () => {
    assert.equal(readPartialSuccess(encodeResponse({})), null);
    assert.deepEqual(readPartialSuccess(encodeResponse({ partialSuccess: { errorMessage: 'warn' } })), { rejectedSpans: 0, errorMessage: 'warn' });
  });

  it('returns null for garbage and truncated bodies instead of throwing', () => {
    const body = encodeResponse({ partialSuccess: { rejectedSpans: 5, errorMessage: 'x'.repeat(50) } });
    assert.equal(readPartialSuccess(body.subarray(0, body.length - 3)), null);
    assert.equal(readPartialSuccess(Buffer.from('{"partialSuccess":{}}')), null);
    assert.equal(readPartialSuccess(Buffer.from([0xff, 0xff, 0xff])), null);
  });
});
