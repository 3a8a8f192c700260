import assert from 'node:assert/strict';
import * as https from 'node:https';
import { describeRequest, withExtraHeaders } from '../src/request-args';

describe('describeRequest', () => {
  it('reads URL strings, URL objects and options the way Node does', () => {
    assert.deepEqual(describeRequest(['http://u:p@example.com/a?b=1'], 'http'), {
      library: 'http',
      method: 'GET',
      url: 'http://example.com/a?b=1',
      hostname: 'example.com',
      port: 80,
    });
    assert.deepEqual(describeRequest([new URL('https://[::1]:8443/x'), { method: 'delete' }], 'https'), {
      library: 'https',
      method: 'DELETE',
      url: 'https://[::1]:8443/x',
      hostname: '::1',
      port: 8443,
    });
    assert.equal(describeRequest([{ host: 'h', path: '/p?password=x' }], 'https')!.url, 'https://h/p?password=REDACTED');
    assert.equal(describeRequest([{ hostname: 'h', port: '8080' }], 'http')!.url, 'http://h:8080/');
    assert.equal(describeRequest([], 'http')!.url, 'http://localhost/');
    // options override the URL, as in Node
    assert.equal(describeRequest(['http://a/x', { path: '/y', port: 81 }], 'http')!.url, 'http://a:81/y');
  });

  it('takes the scheme from an https agent given to the http module', () => {
    const agent = new https.Agent();
    assert.equal(describeRequest([{ host: 'h', agent }], 'http')!.url, 'https://h/');
    agent.destroy();
  });

  it('gives undefined for a URL Node would refuse (Node throws its own error)', () => {
    assert.equal(describeRequest(['not a url'], 'http'), undefined);
  });
});

describe('withExtraHeaders', () => {
  const extra = { traceparent: 'tp', 'uber-trace-id': 'u' };
  const cb = () => {};

  it('adds headers to a copy, keeping the callback in its place', () => {
    const options = Object.freeze({ headers: Object.freeze({ a: '1', TraceParent: 'old' }), timeout: 5 });
    const out = withExtraHeaders(['http://h/', options, cb], extra);
    assert.deepEqual(out, ['http://h/', { headers: { a: '1', traceparent: 'tp', 'uber-trace-id': 'u' }, timeout: 5 }, cb]);
    assert.deepEqual(withExtraHeaders(['http://h/', cb], extra), ['http://h/', { headers: extra }, cb]);
    assert.deepEqual(withExtraHeaders([new URL('http://h/')], extra), [new URL('http://h/'), { headers: extra }]);
    assert.deepEqual(withExtraHeaders([{ host: 'h' }, cb], extra), [{ host: 'h', headers: extra }, cb]);
    assert.deepEqual(withExtraHeaders([], extra), [{ headers: extra }]);
    // Node accepts an undefined/null options slot before the callback
    assert.deepEqual(withExtraHeaders(['http://h/', undefined, cb], extra), ['http://h/', { headers: extra }, cb]);
    assert.deepEqual(withExtraHeaders(['http://h/', null, cb], extra), ['http://h/', { headers: extra }, cb]);
  });

  it('handles raw header arrays, flat and paired', () => {
    const [flat] = withExtraHeaders([{ headers: ['Host', 'h', 'TRACEPARENT', 'old'] }], extra) as [{ headers: unknown }];
    assert.deepEqual(flat.headers, ['Host', 'h', 'traceparent', 'tp', 'uber-trace-id', 'u']);
    const [paired] = withExtraHeaders([{ headers: [['Host', 'h']] }], extra) as [{ headers: unknown }];
    assert.deepEqual(paired.headers, [['Host', 'h'], ['traceparent', 'tp'], ['uber-trace-id', 'u']]);
  });

  it('returns the arguments untouched when there is nothing to add', () => {
    const args = ['http://h/'];
    assert.equal(withExtraHeaders(args, {}), args);
  });
});
