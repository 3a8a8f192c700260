import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import { close, listen } from '@jt/test-utils';
import { extraHeaders, HttpPost, isSuccess, parseHttpEndpoint, type HttpPostOptions, type PostOutcome } from '../../src/senders/http-post';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, index: number) => void;

describe('senders/HttpPost', () => {
  let server: http.Server | undefined;
  let received: Buffer[] = [];
  const posters: HttpPost[] = [];

  afterEach(async () => {
    for (const poster of posters.splice(0)) {
      poster.stopRetrying();
      poster.destroy();
    }
    if (server !== undefined) await close(server);
    server = undefined;
    received = [];
  });

  /** A loopback endpoint answering the n-th request with `handler`; resolves with its URL. */
  async function endpoint(handler: Handler): Promise<URL> {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(Buffer.concat(chunks));
        handler(req, res, received.length - 1);
      });
    });
    return new URL(`http://127.0.0.1:${await listen(server)}/ingest`);
  }

  function poster(url: URL, options: Partial<HttpPostOptions> = {}): HttpPost {
    const made = new HttpPost(url, {
      headers: { 'Content-Type': 'application/octet-stream' },
      timeoutMs: 2000,
      retries: 2,
      isRetryable: (outcome) => outcome.kind !== 'response' || outcome.status! >= 500,
      backoffMs: () => 1,
      maxResponseBytes: 1024,
      maxSockets: 2,
      ...options,
    });
    posters.push(made);
    return made;
  }

  it('POSTs the body with Content-Length; a 2xx ends it at once with status, headers and body', async () => {
    let headers: http.IncomingHttpHeaders = {};
    const url = await endpoint((req, res) => {
      headers = req.headers;
      res.writeHead(202, { 'x-reply': 'yes' }).end('accepted');
    });
    const p = poster(url);
    const { outcome, stopped } = await p.post(Buffer.from('payload'));
    assert.equal(stopped, false);
    assert.ok(isSuccess(outcome));
    assert.equal(outcome.status, 202);
    assert.equal(outcome.headers?.['x-reply'], 'yes');
    assert.equal(outcome.body?.toString(), 'accepted');
    assert.equal(headers['content-length'], '7');
    assert.equal(headers['content-type'], 'application/octet-stream');
    assert.deepEqual(received.map(String), ['payload']);
    assert.equal(p.requests, 1);
    assert.equal(p.retries, 0);
  });

  it('keeps only maxResponseBytes of a reply body and drains the rest', async () => {
    const url = await endpoint((_req, res) => res.writeHead(200).end(Buffer.alloc(200_000, 'x')));
    const { outcome } = await poster(url, { maxResponseBytes: 100 }).post(Buffer.from('a'));
    assert.equal(outcome.status, 200);
    assert.equal(outcome.body?.length, 100);
  });

  it('retries what isRetryable accepts, with backoffMs told the attempt and the failed outcome', async () => {
    const asked: Array<[number, number | undefined, unknown]> = [];
    const url = await endpoint((_req, res, index) => {
      if (index < 2) res.writeHead(503, { 'retry-after': String(index) }).end('busy');
      else res.writeHead(200).end();
    });
    const p = poster(url, {
      backoffMs: (attempt, outcome) => {
        asked.push([attempt, outcome.status, outcome.headers?.['retry-after']]);
        return 1;
      },
    });
    const { outcome } = await p.post(Buffer.from('again'));
    assert.equal(outcome.status, 200);
    assert.deepEqual(asked, [
      [0, 503, '0'],
      [1, 503, '1'],
    ]);
    assert.deepEqual(received.map(String), ['again', 'again', 'again']);
    assert.equal(p.requests, 3);
    assert.equal(p.retries, 2);
  });

  it('stops at a failure isRetryable refuses, and after the retries run out', async () => {
    const url = await endpoint((_req, res, index) => res.writeHead(index === 0 ? 400 : 500).end());
    const refused = await poster(url).post(Buffer.from('x'));
    assert.equal(refused.outcome.status, 400);
    assert.equal(received.length, 1);
    const exhausted = poster(url, { retries: 2 });
    const result = await exhausted.post(Buffer.from('y'));
    assert.equal(result.outcome.status, 500);
    assert.equal(exhausted.requests, 3, 'the first attempt and two retries');
  });

  it('a request not complete by timeoutMs is destroyed: kind timeout, ETIMEDOUT, labelled', async () => {
    let serverSawClose = false;
    const url = await endpoint((_req, res) => {
      res.on('close', () => (serverSawClose = true));
    });
    const outcomes: PostOutcome[] = [];
    const p = poster(url, {
      timeoutMs: 50,
      label: 'test export',
      isRetryable: (outcome) => {
        outcomes.push(outcome);
        return false;
      },
    });
    const { outcome } = await p.post(Buffer.from('slow'));
    assert.equal(outcome.kind, 'timeout');
    assert.equal((outcome.error as NodeJS.ErrnoException).code, 'ETIMEDOUT');
    assert.match(String(outcome.error?.message), /^test export timed out after 50 ms$/);
    assert.equal(outcomes.length, 1);
    for (let i = 0; i < 50 && !serverSawClose; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(serverSawClose, 'the server saw the connection go away');
  });

  it('a reply cut off mid-body is a network outcome', async () => {
    const url = await endpoint((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('only part');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const { outcome } = await poster(url, { retries: 0 }).post(Buffer.from('z'));
    assert.equal(outcome.kind, 'network');
    assert.ok(outcome.error instanceof Error);
    assert.equal(outcome.status, undefined);
  });

  it('a refused connection is a network outcome; a request that cannot be made is an exception', async () => {
    const url = await endpoint((_req, res) => res.end());
    await close(server!);
    server = undefined;
    const refused = await poster(url, { retries: 1 }).post(Buffer.from('a'));
    assert.equal(refused.outcome.kind, 'network');
    assert.equal((refused.outcome.error as NodeJS.ErrnoException).code, 'ECONNREFUSED');
    const broken = poster(url, { headers: { 'X-Bad': 'line\nbreak' }, isRetryable: (outcome) => outcome.kind === 'network' });
    const thrown = await broken.post(Buffer.from('b'));
    assert.equal(thrown.outcome.kind, 'exception');
    assert.equal(broken.requests, 1, 'isRetryable refused it: no retry');
  });

  it('stopRetrying() cuts a backoff short: no further attempt, stopped is true', async () => {
    const url = await endpoint((_req, res) => res.writeHead(503).end());
    const p = poster(url, { retries: 5, backoffMs: () => 10_000 });
    const pending = p.post(Buffer.from('wait'));
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    p.stopRetrying();
    const result = await pending;
    assert.ok(Date.now() - started < 500);
    assert.equal(result.stopped, true);
    assert.equal(result.outcome.status, 503);
    assert.equal(received.length, 1);
    // once stopped, a new post makes one attempt and no retry
    const again = await p.post(Buffer.from('once'));
    assert.equal(again.stopped, false);
    assert.equal(received.length, 2);
  });

  it('destroy() frees the agent it made, and leaves a caller\'s own agent alone', async () => {
    const url = await endpoint((_req, res) => res.end('ok'));
    const own = new http.Agent({ keepAlive: true });
    try {
      const p = poster(url, { agent: own });
      await p.post(Buffer.from('1'));
      await new Promise((r) => setImmediate(r)); // the socket goes back to the pool after the reply
      p.destroy();
      assert.ok(Object.keys(own.freeSockets).length > 0, 'the caller\'s keep-alive socket is still there');
      const made = poster(url);
      await made.post(Buffer.from('2'));
      made.destroy();
      const res = await made.post(Buffer.from('3'));
      assert.ok(isSuccess(res.outcome), 'a destroyed agent still makes new connections');
    } finally {
      own.destroy();
    }
  });

  it('parseHttpEndpoint takes http and https URLs and names the option in its errors', () => {
    assert.equal(parseHttpEndpoint('https://collector:4318/v1/traces', 'OTLP endpoint').port, '4318');
    assert.throws(() => parseHttpEndpoint('not a url', 'OTLP endpoint'), /^TypeError: OTLP endpoint is not a valid URL: "not a url"$/);
    assert.throws(() => parseHttpEndpoint('udp://agent:6831', 'collector endpoint'), /^TypeError: collector endpoint must be http or https/);
  });

  it('extraHeaders drops Content-Type and Content-Length in any case and keeps the rest as text', () => {
    assert.deepEqual(extraHeaders({ 'content-TYPE': 'text/plain', 'Content-Length': 1, 'X-Team': 'core', 'X-Retries': 3 }), {
      'X-Team': 'core',
      'X-Retries': '3',
    });
  });
});
