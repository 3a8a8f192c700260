import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as diagnostics from 'node:diagnostics_channel';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { isTracingSuppressed } from '../../src/instrumentation/suppress-tracing';
import { HTTPSender } from '../../src/senders/http-sender';
import type { BatchMeta } from '../../src/senders/sender';
import type { SpanData } from '../../src/span-data';
import { decodeBatch, hex64 } from '../thrift/thrift-decoder';
import { assertRichSpan, assertTestProcess, makeSpan, richSpan, spanIdOf, testProcess } from '../thrift/span-fixtures';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}
type Reply = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A stand-in collector on loopback: records each request; replies from a script, then 202. */
class FakeCollector {
  readonly requests: Received[] = [];
  readonly replies: Reply[] = [];
  connections = 0;
  /** Requests whose connection went away before a reply was sent. */
  aborted = 0;
  private constructor(readonly server: http.Server | https.Server) {
    server.on('connection', () => this.connections++);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
        const reply = this.replies.shift() ?? ((_q, s) => s.writeHead(202).end());
        res.on('close', () => {
          if (!res.writableEnded) this.aborted++;
        });
        reply(req, res);
      });
    });
  }

  static async start(server: http.Server | https.Server = http.createServer()): Promise<FakeCollector> {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new FakeCollector(server);
  }

  url(scheme = 'http', pathname = '/api/traces'): string {
    return `${scheme}://127.0.0.1:${(this.server.address() as AddressInfo).port}${pathname}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const meta = (seqNo = 1): BatchMeta => ({
  seqNo,
  stats: { fullQueueDroppedSpans: 5, tooLargeDroppedSpans: 6, failedToEmitSpans: 2 ** 33 },
});

function spans(n: number): SpanData[] {
  return Array.from({ length: n }, (_, i) => makeSpan({ spanId: spanIdOf(i + 1), operationName: `op-${i + 1}` }));
}

describe('HTTPSender', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  async function collector(server?: http.Server | https.Server): Promise<FakeCollector> {
    const c = await FakeCollector.start(server);
    cleanups.push(() => c.close());
    return c;
  }
  function sender(options: ConstructorParameters<typeof HTTPSender>[0]): HTTPSender {
    const s = new HTTPSender(options);
    cleanups.push(() => s.close());
    return s;
  }

  it('POSTs one binary-protocol Batch as application/x-thrift, decoded by Apache Thrift', async () => {
    const c = await collector();
    const s = sender({ endpoint: c.url() });
    s.setProcess(testProcess);
    const result = await s.send([richSpan(), makeSpan({ traceId: 'ffffffffffffffff', parentId: null })], meta(42));
    assert.deepEqual(result, { sent: 2, failed: 0 });
    assert.equal(c.requests.length, 1);
    const [req] = c.requests;
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/api/traces');
    assert.equal(req.headers['content-type'], 'application/x-thrift');
    assert.equal(Number(req.headers['content-length']), req.body.length);
    assert.equal(req.headers.authorization, undefined);
    const batch = decodeBatch('binary', req.body);
    assertTestProcess(batch.process);
    assertRichSpan(batch.spans[0]);
    assert.equal(hex64(batch.spans[1].traceIdLow), 'ffffffffffffffff');
    assert.equal(batch.spans[1].traceIdHigh, 0n);
    assert.equal(batch.spans[1].parentSpanId, 0n);
    assert.equal(batch.seqNo, 42n);
    assert.deepEqual(batch.stats, { fullQueueDroppedSpans: 5n, tooLargeDroppedSpans: 6n, failedToEmitSpans: 2n ** 33n });
    assert.equal(s.stats().sentSpans, 2);
  });

  it('sends basic auth (options or URL credentials), a bearer token, and extra headers', async () => {
    const c = await collector();
    await sender({ endpoint: c.url(), username: 'jäger', password: 'p:w', headers: { 'X-Tenant': 'acme', 'content-type': 'text/plain' } }).send(spans(1), meta());
    await sender({ endpoint: c.url().replace('://', '://u%40x:s3cret@') }).send(spans(1), meta());
    await sender({ endpoint: c.url(), username: 'ignored', authToken: 'tok-123' }).send(spans(1), meta());
    const auth = c.requests.map((r) => r.headers.authorization);
    assert.deepEqual(auth, [
      `Basic ${Buffer.from('jäger:p:w').toString('base64')}`,
      `Basic ${Buffer.from('u@x:s3cret').toString('base64')}`,
      'Bearer tok-123',
    ]);
    assert.equal(c.requests[0].headers['x-tenant'], 'acme');
    assert.equal(c.requests[0].headers['content-type'], 'application/x-thrift', 'ours wins');
  });

  it('reuses one keep-alive connection across sends', async () => {
    const c = await collector();
    const s = sender({ endpoint: c.url() });
    for (let i = 0; i < 3; i++) assert.equal((await s.send(spans(2), meta(i))).sent, 2);
    assert.equal(c.requests.length, 3);
    assert.equal(c.connections, 1);
  });

  it('retries a 5xx with backoff and succeeds', async () => {
    const c = await collector();
    c.replies.push((_q, res) => res.writeHead(500).end('collector busy'), (_q, res) => res.writeHead(503).end());
    const s = sender({ endpoint: c.url(), retryBaseDelayMs: 20 });
    const started = Date.now();
    const result = await s.send(spans(3), meta());
    assert.deepEqual(result, { sent: 3, failed: 0 });
    assert.equal(c.requests.length, 3);
    assert.ok(c.requests.every((r) => r.body.equals(c.requests[0].body)), 'the same body each time');
    assert.ok(Date.now() - started >= 10 + 20, 'backed off (at least half of 20 ms, then of 40 ms)');
    assert.equal(s.stats().retries, 2);
  });

  it('gives up after the retries on persistent 5xx, counts the spans and logs once', async () => {
    const c = await collector();
    const errors: string[] = [];
    c.replies.push(...Array.from({ length: 6 }, (): Reply => (_q, res) => res.writeHead(502).end('bad gateway')));
    const s = sender({ endpoint: c.url(), retryBaseDelayMs: 1, retries: 2, logger: { info() {}, error: (m) => errors.push(m) } });
    const result = await s.send(spans(4), meta());
    assert.equal(result.sent, 0);
    assert.equal(result.failed, 4);
    assert.match(String(result.error?.message), /HTTP 502: bad gateway/);
    assert.equal(c.requests.length, 3, 'first attempt + 2 retries');
    await s.send(spans(1), meta());
    assert.equal(s.stats().failedToEmitSpans, 5);
    assert.equal(errors.length, 1);
  });

  it('does not retry a 4xx', async () => {
    const c = await collector();
    c.replies.push((_q, res) => res.writeHead(400).end('Unable to process request body'));
    const s = sender({ endpoint: c.url(), retryBaseDelayMs: 1 });
    const result = await s.send(spans(2), meta());
    assert.equal(result.failed, 2);
    assert.match(String(result.error?.message), /HTTP 400: Unable to process/);
    assert.equal(c.requests.length, 1);
  });

  it('close() cuts a retry backoff short and makes no further attempt', async () => {
    const c = await collector();
    c.replies.push(...Array.from({ length: 6 }, (): Reply => (_q, res) => res.writeHead(503).end('busy')));
    const s = sender({ endpoint: c.url(), retries: 5, retryBaseDelayMs: 5000 });
    const pending = s.send(spans(2), meta());
    for (let i = 0; i < 100 && c.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    await s.close();
    assert.ok(Date.now() - started < 1000, 'close did not wait out the backoff');
    const result = await pending;
    assert.equal(result.failed, 2);
    assert.match(String(result.error?.message), /HTTP 503: busy/);
    assert.equal(c.requests.length, 1, 'no attempt after close');
    assert.equal(s.stats().retries, 1);
  });

  it('aborts a request that takes longer than timeoutMs (no retry), without throwing', async () => {
    const c = await collector();
    c.replies.push(() => {}); // never answers
    const s = sender({ endpoint: c.url(), timeoutMs: 150, retryBaseDelayMs: 1 });
    const started = Date.now();
    const result = await s.send(spans(2), meta());
    const elapsed = Date.now() - started;
    assert.equal(result.failed, 2);
    assert.match(String(result.error?.message), /timed out after 150 ms/);
    assert.ok(elapsed >= 140 && elapsed < 1000, `${elapsed} ms`);
    for (let i = 0; i < 50 && c.aborted === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(c.aborted, 1, 'the collector saw the connection go away');
    assert.equal(c.requests.length, 1);
  });

  it('survives connection refused: bounded retries, then the spans are counted as failed', async () => {
    const probe = await FakeCollector.start();
    const endpoint = probe.url();
    await probe.close();
    const s = sender({ endpoint, retryBaseDelayMs: 5 });
    const result = await s.send(spans(3), meta());
    assert.equal(result.sent, 0);
    assert.equal(result.failed, 3);
    assert.equal((result.error as NodeJS.ErrnoException).code, 'ECONNREFUSED');
    assert.equal(s.stats().requests, 3);
    assert.equal(s.stats().failedToEmitSpans, 3);
  });

  it('runs its requests with tracing suppressed, so http instrumentation skips them', async () => {
    const c = await collector();
    const seen: boolean[] = [];
    const onStart = (): void => {
      seen.push(isTracingSuppressed());
    };
    diagnostics.subscribe('http.client.request.start', onStart);
    try {
      await sender({ endpoint: c.url() }).send(spans(1), meta());
    } finally {
      diagnostics.unsubscribe('http.client.request.start', onStart);
    }
    assert.deepEqual(seen, [true]);
    assert.equal(isTracingSuppressed(), false, 'only inside the sender');
  });

  it('speaks https with an agent the user provides', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jt-https-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
      { stdio: 'ignore' });
    } catch {
      this.skip();
    }
    const cert = fs.readFileSync(path.join(dir, 'cert.pem'));
    const c = await collector(https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert }));
    const agent = new https.Agent({ ca: cert, keepAlive: true });
    cleanups.push(async () => agent.destroy());
    const result = await sender({ endpoint: c.url('https'), agent, authToken: 't' }).send(spans(2), meta());
    assert.deepEqual(result, { sent: 2, failed: 0 });
    assert.equal(decodeBatch('binary', c.requests[0].body).spans.length, 2);
    const untrusted = await sender({ endpoint: c.url('https'), retries: 0 }).send(spans(1), meta());
    assert.equal(untrusted.failed, 1, 'an untrusted certificate is a failure, not a throw');
  });

  it('leaves out a span whose data throws, and sends the others', async () => {
    const c = await collector();
    const broken = makeSpan();
    Object.defineProperty(broken, 'tags', { get: () => { throw new Error('broken span'); } });
    const s = sender({ endpoint: c.url() });
    const result = await s.send([makeSpan({ operationName: 'a' }), broken, makeSpan({ operationName: 'b' })], meta());
    assert.equal(result.sent, 2);
    assert.equal(result.failed, 1);
    assert.deepEqual(decodeBatch('binary', c.requests[0].body).spans.map((sp) => sp.operationName), ['a', 'b']);
  });

  it('rejects a bad endpoint at construction; close() is idempotent and later sends fail quietly', async () => {
    assert.throws(() => new HTTPSender({ endpoint: 'not a url' }), TypeError);
    assert.throws(() => new HTTPSender({ endpoint: 'ftp://x/api/traces' }), TypeError);
    assert.throws(() => new HTTPSender({ timeoutMs: -1 }), RangeError);
    assert.equal(new HTTPSender().endpoint, 'http://localhost:14268/api/traces');
    const c = await collector();
    const s = sender({ endpoint: c.url() });
    const inFlight = s.send(spans(1), meta());
    const closed = s.close();
    assert.equal(s.close(), closed);
    await closed;
    assert.deepEqual(await inFlight, { sent: 1, failed: 0 }, 'close waits for the request under way');
    const after = await s.send(spans(2), meta());
    assert.equal(after.failed, 2);
  });
});
