import type { Reporter } from './reporter';
import type { BatchMeta, ClientStats, Sender, SendResult } from '../senders/sender';
import type { ProcessData, SpanData } from '../span-data';
import { OnceLogger, silentLogger, type Logger } from '../logger';
import { createNoopMetrics, type Counter, type Metrics } from '../metrics/metrics';
import { activeSpan, spanStorage } from '../context/async-context';
import { SpanRing } from './span-ring';

/** Options of {@link RemoteReporter}; every field is optional. */
export interface RemoteReporterOptions {
  /**
   * Most spans held while waiting to be sent. Spans reported beyond it are dropped and
   * counted (`ClientStats.fullQueueDroppedSpans`, `reporterDropped`). Default 10000.
   */
  maxQueueSize?: number;
  /** How often everything queued is sent, in milliseconds. Default 1000. */
  flushIntervalMs?: number;
  /**
   * Spans handed to the sender per `send` call; a full batch is sent without waiting for the
   * interval. Default 500: the UDP sender packs them into as few 65,000-byte datagrams as
   * fit (about 160 spans of ~400 bytes each), fewer syscalls per span; an HTTP body stays
   * around 200 KB.
   */
  batchSize?: number;
  /** Where a full queue or a failing sender is reported, once per kind. Default: silent. */
  logger?: Logger;
  /** Counts sent, failed and dropped spans and the queue length. Default: no-op. */
  metrics?: Metrics;
}

/** A sender that also keeps its own drop counters (the UDP sender does); they go into `ClientStats`. */
export interface SenderWithStats extends Sender {
  stats(): Partial<ClientStats>;
}

const DEFAULT_MAX_QUEUE_SIZE = 10000;
const DEFAULT_FLUSH_INTERVAL_MS = 1000;
const DEFAULT_BATCH_SIZE = 500;
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Queues finished spans and hands them to a {@link Sender} in the background: every
 * `flushIntervalMs`, or sooner when `batchSize` spans are waiting. At most one `send` is in
 * flight, so a slow or hung transport holds at most one batch while the queue stays bounded.
 */
export class RemoteReporter implements Reporter {
  private readonly sender: Sender;
  private readonly metrics: Metrics;
  private readonly log: OnceLogger;
  private readonly batchSize: number;
  private readonly queue: SpanRing;
  private readonly timer: NodeJS.Timeout;

  /** Spans accepted into the queue since start; flush targets are positions in this stream. */
  private accepted = 0;
  /** Spans whose send has finished (sent or failed), in queue order. */
  private completed = 0;
  /** Send until `completed` reaches this (raised by flushes and interval ticks). */
  private drainTarget = 0;
  private sending = false;
  private pumpScheduled = false;
  private seqNo = 0;
  private fullQueueDropped = 0;
  /** Spans lost because the sender broke its contract (threw/rejected), so it did not count them. */
  private senderThrewFailed = 0;
  private droppedTotal = 0;
  private sentTotal = 0;
  private failedTotal = 0;
  private readonly flushWaiters: { target: number; resolve: () => void }[] = [];
  private closing: Promise<void> | undefined;

  constructor(sender: Sender, options: RemoteReporterOptions = {}) {
    this.sender = sender;
    this.metrics = options.metrics ?? createNoopMetrics();
    this.log = new OnceLogger(options.logger ?? silentLogger);
    this.batchSize = positiveInteger('batchSize', options.batchSize ?? DEFAULT_BATCH_SIZE);
    this.queue = new SpanRing(positiveInteger('maxQueueSize', options.maxQueueSize ?? DEFAULT_MAX_QUEUE_SIZE));
    const intervalMs = positiveInteger('flushIntervalMs', options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS);
    // setInterval turns anything above 2^31-1 ms into 1 ms.
    this.timer = setInterval(this.onInterval, Math.min(intervalMs, MAX_TIMER_MS));
    // Tracing must never keep the app alive; auto mode flushes on exit instead.
    this.timer.unref();
  }

  /** Spans waiting in the queue (not counting a batch in flight). */
  get queueLength(): number {
    return this.queue.length;
  }

  /** Spans dropped: queue full, or reported after `close()`. */
  get droppedCount(): number {
    return this.droppedTotal;
  }

  /** Spans the sender reported as sent. */
  get sentCount(): number {
    return this.sentTotal;
  }

  /** Spans the sender reported as failed, plus batches lost to a throwing sender. */
  get failedCount(): number {
    return this.failedTotal;
  }

  /** The cumulative stats the next batch will carry: the reporter's drops merged with the sender's. */
  clientStats(): ClientStats {
    const fromSender = this.senderStats();
    return {
      fullQueueDroppedSpans: this.fullQueueDropped + nonNegative(fromSender?.fullQueueDroppedSpans),
      tooLargeDroppedSpans: nonNegative(fromSender?.tooLargeDroppedSpans),
      failedToEmitSpans: this.senderThrewFailed + nonNegative(fromSender?.failedToEmitSpans),
    };
  }

  setProcess(process: ProcessData): void {
    try {
      this.sender.setProcess(process);
    } catch (err) {
      this.log.errorOnce('set-process', `sender rejected the process description: ${describe(err)}`);
    }
  }

  report(span: SpanData): void {
    if (this.closing !== undefined) {
      // The app is shutting down; a late span is counted, not an error worth a log line.
      this.droppedTotal++;
      this.count(this.metrics.reporterDropped, 1);
      return;
    }
    if (!this.queue.push(span)) {
      this.fullQueueDropped++;
      this.droppedTotal++;
      this.count(this.metrics.reporterDropped, 1);
      this.log.errorOnce(
        'queue-full',
        `span queue is full (${this.queue.capacity} spans); dropping spans until the sender catches up`,
      );
      return;
    }
    this.accepted++;
    if (this.queue.length >= this.batchSize && !this.sending && !this.pumpScheduled) {
      // Never send inside report(): the caller is finishing a span on the app's hot path.
      this.pumpScheduled = true;
      setImmediate(this.scheduledPump);
    }
  }

  flush(): Promise<void> {
    const target = this.accepted;
    if (this.completed >= target) return Promise.resolve();
    return new Promise<void>((resolve) => {
      // Targets only grow, so the list stays sorted and settles from the front.
      this.flushWaiters.push({ target, resolve });
      this.requestDrain(target);
    });
  }

  close(): Promise<void> {
    if (this.closing === undefined) this.closing = this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    try {
      await this.sender.close();
    } catch (err) {
      this.log.errorOnce('sender-close', `sender failed to close: ${describe(err)}`);
    }
  }

  private readonly onInterval = (): void => {
    // Refreshed here too so the gauge shows a queue backing up behind a stuck send.
    this.updateQueueGauge();
    this.requestDrain(this.accepted);
  };

  private requestDrain(target: number): void {
    if (target > this.drainTarget) this.drainTarget = target;
    this.pump();
  }

  private readonly scheduledPump = (): void => {
    this.pumpScheduled = false;
    this.pump();
  };

  /** Starts the next send if none is in flight and there is something due. */
  private pump(): void {
    if (this.sending || this.queue.length === 0) return;
    const dueByTarget = this.drainTarget > this.completed;
    if (!dueByTarget && this.queue.length < this.batchSize) return;
    this.sending = true;
    const batch = this.queue.take(this.batchSize);
    this.updateQueueGauge();
    const meta: BatchMeta = { seqNo: ++this.seqNo, stats: this.clientStats() };
    // The pump runs in whatever context asked for it (the span whose report filled the
    // batch, a flush() inside a handler): the send and everything it starts (the socket,
    // its callbacks, onSent and the next sends) must not carry that span, nor keep it alive.
    if (activeSpan() === undefined) this.sendBatch(batch, meta);
    else spanStorage.exit(this.sendBatch, batch, meta);
  }

  private readonly sendBatch = (batch: SpanData[], meta: BatchMeta): void => {
    void this.sendSafely(batch, meta).then((result) => this.onSent(batch.length, result));
  };

  private async sendSafely(batch: SpanData[], meta: BatchMeta): Promise<SendResult> {
    try {
      return await this.sender.send(batch, meta);
    } catch (err) {
      // The Sender contract says send never rejects; contain one that does and count its spans.
      this.senderThrewFailed += batch.length;
      this.log.errorOnce('sender-threw', `sender threw while sending spans: ${describe(err)}`);
      return { sent: 0, failed: batch.length };
    }
  }

  private onSent(batchLength: number, result: SendResult | undefined): void {
    const sent = nonNegative(result?.sent);
    const failed = nonNegative(result?.failed);
    this.sentTotal += sent;
    this.failedTotal += failed;
    this.count(this.metrics.reporterSuccess, sent);
    this.count(this.metrics.reporterFailure, failed);
    if (result?.error) this.log.errorOnce('send-failed', `failed to send spans: ${describe(result.error)}`);
    this.completed += batchLength;
    this.sending = false;
    this.updateQueueGauge();
    this.settleFlushes();
    this.pump();
  }

  /** User-supplied metrics run inside report() and the send loop, so they must not be able to throw. */
  private count(counter: Counter, n: number): void {
    if (n <= 0) return;
    try {
      counter.increment(n);
    } catch (err) {
      this.log.errorOnce('metrics', `metrics counter threw: ${describe(err)}`);
    }
  }

  private updateQueueGauge(): void {
    try {
      this.metrics.reporterQueueLength.update(this.queue.length);
    } catch (err) {
      this.log.errorOnce('metrics', `metrics gauge threw: ${describe(err)}`);
    }
  }

  private settleFlushes(): void {
    let settled = 0;
    while (settled < this.flushWaiters.length && this.flushWaiters[settled].target <= this.completed) {
      this.flushWaiters[settled].resolve();
      settled++;
    }
    if (settled > 0) this.flushWaiters.splice(0, settled);
  }

  private senderStats(): Partial<ClientStats> | undefined {
    const candidate = this.sender as Partial<SenderWithStats>;
    if (typeof candidate.stats !== 'function') return undefined;
    try {
      return candidate.stats() ?? undefined;
    } catch (err) {
      this.log.errorOnce('sender-stats', `sender failed to report its stats: ${describe(err)}`);
      return undefined;
    }
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`RemoteReporter: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** A non-negative finite count from untrusted input (a sender's result or stats). */
function nonNegative(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
