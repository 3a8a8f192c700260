import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { RemoteReporter } from '../../src/reporters/remote-reporter';
import type { BatchMeta, ClientStats, Sender, SendResult } from '../../src/senders/sender';
import type { ProcessData, SpanData } from '../../src/span-data';
import { createNoopMetrics, type Metrics } from '../../src/metrics/metrics';
import type { Logger } from '../../src/logger';
import { UDPSender } from '../../src/senders/udp-sender';
import { activeSpan, withSpan } from '../../src/context/async-context';
import { InMemoryReporter } from '../../src/reporters/in-memory-reporter';
import { Tracer } from '../../src/tracer';
import { decodeEmitBatch, type DecodedMessage } from '../thrift/thrift-decoder';

const REPO_ROOT = path.resolve(__dirname, '../../../..');

function makeSpan(i: number): SpanData {
  const hex = i.toString(16).padStart(16, '0');
  return {
    traceId: hex,
    spanId: hex,
    parentId: null,
    flags: 1,
    operationName: `op-${i}`,
    startTime: 1_700_000_000_000_000 + i,
    duration: 10,
    tags: [],
    logs: [],
    references: [],
  };
}

type SendBehaviour = (spans: readonly SpanData[], meta: BatchMeta) => Promise<SendResult>;

/** A Sender that records what the reporter hands it; how it answers is up to each test. */
class RecordingSender implements Sender {
  readonly sends: { spans: SpanData[]; meta: BatchMeta }[] = [];
  readonly processes: ProcessData[] = [];
  closeCalls = 0;
  inFlight = 0;
  maxInFlight = 0;
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(private behaviour: SendBehaviour = async (spans) => ({ sent: spans.length, failed: 0 })) {}

  get spanNames(): string[] {
    return this.sends.flatMap((s) => s.spans.map((span) => span.operationName));
  }

  setProcess(process: ProcessData): void {
    this.processes.push(process);
  }

  send(spans: readonly SpanData[], meta: BatchMeta): Promise<SendResult> {
    this.sends.push({ spans: [...spans], meta });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.waiters = this.waiters.filter((w) => (this.sends.length >= w.count ? (w.resolve(), false) : true));
    const settle = () => void this.inFlight--;
    const result = this.behaviour(spans, meta);
    // Also observe rejections so the count stays right; the reporter still sees the original promise.
    result.then(settle, settle);
    return result;
  }

  async close(): Promise<void> {
    this.closeCalls++;
  }

  /** Resolves once `count` sends have been made; fails the test after `ms`. */
  waitForSends(count: number, ms = 2000): Promise<void> {
    if (this.sends.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.sends.length} of ${count} sends after ${ms} ms`)), ms);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
}

/** A sender keeping its own drop counters, as the UDP sender does. */
class StatsSender extends RecordingSender {
  own: Partial<ClientStats> = {};
  stats(): Partial<ClientStats> {
    return { ...this.own };
  }
}

interface RecordedMetrics {
  metrics: Metrics;
  counts: Record<'success' | 'failure' | 'dropped', number>;
  queueLengths: number[];
}

function recordingMetrics(): RecordedMetrics {
  const counts = { success: 0, failure: 0, dropped: 0 };
  const queueLengths: number[] = [];
  const counter = (key: keyof typeof counts) => ({ increment: (d = 1) => void (counts[key] += d) });
  const metrics: Metrics = {
    ...createNoopMetrics(),
    reporterSuccess: counter('success'),
    reporterFailure: counter('failure'),
    reporterDropped: counter('dropped'),
    reporterQueueLength: { update: (v: number) => void queueLengths.push(v) },
  };
  return { metrics, counts, queueLengths };
}

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, info() {}, error: (m: string) => void errors.push(m) };
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));
const never = () => new Promise<SendResult>(() => {});

/** Long enough that the interval never fires during a test unless the test wants it to. */
const NO_TIMER = { flushIntervalMs: 600_000 };

describe('RemoteReporter', () => {
  const reporters: RemoteReporter[] = [];
  const make = (sender: Sender, options: ConstructorParameters<typeof RemoteReporter>[1] = {}) => {
    const reporter = new RemoteReporter(sender, { ...NO_TIMER, ...options });
    reporters.push(reporter);
    return reporter;
  };
  afterEach(() => {
    // Stop the intervals; hung senders keep their flush pending, which is fine.
    for (const r of reporters.splice(0)) void r.close();
  });

  it('flush() hands everything queued to the sender in order, in batches of batchSize', async () => {
    const sender = new RecordingSender();
    const reporter = make(sender, { batchSize: 4 });
    for (let i = 0; i < 10; i++) reporter.report(makeSpan(i));
    await reporter.flush();
    assert.deepEqual(
      sender.sends.map((s) => s.spans.length),
      [4, 4, 2],
    );
    assert.deepEqual(sender.spanNames, Array.from({ length: 10 }, (_, i) => `op-${i}`));
    assert.equal(reporter.queueLength, 0);
    assert.equal(reporter.sentCount, 10);
    await reporter.flush(); // nothing queued: resolves at once, sends nothing
    assert.equal(sender.sends.length, 3);
  });

  it('delivers every accepted span once, in order, and drops exactly the overflow (any mix of reports and flushes)', async () => {
    type Op = { report: number } | { flush: true };
    const op = fc.oneof(
      fc.record({ report: fc.integer({ min: 1, max: 12 }) }),
      fc.constant({ flush: true as const }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(op, { maxLength: 25 }),
        async (maxQueueSize, batchSize, ops: Op[]) => {
          const sender = new RecordingSender();
          const reporter = new RemoteReporter(sender, { ...NO_TIMER, maxQueueSize, batchSize });
          const expected: string[] = [];
          let queued = 0;
          let dropped = 0;
          let next = 0;
          for (const step of ops) {
            if ('flush' in step) {
              await reporter.flush();
              queued = 0;
              continue;
            }
            // Reports within one step happen synchronously, so no early send frees room meanwhile.
            for (let i = 0; i < step.report; i++, next++) {
              reporter.report(makeSpan(next));
              if (queued < maxQueueSize) {
                queued++;
                expected.push(`op-${next}`);
              } else dropped++;
            }
            // Let any batch-full send run, as the app's event loop would; the model then
            // only knows an upper bound, so resynchronise with what is left queued.
            await nextTick();
            queued = reporter.queueLength;
          }
          await reporter.close();
          assert.deepEqual(sender.spanNames, expected);
          assert.equal(reporter.droppedCount, dropped);
          assert.ok(sender.sends.every((s) => s.spans.length >= 1 && s.spans.length <= batchSize));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('sends on the interval when fewer than a batch are queued', async () => {
    const sender = new RecordingSender();
    const reporter = make(sender, { flushIntervalMs: 30, batchSize: 100 });
    reporter.report(makeSpan(1));
    reporter.report(makeSpan(2));
    await nextTick();
    assert.equal(sender.sends.length, 0, 'a part batch waits for the interval');
    await sender.waitForSends(1, 1000);
    assert.deepEqual(sender.spanNames, ['op-1', 'op-2']);
  });

  it('sends a full batch soon, but never synchronously inside report()', async () => {
    const sender = new RecordingSender();
    const reporter = make(sender, { batchSize: 3 });
    reporter.report(makeSpan(0));
    reporter.report(makeSpan(1));
    reporter.report(makeSpan(2));
    reporter.report(makeSpan(3));
    assert.equal(sender.sends.length, 0, 'report() must not call the sender');
    await sender.waitForSends(1, 500);
    assert.deepEqual(sender.spanNames, ['op-0', 'op-1', 'op-2']);
    await nextTick();
    assert.equal(sender.sends.length, 1, 'the part batch left over waits for the interval');
    assert.equal(reporter.queueLength, 1);
  });

  it('sends outside the span whose report filled the batch (or whose handler flushed): the send and what it starts carry no span', async () => {
    const seen: unknown[] = [];
    const sender = new RecordingSender(async (spans) => {
      seen.push(activeSpan());
      // what a transport starts (a socket, its callbacks) inherits the send's context
      await new Promise((resolve) => setTimeout(resolve, 1));
      seen.push(activeSpan());
      return { sent: spans.length, failed: 0 };
    });
    const seenBySettle: unknown[] = [];
    const metrics: Metrics = { ...createNoopMetrics(), reporterSuccess: { increment: () => void seenBySettle.push(activeSpan()) } };
    const reporter = make(sender, { batchSize: 2, metrics });
    const tracer = new Tracer('ctx-test', { reporter: new InMemoryReporter() });
    const span = tracer.startSpan('handler');
    withSpan(span, () => {
      reporter.report(makeSpan(0));
      reporter.report(makeSpan(1));
    });
    await sender.waitForSends(1, 500);
    await withSpan(span, () => {
      reporter.report(makeSpan(2));
      return reporter.flush();
    });
    assert.equal(sender.sends.length, 2);
    assert.deepEqual(seen, [undefined, undefined, undefined, undefined]);
    assert.deepEqual(seenBySettle, [undefined, undefined], 'the send settles outside the span too');
    assert.equal(withSpan(span, () => activeSpan()), span, 'the caller keeps its span');
  });

  it('bounds the queue: drops beyond maxQueueSize, counts them, logs once, and reports them in ClientStats', async () => {
    const sender = new RecordingSender();
    const { metrics, counts } = recordingMetrics();
    const logger = recordingLogger();
    const reporter = make(sender, { maxQueueSize: 5, batchSize: 100, metrics, logger });
    for (let i = 0; i < 8; i++) reporter.report(makeSpan(i));
    assert.equal(reporter.queueLength, 5);
    assert.equal(reporter.droppedCount, 3);
    assert.equal(counts.dropped, 3);
    assert.equal(logger.errors.length, 1);
    assert.match(logger.errors[0], /queue is full/);

    await reporter.flush();
    assert.deepEqual(sender.spanNames, ['op-0', 'op-1', 'op-2', 'op-3', 'op-4']);
    assert.equal(sender.sends[0].meta.stats.fullQueueDroppedSpans, 3);

    // Room again after the flush; further drops are counted but not logged again.
    for (let i = 0; i < 7; i++) reporter.report(makeSpan(100 + i));
    assert.equal(reporter.droppedCount, 5);
    assert.equal(logger.errors.length, 1);
    assert.equal(counts.success, 5);
  });

  it('numbers batches 1, 2, 3… and merges its own drops with the sender stats', async () => {
    const sender = new StatsSender();
    const reporter = make(sender, { maxQueueSize: 2, batchSize: 1 });
    sender.own = { tooLargeDroppedSpans: 4, failedToEmitSpans: 1 };
    for (let i = 0; i < 3; i++) reporter.report(makeSpan(i)); // one dropped
    await reporter.flush();
    sender.own = { tooLargeDroppedSpans: 6, failedToEmitSpans: 2 };
    reporter.report(makeSpan(9));
    await reporter.flush();

    assert.deepEqual(
      sender.sends.map((s) => s.meta.seqNo),
      [1, 2, 3],
    );
    assert.deepEqual(sender.sends[0].meta.stats, { fullQueueDroppedSpans: 1, tooLargeDroppedSpans: 4, failedToEmitSpans: 1 });
    assert.deepEqual(sender.sends[2].meta.stats, { fullQueueDroppedSpans: 1, tooLargeDroppedSpans: 6, failedToEmitSpans: 2 });
    assert.deepEqual(reporter.clientStats(), { fullQueueDroppedSpans: 1, tooLargeDroppedSpans: 6, failedToEmitSpans: 2 });
  });

  it('turns send results into reporter metrics and tracks the queue length', async () => {
    // The sender loses the last span of each batch, as a UDP sender does with one too large.
    const sender = new RecordingSender(async (spans) => ({ sent: spans.length - 1, failed: 1, error: new Error('too big') }));
    const { metrics, counts, queueLengths } = recordingMetrics();
    const logger = recordingLogger();
    const reporter = make(sender, { batchSize: 2, metrics, logger });
    for (let i = 0; i < 5; i++) reporter.report(makeSpan(i));
    await reporter.flush();
    assert.deepEqual(counts, { success: 2, failure: 3, dropped: 0 });
    assert.equal(reporter.sentCount, 2);
    assert.equal(reporter.failedCount, 3);
    assert.ok(queueLengths.includes(3) && queueLengths.includes(1), `queue lengths seen: ${queueLengths}`);
    assert.equal(queueLengths.at(-1), 0);
    assert.equal(logger.errors.length, 1, 'the send error is logged once');
    assert.match(logger.errors[0], /too big/);
  });

  it('keeps at most one send in flight', async () => {
    let release: (() => void)[] = [];
    const sender = new RecordingSender(
      (spans) => new Promise((resolve) => release.push(() => resolve({ sent: spans.length, failed: 0 }))),
    );
    const reporter = make(sender, { batchSize: 2 });
    for (let i = 0; i < 6; i++) reporter.report(makeSpan(i));
    const flushed = reporter.flush();
    for (let round = 0; round < 3; round++) {
      await sender.waitForSends(round + 1);
      await nextTick();
      assert.equal(sender.sends.length, round + 1, 'the next batch waits for the one in flight');
      const pending = release;
      release = [];
      pending.forEach((r) => r());
    }
    await flushed;
    assert.equal(sender.maxInFlight, 1);
    assert.equal(sender.spanNames.length, 6);
  });

  it('a sender that never answers neither blocks report() nor lets the queue grow past its bound', async () => {
    const sender = new RecordingSender(never);
    const { metrics, counts, queueLengths } = recordingMetrics();
    const reporter = make(sender, { maxQueueSize: 50, batchSize: 10, metrics, flushIntervalMs: 20 });
    for (let i = 0; i < 10; i++) reporter.report(makeSpan(i));
    await sender.waitForSends(1);

    const started = process.hrtime.bigint();
    for (let i = 0; i < 100_000; i++) reporter.report(makeSpan(i));
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    await nextTick();

    assert.equal(sender.sends.length, 1, 'no second send while the first hangs');
    assert.equal(reporter.queueLength, 50);
    assert.equal(reporter.droppedCount, 100_000 - 50);
    assert.equal(counts.dropped, 100_000 - 50);
    assert.ok(elapsedMs < 1000, `100k reports took ${elapsedMs} ms`);

    // The interval keeps the queue-length gauge current while the send is stuck.
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(queueLengths.at(-1), 50);
    assert.equal(sender.sends.length, 1);
  });

  for (const [name, behaviour] of [
    ['rejects', () => Promise.reject(new Error('socket exploded'))],
    ['throws synchronously', () => { throw new Error('socket exploded'); }],
  ] as [string, SendBehaviour][]) {
    it(`contains a sender that ${name}: counts the batch as failed and keeps going`, async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        let calls = 0;
        const sender = new StatsSender((spans, meta) =>
          ++calls === 1 ? behaviour(spans, meta) : Promise.resolve({ sent: spans.length, failed: 0 }),
        );
        const { metrics, counts } = recordingMetrics();
        const logger = recordingLogger();
        const reporter = make(sender, { batchSize: 3, metrics, logger });
        for (let i = 0; i < 3; i++) reporter.report(makeSpan(i));
        await reporter.flush();
        reporter.report(makeSpan(3));
        await reporter.flush();
        await nextTick();

        assert.equal(reporter.failedCount, 3);
        assert.equal(counts.failure, 3);
        assert.equal(counts.success, 1);
        assert.equal(sender.sends[1].meta.stats.failedToEmitSpans, 3, 'lost spans reach ClientStats');
        assert.equal(logger.errors.length, 1);
        assert.match(logger.errors[0], /socket exploded/);
        assert.deepEqual(unhandled, []);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });
  }

  it('contains user metrics that throw: reporting, sending and flushing carry on', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const boom = () => {
        throw new Error('metrics backend down');
      };
      const metrics: Metrics = {
        ...createNoopMetrics(),
        reporterSuccess: { increment: boom },
        reporterDropped: { increment: boom },
        reporterQueueLength: { update: boom },
      };
      const sender = new RecordingSender();
      const logger = recordingLogger();
      const reporter = make(sender, { maxQueueSize: 2, batchSize: 2, metrics, logger });
      for (let i = 0; i < 3; i++) reporter.report(makeSpan(i)); // third is dropped
      await reporter.flush();
      reporter.report(makeSpan(3));
      await reporter.flush();
      await nextTick();
      assert.deepEqual(sender.spanNames, ['op-0', 'op-1', 'op-3']);
      assert.equal(reporter.droppedCount, 1);
      const metricErrors = logger.errors.filter((m) => m.includes('metrics backend down'));
      assert.equal(metricErrors.length, 1, logger.errors.join('\n'));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('close() flushes, closes the sender once, returns the same promise, and drops later spans quietly', async () => {
    const sender = new RecordingSender();
    const { metrics, counts } = recordingMetrics();
    const logger = recordingLogger();
    const reporter = make(sender, { metrics, logger });
    reporter.report(makeSpan(1));
    reporter.report(makeSpan(2));
    const first = reporter.close();
    const second = reporter.close();
    assert.equal(first, second);
    reporter.report(makeSpan(3)); // while closing
    await first;
    reporter.report(makeSpan(4)); // after closing
    await reporter.close();
    await reporter.flush();
    await nextTick();

    assert.deepEqual(sender.spanNames, ['op-1', 'op-2']);
    assert.equal(sender.closeCalls, 1);
    assert.equal(reporter.droppedCount, 2);
    assert.equal(counts.dropped, 2);
    assert.deepEqual(logger.errors, []);
  });

  it('close() resolves even when the sender fails to close', async () => {
    const sender = new RecordingSender();
    sender.close = () => Promise.reject(new Error('already gone'));
    const logger = recordingLogger();
    const reporter = make(sender, { logger });
    await reporter.close();
    assert.match(logger.errors[0], /already gone/);
  });

  it('setProcess() forwards to the sender and contains a sender that throws', () => {
    const sender = new RecordingSender();
    const reporter = make(sender);
    const process: ProcessData = { serviceName: 'svc', tags: [{ key: 'hostname', value: 'h' }] };
    reporter.setProcess(process);
    assert.deepEqual(sender.processes, [process]);

    sender.setProcess = () => {
      throw new Error('bad process');
    };
    const logger = recordingLogger();
    make(sender, { logger }).setProcess(process);
    assert.match(logger.errors[0], /bad process/);
  });

  it('rejects invalid sizes and intervals at construction', () => {
    const sender = new RecordingSender();
    assert.throws(() => new RemoteReporter(sender, { maxQueueSize: 0 }), RangeError);
    assert.throws(() => new RemoteReporter(sender, { batchSize: -1 }), RangeError);
    assert.throws(() => new RemoteReporter(sender, { flushIntervalMs: Number.NaN }), RangeError);
    assert.throws(() => new RemoteReporter(sender, { maxQueueSize: 1.5 }), RangeError);
  });

  it('does not keep the process alive: a script that reports a span exits on its own', async function () {
    this.timeout(15_000);
    const script = `
      const { RemoteReporter } = require('./packages/core/src/reporters/remote-reporter.ts');
      const sender = {
        setProcess() {},
        send: async (spans) => ({ sent: spans.length, failed: 0 }),
        close: async () => {},
      };
      const reporter = new RemoteReporter(sender);
      reporter.report({ traceId: '1'.padStart(16, '0'), spanId: '1'.padStart(16, '0'), parentId: null, flags: 1,
        operationName: 'x', startTime: 1, duration: 1, tags: [], logs: [], references: [] });
      console.log('queued ' + reporter.queueLength);
    `;
    const started = Date.now();
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('exit', (c, s) => resolve([c, s])),
    );
    clearTimeout(killer);
    assert.equal(signal, null, `child was killed: still running after 5 s; stderr: ${stderr}`);
    assert.equal(code, 0, stderr);
    assert.equal(stdout.trim(), 'queued 1');
    assert.ok(Date.now() - started < 5000);
  });
});

describe('RemoteReporter through the UDP sender to a real socket', () => {
  let agent: dgram.Socket;
  let port: number;
  const datagrams: Buffer[] = [];
  let onDatagram: () => void = () => {};

  before(async () => {
    agent = dgram.createSocket('udp4');
    agent.on('message', (msg) => {
      datagrams.push(msg);
      onDatagram();
    });
    await new Promise<void>((resolve) => agent.bind(0, '127.0.0.1', resolve));
    port = (agent.address() as AddressInfo).port;
  });
  after(() => agent.close());

  function waitForDatagrams(count: number, ms = 2000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${datagrams.length} of ${count} datagrams after ${ms} ms`)), ms);
      const check = () => {
        if (datagrams.length < count) return;
        clearTimeout(timer);
        onDatagram = () => {};
        resolve();
      };
      onDatagram = check;
      check();
    });
  }

  it('delivers each batch as an emitBatch datagram with the process, seqNo and the queue drops', async () => {
    const sender = new UDPSender({ host: '127.0.0.1', port });
    const reporter = new RemoteReporter(sender, { ...NO_TIMER, maxQueueSize: 8, batchSize: 5 });
    reporter.setProcess({ serviceName: 'e2e-service', tags: [{ key: 'hostname', value: 'box' }] });
    for (let i = 0; i < 10; i++) reporter.report(makeSpan(i)); // 8 fit, 2 dropped
    await reporter.flush();
    await waitForDatagrams(2);
    await new Promise((resolve) => setTimeout(resolve, 50)); // no stray third datagram
    await reporter.close();

    assert.equal(datagrams.length, 2);
    const messages: DecodedMessage[] = datagrams.map((d) => decodeEmitBatch('compact', d));
    assert.deepEqual(
      messages.map((m) => m.name),
      ['emitBatch', 'emitBatch'],
    );
    assert.deepEqual(
      messages.map((m) => m.batch.spans.map((s) => s.operationName)),
      [
        ['op-0', 'op-1', 'op-2', 'op-3', 'op-4'],
        ['op-5', 'op-6', 'op-7'],
      ],
    );
    assert.deepEqual(
      messages.map((m) => m.batch.seqNo),
      [1n, 2n],
    );
    for (const m of messages) {
      assert.equal(m.batch.process.serviceName, 'e2e-service');
      assert.deepEqual(m.batch.stats, { fullQueueDroppedSpans: 2n, tooLargeDroppedSpans: 0n, failedToEmitSpans: 0n });
    }
    assert.equal(reporter.sentCount, 8);
    assert.equal(reporter.droppedCount, 2);
  });

  it("carries the UDP sender's too-large drops in the next batch's ClientStats", async () => {
    datagrams.length = 0;
    const sender = new UDPSender({ host: '127.0.0.1', port, maxPacketSize: 512 });
    const reporter = new RemoteReporter(sender, NO_TIMER);
    reporter.setProcess({ serviceName: 'e2e-service', tags: [] });
    // An operation name alone larger than a datagram cannot be trimmed to fit.
    reporter.report({ ...makeSpan(1), operationName: 'x'.repeat(2000) });
    reporter.report(makeSpan(2));
    await reporter.flush();
    reporter.report(makeSpan(3));
    await reporter.flush();
    await waitForDatagrams(2);
    await reporter.close();

    const batches = datagrams.map((d) => decodeEmitBatch('compact', d).batch);
    assert.deepEqual(
      batches.map((b) => b.spans.map((s) => s.operationName)),
      [['op-2'], ['op-3']],
    );
    assert.equal(batches[0].stats?.tooLargeDroppedSpans, 0n);
    assert.equal(batches[1].stats?.tooLargeDroppedSpans, 1n);
    assert.equal(reporter.failedCount, 1);
    assert.equal(reporter.sentCount, 2);
  });
});
