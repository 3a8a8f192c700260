import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { once } from 'node:events';
import { UDPSender } from '../../src/senders/udp-sender';
import type { BatchMeta } from '../../src/senders/sender';
import type { SpanData } from '../../src/span-data';
import { TRUNCATED_TAG_KEY } from '../../src/thrift/jaeger-encoder';
import { decodeEmitBatch, hex64, type DecodedMessage, type Protocol } from '../thrift/thrift-decoder';
import { assertRichSpan, assertTestProcess, makeSpan, richSpan, spanIdOf, testProcess } from '../thrift/span-fixtures';

/** A stand-in Jaeger agent: a real UDP socket on loopback that keeps every datagram. */
class FakeAgent {
  readonly datagrams: Buffer[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];
  private constructor(readonly socket: dgram.Socket) {
    socket.on('message', (msg) => {
      this.datagrams.push(msg);
      this.waiters = this.waiters.filter((w) => (this.datagrams.length >= w.count ? (w.resolve(), false) : true));
    });
  }

  static async start(type: 'udp4' | 'udp6' = 'udp4', port = 0): Promise<FakeAgent> {
    const socket = dgram.createSocket({ type, recvBufferSize: 8 * 1024 * 1024 });
    socket.bind(port, type === 'udp4' ? '127.0.0.1' : '::1');
    await once(socket, 'listening');
    return new FakeAgent(socket);
  }

  get port(): number {
    return (this.socket.address() as AddressInfo).port;
  }

  /** Resolves once `count` datagrams have arrived in all (fails the test after 5 s). */
  waitFor(count: number): Promise<void> {
    if (this.datagrams.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`got ${this.datagrams.length} of ${count} datagrams`)), 5000);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  decoded(protocol: Protocol): DecodedMessage[] {
    return this.datagrams.map((d) => decodeEmitBatch(protocol, d));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

const meta = (seqNo = 1, stats = { fullQueueDroppedSpans: 0, tooLargeDroppedSpans: 0, failedToEmitSpans: 0 }): BatchMeta => ({
  seqNo,
  stats,
});

function spans(n: number, overrides: Partial<SpanData> = {}): SpanData[] {
  return Array.from({ length: n }, (_, i) =>
    makeSpan({ spanId: spanIdOf(i + 1), operationName: `op-${i + 1}`, tags: [{ key: 'i', value: i + 1 }], ...overrides }),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('UDPSender', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  async function agent(type: 'udp4' | 'udp6' = 'udp4'): Promise<FakeAgent> {
    const a = await FakeAgent.start(type);
    cleanups.push(() => a.close());
    return a;
  }
  function sender(options: ConstructorParameters<typeof UDPSender>[0]): UDPSender {
    const s = new UDPSender(options);
    cleanups.push(() => s.close());
    return s;
  }

  for (const protocol of ['compact', 'binary'] as const) {
    it(`sends an Agent.emitBatch ONEWAY message in the ${protocol} protocol that Apache Thrift decodes`, async () => {
      const a = await agent();
      const s = sender({ host: '127.0.0.1', port: a.port, protocol });
      s.setProcess(testProcess);
      const stats = { fullQueueDroppedSpans: 2 ** 40, tooLargeDroppedSpans: 3, failedToEmitSpans: 4 };
      const result = await s.send([richSpan(), makeSpan({ traceId: '7fffffffffffffff', parentId: null })], meta(7, stats));
      assert.deepEqual(result, { sent: 2, failed: 0 });
      await a.waitFor(1);
      const [message] = a.decoded(protocol);
      assert.equal(message.name, 'emitBatch');
      assert.equal(message.type, 4, 'ONEWAY');
      assertTestProcess(message.batch.process);
      assert.equal(message.batch.spans.length, 2);
      assertRichSpan(message.batch.spans[0]);
      assert.equal(message.batch.spans[1].traceIdHigh, 0n);
      assert.equal(hex64(message.batch.spans[1].traceIdLow), '7fffffffffffffff');
      assert.equal(message.batch.spans[1].parentSpanId, 0n);
      assert.equal(message.batch.seqNo, 7n);
      assert.deepEqual(message.batch.stats, { fullQueueDroppedSpans: 2n ** 40n, tooLargeDroppedSpans: 3n, failedToEmitSpans: 4n });
      assert.equal(s.stats().datagramsSent, 1);
    });
  }

  it('defaults: localhost, 6831 for compact, 6832 for binary, 65000-byte packets, udp6 for an IPv6 host', () => {
    const compact = new UDPSender();
    assert.equal(compact.host, 'localhost');
    assert.equal(compact.port, 6831);
    assert.equal(compact.maxPacketSize, 65000);
    assert.equal(compact.socketType, 'udp4');
    assert.equal(new UDPSender({ protocol: 'binary' }).port, 6832);
    assert.equal(new UDPSender({ host: '::1' }).socketType, 'udp6');
    assert.throws(() => new UDPSender({ port: 70000 }), RangeError);
    assert.throws(() => new UDPSender({ maxPacketSize: 70000 }), RangeError);
    assert.throws(() => new UDPSender({ protocol: 'json' as 'binary' }), TypeError);
  });

  for (const protocol of ['compact', 'binary'] as const) {
    it(`splits a batch into datagrams no larger than maxPacketSize, each a full batch (${protocol})`, async () => {
      const a = await agent();
      const maxPacketSize = 1500;
      const s = sender({ host: '127.0.0.1', port: a.port, protocol, maxPacketSize });
      s.setProcess(testProcess);
      const batch = spans(200);
      const result = await s.send(batch, meta(10));
      assert.deepEqual(result, { sent: 200, failed: 0 });
      const count = s.stats().datagramsSent;
      assert.ok(count > 10, `${count} datagrams`);
      await a.waitFor(count);
      const messages = a.decoded(protocol);
      for (const d of a.datagrams) assert.ok(d.length <= maxPacketSize, `${d.length} bytes`);
      // tightly packed: no datagram but the last could have taken one more span
      const perSpan = (a.datagrams[0].length - 400) / messages[0].batch.spans.length;
      for (const d of a.datagrams.slice(0, -1)) assert.ok(d.length > maxPacketSize - 2 * perSpan - 64, `${d.length} bytes`);
      const received = messages.flatMap((m) => m.batch.spans.map((sp) => sp.operationName));
      assert.deepEqual(received, batch.map((sp) => sp.operationName), 'every span once, in order');
      messages.forEach((m, i) => {
        assertTestProcess(m.batch.process);
        assert.equal(m.batch.seqNo, BigInt(10 + i), 'one seqNo per datagram');
        assert.deepEqual(m.batch.stats, { fullQueueDroppedSpans: 0n, tooLargeDroppedSpans: 0n, failedToEmitSpans: 0n });
      });
      const next = await s.send(spans(1), meta(11));
      assert.equal(next.sent, 1);
      await a.waitFor(count + 1);
      assert.equal(decodeEmitBatch(protocol, a.datagrams[count]).batch.seqNo, BigInt(10 + count), 'seqNos never repeat');
    });
  }

  it('cuts the logs, then the tags, of a span too large for a datagram, tags it and counts it', async () => {
    const a = await agent();
    const s = sender({ host: '127.0.0.1', port: a.port, maxPacketSize: 4000 });
    s.setProcess(testProcess);
    const bigLogs = makeSpan({
      spanId: spanIdOf(1),
      tags: [{ key: 'kept', value: 'yes' }],
      logs: [{ timestamp: 1, fields: [{ key: 'payload', value: 'x'.repeat(10_000) }] }],
    });
    const bigTags = makeSpan({
      spanId: spanIdOf(2),
      tags: [{ key: 'payload', value: 'y'.repeat(10_000) }],
      logs: [{ timestamp: 1, fields: [{ key: 'event', value: 'e' }] }],
    });
    const small = makeSpan({ spanId: spanIdOf(3) });
    const result = await s.send([bigLogs, bigTags, small], meta());
    assert.deepEqual(result, { sent: 3, failed: 0 });
    assert.equal(s.stats().truncatedSpans, 2);
    assert.equal(s.stats().tooLargeDroppedSpans, 0);
    await a.waitFor(s.stats().datagramsSent);
    const received = a.decoded('compact').flatMap((m) => m.batch.spans);
    assert.deepEqual(received.map((sp) => hex64(sp.spanId)), [spanIdOf(1), spanIdOf(2), spanIdOf(3)]);
    const truncated = { key: TRUNCATED_TAG_KEY, vType: 2, vBool: true };
    assert.equal(received[0].logs, undefined);
    assert.deepEqual(received[0].tags, [{ key: 'kept', vType: 0, vStr: 'yes' }, truncated]);
    assert.equal(received[1].logs, undefined);
    assert.deepEqual(received[1].tags, [truncated]);
    assert.equal(received[2].tags, undefined, 'a span that fits is untouched');
  });

  it('counts a span cut to fit once, also when it is the one that opens the next datagram', async () => {
    const a = await agent();
    const s = sender({ host: '127.0.0.1', port: a.port, maxPacketSize: 1500 });
    const batch = Array.from({ length: 60 }, (_, i) =>
      makeSpan({ spanId: spanIdOf(i + 1), operationName: `big-${i + 1}`, logs: [{ timestamp: 1, fields: [{ key: 'payload', value: 'x'.repeat(3000) }] }] }),
    );
    const result = await s.send(batch, meta());
    assert.deepEqual(result, { sent: 60, failed: 0 });
    assert.equal(s.stats().truncatedSpans, 60);
    const count = s.stats().datagramsSent;
    assert.ok(count > 3, `${count} datagrams`);
    await a.waitFor(count);
    const received = a.decoded('compact').flatMap((m) => m.batch.spans);
    assert.deepEqual(received.map((sp) => sp.operationName), batch.map((sp) => sp.operationName));
    for (const sp of received) assert.equal(sp.logs, undefined);
  });

  it('encodes a large batch a datagram at a time: its span buffer stays the size of one datagram', async () => {
    const a = await agent();
    const s = sender({ host: '127.0.0.1', port: a.port });
    s.setProcess(testProcess);
    // white-box: the buffer a batch of 500 server spans used to grow to 256 KB
    const spanBuffer = () => (s as unknown as { spanEncoder: { writer: { buf: Buffer } } }).spanEncoder.writer.buf.length;
    const before = spanBuffer();
    assert.ok(before < 65000 + 20 * 1024, `${before} bytes`);
    const batch = Array.from({ length: 2000 }, () => richSpan());
    const result = await s.send(batch, meta());
    assert.deepEqual(result, { sent: 2000, failed: 0 });
    assert.equal(spanBuffer(), before);
    const count = s.stats().datagramsSent;
    await a.waitFor(count);
    assert.ok(count >= 2, `${count} datagrams`);
    const messages = a.decoded('compact');
    assert.equal(messages.reduce((n, m) => n + m.batch.spans.length, 0), 2000);
    for (const d of a.datagrams) assert.ok(d.length <= 65000, `${d.length} bytes`);
    assertRichSpan(messages[messages.length - 1]!.batch.spans[0]!);
  });

  it('drops and counts a span that cannot fit even without tags and logs, and sends the rest', async () => {
    const a = await agent();
    const s = sender({ host: '127.0.0.1', port: a.port, maxPacketSize: 2000 });
    const result = await s.send([makeSpan({ operationName: 'n'.repeat(5000) }), makeSpan({ operationName: 'ok' })], meta());
    assert.equal(result.sent, 1);
    assert.equal(result.failed, 1);
    assert.match(String(result.error?.message), /too large/);
    assert.equal(s.stats().tooLargeDroppedSpans, 1);
    await a.waitFor(1);
    assert.deepEqual(a.decoded('compact')[0].batch.spans.map((sp) => sp.operationName), ['ok']);
    assert.equal(a.decoded('compact')[0].batch.process.serviceName, 'unknown_service', 'before setProcess');
  });

  it('drops (and counts) every span when the process alone does not fit a datagram', async () => {
    const a = await agent();
    const errors: string[] = [];
    const s = sender({ host: '127.0.0.1', port: a.port, maxPacketSize: 256, logger: { info() {}, error: (m) => errors.push(m) } });
    s.setProcess({ serviceName: 'svc', tags: [{ key: 'blob', value: 'b'.repeat(300) }] });
    const result = await s.send(spans(2), meta());
    assert.deepEqual([result.sent, result.failed], [0, 2]);
    assert.equal(s.stats().tooLargeDroppedSpans, 2);
    assert.ok(errors.some((e) => /process tags alone/.test(e)));
    assert.equal(a.datagrams.length, 0);
  });

  it('survives an agent that is not listening: ECONNREFUSED costs only counters, and sending resumes when it is back', async () => {
    const probe = await FakeAgent.start();
    const port = probe.port;
    await probe.close();
    const errors: string[] = [];
    const s = sender({ host: '127.0.0.1', port, logger: { info() {}, error: (m) => errors.push(m) } });
    for (let i = 0; i < 5; i++) {
      // the send itself succeeds; the refusal comes back later as an ICMP error
      assert.deepEqual(await s.send(spans(3), meta(i)), { sent: 3, failed: 0 });
      await sleep(20);
    }
    const failed = s.stats().failedToEmitSpans;
    assert.ok(failed >= 3 && failed <= 15 && failed % 3 === 0, `refused datagrams counted: ${failed} spans`);
    assert.equal(errors.length, 1, `logged once: ${errors.join(' | ')}`);
    assert.match(errors[0], /ECONNREFUSED/);

    const back = await FakeAgent.start('udp4', port);
    cleanups.push(() => back.close());
    const result = await s.send(spans(2), meta(9));
    assert.deepEqual(result, { sent: 2, failed: 0 });
    await back.waitFor(1);
    assert.equal(back.decoded('compact')[0].batch.spans.length, 2);
  });

  it('sends over IPv6 when the host is an IPv6 address', async function () {
    let a: FakeAgent;
    try {
      a = await agent('udp6');
    } catch {
      this.skip();
    }
    const s = sender({ host: '[::1]', port: a!.port, protocol: 'binary' });
    assert.equal(s.socketType, 'udp6');
    assert.deepEqual(await s.send(spans(1), meta()), { sent: 1, failed: 0 });
    await a!.waitFor(1);
    assert.equal(a!.decoded('binary')[0].batch.spans[0].operationName, 'op-1');
  });

  it('close() waits for datagrams under way, is idempotent, and later sends fail without throwing', async () => {
    const a = await agent();
    const s = sender({ host: '127.0.0.1', port: a.port });
    const pending = s.send(spans(3), meta()); // still connecting
    const closed = s.close();
    assert.equal(s.close(), closed, 'same promise');
    await closed;
    assert.deepEqual(await pending, { sent: 3, failed: 0 });
    await a.waitFor(1);
    const after = await s.send(spans(2), meta());
    assert.equal(after.sent, 0);
    assert.equal(after.failed, 2);
    assert.equal(s.stats().failedToEmitSpans, 2);
    assert.deepEqual(await s.send([], meta()), { sent: 0, failed: 0 });
  });

  it('does not keep the process alive (socket unref()ed)', async () => {
    const a = await agent();
    const script = `
      const { UDPSender } = require(${JSON.stringify(path.resolve(__dirname, '../../src/senders/udp-sender.ts'))});
      const s = new UDPSender({ host: '127.0.0.1', port: ${a.port} });
      s.send([${JSON.stringify(makeSpan())}], { seqNo: 1, stats: { fullQueueDroppedSpans: 0, tooLargeDroppedSpans: 0, failedToEmitSpans: 0 } })
        .then((r) => console.log(JSON.stringify(r)));
    `;
    const started = Date.now();
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['-r', 'tsx/cjs', '-e', script], { timeout: 8000 }, (err, out) => (err ? reject(err) : resolve(out)));
    });
    assert.deepEqual(JSON.parse(stdout), { sent: 1, failed: 0 });
    assert.ok(Date.now() - started < 8000);
    await a.waitFor(1);
  });
});
