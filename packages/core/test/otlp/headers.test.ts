import { strict as assert } from 'assert';
import { parseOtlpHeaders } from '../../src/otlp/headers';

describe('otlp/headers parseOtlpHeaders', () => {
  it('parses k=v pairs, trimming spaces and URL-decoding keys and values', () => {
    assert.deepEqual(parseOtlpHeaders('api-key=secret, Authorization=Bearer%20abc%3D%3D ,x-tenant = a%2Cb'), {
      'api-key': 'secret',
      Authorization: 'Bearer abc==',
      'x-tenant': 'a,b',
    });
  });

  it('keeps "=" inside values and allows empty values', () => {
    assert.deepEqual(parseOtlpHeaders('sig=a=b=c,empty='), { sig: 'a=b=c', empty: '' });
  });

  it('skips malformed entries instead of throwing', () => {
    assert.deepEqual(parseOtlpHeaders('novalue,=x,bad%ZZ=1,ok=1,v=%E0%A4%A,sp ace=2,crlf=a%0D%0Ab'), { ok: '1' });
    assert.deepEqual(parseOtlpHeaders(''), {});
    assert.deepEqual(parseOtlpHeaders(undefined), {});
    assert.deepEqual(parseOtlpHeaders(' , ,'), {});
  });

  it('lets a later duplicate win', () => {
    assert.deepEqual(parseOtlpHeaders('a=1,a=2'), { a: '2' });
  });
});
