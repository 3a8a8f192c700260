import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { compilePathMatchers, requestPath } from '../../src/instrumentation/path-matchers';

const req = { method: 'GET', headers: {} } as IncomingMessage;

describe('path matchers', () => {
  it('strings match exactly, a trailing * makes a prefix', () => {
    const match = compilePathMatchers(['/health', '/static/*'])!;
    assert.equal(match('/health', req), true);
    assert.equal(match('/healthz', req), false);
    assert.equal(match('/static/app.js', req), true);
    assert.equal(match('/api', req), false);
  });

  it('RegExps (also global ones) and functions', () => {
    const re = /^\/metrics/g;
    const match = compilePathMatchers([re, (path, r) => r.method === 'OPTIONS' && path === '/x'])!;
    assert.equal(match('/metrics', req), true);
    assert.equal(match('/metrics', req), true, 'lastIndex of a global RegExp does not leak between calls');
    assert.equal(match('/x', req), false);
    assert.equal(match('/x', { ...req, method: 'OPTIONS' } as IncomingMessage), true);
  });

  it('a single matcher works as well as a list; nothing gives undefined', () => {
    assert.equal(compilePathMatchers('/a')!('/a', req), true);
    assert.equal(compilePathMatchers(undefined), undefined);
    assert.equal(compilePathMatchers([]), undefined);
  });

  it('requestPath strips query and fragment', () => {
    assert.equal(requestPath('/a/b?x=1#f'), '/a/b');
    assert.equal(requestPath('/a#f?x'), '/a');
    assert.equal(requestPath(undefined), '/');
    assert.equal(requestPath('/plain'), '/plain');
  });
});
