import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { OTLPSender, parseOtlpHeaders } from '../../src/senders/otlp-sender';
import type { BatchMeta } from '../../src/senders/sender';
import type { ProcessData, SpanData } from '../../src/span-data';
import { attributeMap, decodeRequest, ExportTraceServiceResponse } from '../otlp/otlp-decoder';

const meta: BatchMeta = { seqNo: 1, stats: { fullQueueDroppedSpans: 0, tooLargeDroppedSpans: 0, failedToEmitSpans: 0 } };
const process_: ProcessData = { serviceName: 'orders', tags: [{ key: 'hostname', value: 'box' }, { key: 'jaeger.version', value: 'Node-jt' }] };

function makeSpan(i: number, overrides: Partial<SpanData> = {}): SpanData {
  return {
    traceId: 'aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb',
    spanId: (i + 1).toString(16).padStart(16, '0'),
    parentId: i === 0 ? null : '0000000000000001',
    flags: 1,
    operationName: `op-${i}`,
    startTime: 1_700_000_000_000_001 + i,
    duration: 250,
    tags: [{ key: 'span.kind', value: i === 0 ? 'server' : 'client' }, { key: 'n', value: i }],
    logs: [],
    references: [],
    ...overrides,
  };
}

interface Received {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  socketPort: number;
}

type Reply = (req: http.IncomingMessage, res: http.ServerResponse, index: number) => void;

/** A real OTLP endpoint on loopback that records what it receives and answers with `reply`. */
class FakeCollector {
  readonly received: Received[] = [];
  connections = 0;
  reply: Reply = (_req, res) => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  readonly server: http.Server | https.Server;

  constructor(tls?: https.ServerOptions) {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const index = this.received.length;
        this.received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks), socketPort: req.socket.remotePort ?? 0 });
        this.reply(req, res, index);
      });
    };
    this.server = tls ? https.createServer(tls, handler) : http.createServer(handler);
    this.server.on('connection', () => this.connections++);
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('senders/OTLPSender', () => {
  let collector: FakeCollector;
  let endpoint: string;
  const senders: OTLPSender[] = [];
  const newSender = (options: ConstructorParameters<typeof OTLPSender>[0] = {}): OTLPSender => {
    const sender = new OTLPSender({ endpoint, retryInitialDelayMs: 5, ...options });
    sender.setProcess(process_);
    senders.push(sender);
    return sender;
  };

  beforeEach(async () => {
    collector = new FakeCollector();
    endpoint = `http://127.0.0.1:${await collector.listen()}/v1/traces`;
  });

  afterEach(async () => {
    await Promise.all(senders.splice(0).map((s) => s.close()));
    await collector.close();
  });

  it('POSTs protobuf with content-type and extra headers; the body decodes to the spans', async () => {
    const sender = newSender({ headers: 'api-key=s%3Dcret,x-tenant=acme' });
    const spans = [makeSpan(0), makeSpan(1, { tags: [{ key: 'span.kind', value: 'client' }, { key: 'error', value: true }], logs: [{ timestamp: 1_700_000_000_000_100, fields: [{ key: 'event', value: 'error' }, { key: 'message', value: 'refused' }] }] })];
    const result = await sender.send(spans, meta);
    assert.deepEqual(result, { sent: 2, failed: 0 });

    assert.equal(collector.received.length, 1);
    const [request] = collector.received;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/v1/traces');
    assert.equal(request.headers['content-type'], 'application/x-protobuf');
    assert.equal(request.headers['content-length'], String(request.body.length));
    assert.equal(request.headers['api-key'], 's=cret');
    assert.equal(request.headers['x-tenant'], 'acme');

    const decoded = decodeRequest(request.body);
    const resource = attributeMap(decoded.resourceSpans[0].resource.attributes);
    assert.equal(resource.get('service.name')?.stringValue, 'orders');
    assert.equal(resource.get('host.name')?.stringValue, 'box');
    assert.equal(decoded.resourceSpans[0].scopeSpans[0].scope.name, 'jt');
    const [root, child] = decoded.resourceSpans[0].scopeSpans[0].spans;
    assert.equal(root.traceId, 'aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb');
    assert.equal(root.spanId, '0000000000000001');
    assert.equal(root.parentSpanId, '');
    assert.equal(root.kind, 'SPAN_KIND_SERVER');
    assert.equal(root.startTimeUnixNano, '1700000000000001000');
    assert.equal(root.endTimeUnixNano, '1700000000000251000');
    assert.deepEqual(attributeMap(root.attributes).get('n'), { intValue: '0', value: 'intValue' });
    assert.equal(child.parentSpanId, '0000000000000001');
    assert.equal(child.name, 'op-1');
    assert.equal(child.kind, 'SPAN_KIND_CLIENT');
    assert.deepEqual(child.status, { code: 'STATUS_CODE_ERROR', message: 'refused' });
    assert.equal(child.events[0].name, 'error');
    assert.equal(child.events[0].timeUnixNano, '1700000000000100000');
  });

  it('accepts headers as an object and never lets them override Content-Type', async () => {
    const sender = newSender({ headers: { Authorization: 'Bearer t', 'content-type': 'text/plain' } });
    await sender.send([makeSpan(0)], meta);
    assert.equal(collector.received[0].headers.authorization, 'Bearer t');
    assert.equal(collector.received[0].headers['content-type'], 'application/x-protobuf');
    assert.deepEqual(parseOtlpHeaders('a=1'), { a: '1' }, 'the parser is exported from the sender module');
  });

  it('retries on 503 (and 429 with Retry-After) then succeeds', async () => {
    collector.reply = (_req, res, index) => {
      if (index === 0) res.writeHead(503).end();
      else if (index === 1) res.writeHead(429, { 'retry-after': '0' }).end();
      else res.writeHead(200).end();
    };
    const sender = newSender({ maxRetries: 3 });
    const result = await sender.send([makeSpan(0), makeSpan(1)], meta);
    assert.deepEqual(result, { sent: 2, failed: 0 });
    assert.equal(collector.received.length, 3);
    assert.deepEqual(collector.received[2].body, collector.received[0].body, 'the same body is resent');
    assert.equal(sender.stats.retries, 2);
  });

  it('gives up after maxRetries on persistent 502', async () => {
    collector.reply = (_req, res) => res.writeHead(502).end();
    const sender = newSender({ maxRetries: 2 });
    const result = await sender.send([makeSpan(0)], meta);
    assert.equal(result.sent, 0);
    assert.equal(result.failed, 1);
    assert.match(String(result.error?.message), /502/);
    assert.equal(collector.received.length, 3);
  });

  it('does not retry on 400', async () => {
    collector.reply = (_req, res) => res.writeHead(400).end('bad');
    const errors: string[] = [];
    const sender = newSender({ maxRetries: 3, logger: { info() {}, error: (m) => errors.push(m) } });
    const first = await sender.send([makeSpan(0), makeSpan(1)], meta);
    await sender.send([makeSpan(2)], meta);
    assert.equal(first.sent, 0);
    assert.equal(first.failed, 2);
    assert.match(String(first.error?.message), /400/);
    assert.equal(collector.received.length, 2, 'one request per send, no retries');
    assert.equal(errors.length, 1, 'the same failure is logged once');
    assert.deepEqual(sender.stats, { requests: 2, retries: 0, sentSpans: 0, failedSpans: 3, rejectedSpans: 0 });
  });

  it('counts spans a collector rejects in a partial success', async () => {
    const response = ExportTraceServiceResponse.encode(ExportTraceServiceResponse.create({ partialSuccess: { rejectedSpans: 2, errorMessage: 'too old' } })).finish();
    collector.reply = (_req, res) => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(Buffer.from(response));
    const sender = newSender();
    const result = await sender.send([makeSpan(0), makeSpan(1), makeSpan(2)], meta);
    assert.equal(result.sent, 1);
    assert.equal(result.failed, 2);
    assert.match(String(result.error?.message), /too old/);
  });

  it('aborts a request that exceeds the timeout, without retrying it', async () => {
    let serverSawAbort = false;
    collector.reply = (req) => {
      req.socket.on('close', () => (serverSawAbort = true));
    };
    const sender = newSender({ timeoutMs: 150, maxRetries: 3 });
    const started = Date.now();
    const result = await sender.send([makeSpan(0)], meta);
    const elapsed = Date.now() - started;
    assert.equal(result.failed, 1);
    assert.match(String(result.error?.message), /timed out/);
    assert.ok(elapsed >= 140 && elapsed < 1500, `took ${elapsed} ms`);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(serverSawAbort, 'the server sees the connection closed');
    assert.equal(collector.received.length, 1);
  });

  it('never throws when the connection is refused, and retries network errors', async () => {
    const port = (collector.server.address() as AddressInfo).port;
    await collector.close();
    const sender = new OTLPSender({ endpoint: `http://127.0.0.1:${port}/v1/traces`, maxRetries: 2, retryInitialDelayMs: 5 });
    senders.push(sender);
    const result = await sender.send([makeSpan(0), makeSpan(1)], meta);
    assert.equal(result.sent, 0);
    assert.equal(result.failed, 2);
    assert.match(String((result.error as NodeJS.ErrnoException).code), /ECONNREFUSED/);
    assert.equal(sender.stats.requests, 3);
    collector = new FakeCollector();
    await collector.listen();
  });

  it('keeps the connection alive across sends', async () => {
    const sender = newSender();
    for (let i = 0; i < 3; i++) assert.equal((await sender.send([makeSpan(i)], meta)).sent, 1);
    assert.equal(collector.received.length, 3);
    assert.equal(collector.connections, 1);
  });

  it('encodes concurrent sends into separate buffers', async () => {
    collector.reply = (_req, res) => setTimeout(() => res.writeHead(200).end(), 30);
    const sender = newSender();
    const results = await Promise.all([
      sender.send([makeSpan(0, { operationName: 'first' })], meta),
      sender.send([makeSpan(1, { operationName: 'second' }), makeSpan(2, { operationName: 'third' })], meta),
    ]);
    assert.deepEqual(results, [{ sent: 1, failed: 0 }, { sent: 2, failed: 0 }]);
    const names = collector.received.map((r) => decodeRequest(r.body).resourceSpans[0].scopeSpans[0].spans.map((s) => s.name).join(','));
    assert.deepEqual(names.sort(), ['first', 'second,third']);
  });

  it('close() waits for the request under way, is idempotent, and later sends fail softly', async () => {
    collector.reply = (_req, res) => setTimeout(() => res.writeHead(200).end(), 50);
    const sender = newSender();
    const pending = sender.send([makeSpan(0)], meta);
    await new Promise((r) => setTimeout(r, 10));
    const closing = sender.close();
    assert.equal(sender.close(), closing);
    await closing;
    assert.deepEqual(await pending, { sent: 1, failed: 0 });
    const after = await sender.send([makeSpan(1)], meta);
    assert.equal(after.failed, 1);
    assert.deepEqual(await sender.send([], meta), { sent: 0, failed: 0 });
  });

  it('close() cuts a retry backoff short', async () => {
    collector.reply = (_req, res) => res.writeHead(503).end();
    const sender = newSender({ maxRetries: 5, retryInitialDelayMs: 5000, retryMaxDelayMs: 5000 });
    const pending = sender.send([makeSpan(0)], meta);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await sender.close();
    assert.ok(Date.now() - started < 1000);
    assert.equal((await pending).failed, 1);
  });

  it('rejects a bad endpoint at construction with a clear error', () => {
    assert.throws(() => new OTLPSender({ endpoint: 'not a url' }), /valid URL/);
    assert.throws(() => new OTLPSender({ endpoint: 'ftp://x/v1/traces' }), /http or https/);
  });

  it('sends over https', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jt-otlp-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    } catch {
      this.skip();
    }
    const cert = fs.readFileSync(path.join(dir, 'cert.pem'));
    const key = fs.readFileSync(path.join(dir, 'key.pem'));
    fs.rmSync(dir, { recursive: true, force: true });
    const secure = new FakeCollector({ cert, key });
    const port = await secure.listen();
    const agent = new https.Agent({ ca: cert, keepAlive: true });
    try {
      const sender = new OTLPSender({ endpoint: `https://127.0.0.1:${port}/v1/traces`, agent });
      sender.setProcess(process_);
      assert.deepEqual(await sender.send([makeSpan(0)], meta), { sent: 1, failed: 0 });
      await sender.close();
      assert.equal(decodeRequest(secure.received[0].body).resourceSpans[0].scopeSpans[0].spans[0].name, 'op-0');
    } finally {
      agent.destroy();
      await secure.close();
    }
  });
});
