import assert from 'node:assert/strict';
import { isSecretKey, redactQuery, sanitizeUrl } from '../../src/instrumentation/url-sanitize';

describe('sanitizeUrl', () => {
  it('drops credentials from the authority', () => {
    assert.equal(sanitizeUrl('http://user:pa%40ss@example.com:8080/a/b'), 'http://example.com:8080/a/b');
    assert.equal(sanitizeUrl(new URL('https://bob:secret@example.com/x')), 'https://example.com/x');
    assert.equal(sanitizeUrl('http://example.com/a@b'), 'http://example.com/a@b', 'an @ in the path is not userinfo');
  });

  it('redacts values of secret-looking query keys and keeps the rest byte for byte', () => {
    assert.equal(
      sanitizeUrl('http://h/p?q=caf%C3%A9&password=hunter2&page=2&access_token=abc&X-Amz-Signature=ff&sig=1'),
      'http://h/p?q=caf%C3%A9&password=REDACTED&page=2&access_token=REDACTED&X-Amz-Signature=REDACTED&sig=REDACTED',
    );
    assert.equal(sanitizeUrl('/search?api_key=k&apikey=k&key=k&monkey=ok'), '/search?api_key=REDACTED&apikey=REDACTED&key=REDACTED&monkey=ok');
    assert.equal(sanitizeUrl('/s?%74oken=x'), '/s?%74oken=REDACTED', 'keys are matched decoded');
    assert.equal(sanitizeUrl('/s?flag&token'), '/s?flag&token', 'keys without values have nothing to hide');
  });

  it('cuts the fragment, where OAuth puts tokens', () => {
    assert.equal(sanitizeUrl('https://h/cb#access_token=abc'), 'https://h/cb');
  });

  it('returns an unchanged string when there is nothing to hide', () => {
    const url = 'http://example.com/users/42?page=2';
    assert.equal(sanitizeUrl(url), url);
    assert.equal(redactQuery('a=1&b=2'), 'a=1&b=2');
  });

  it('knows the secret-looking keys', () => {
    for (const key of ['password', 'passwd', 'pwd', 'secret', 'client_secret', 'token', 'refresh_token', 'api_key', 'apikey',
      'api-key', 'key', 'x-api-key', 'auth', 'authorization', 'signature', 'sig', 'session', 'sessionid', 'sid', 'credentials']) {
      assert.ok(isSecretKey(key), key);
    }
    for (const key of ['q', 'page', 'monkey', 'keyword', 'sort', 'id']) assert.ok(!isSecretKey(key), key);
  });

  it('never throws on odd input', () => {
    assert.equal(sanitizeUrl(undefined as never), '');
    assert.equal(sanitizeUrl('%%%?%%=1&token=%'), '%%%?%%=1&token=REDACTED');
  });
});
