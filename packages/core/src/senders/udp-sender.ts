/**
 * Sends spans to a Jaeger agent as `Agent.emitBatch` ONEWAY thrift messages over UDP:
 * compact protocol on 6831 (the default), binary on 6832. Each datagram holds as many spans
 * as fit `maxPacketSize`, with the process, a seqNo and the ClientStats; a span too large
 * for a datagram on its own is cut (logs, then tags) and tagged `jt.truncated`, and only
 * dropped (counted as too large) when even that does not fit.
 */
import * as dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { OnceLogger, silentLogger, type Logger } from '../logger';
import type { ProcessData, SpanData } from '../span-data';
import {
  emitBatchOverhead,
  encodeProcess,
  writeEmitBatchBegin,
  writeEmitBatchEnd,
} from '../thrift/jaeger-batch';
import { createThriftWriter, JaegerThriftEncoder } from '../thrift/jaeger-encoder';
import { encodeSpanList } from '../thrift/span-list';
import type { ThriftProtocol } from '../thrift/thrift-types';
import { InFlight } from './in-flight';
import type { BatchMeta, ClientStats, SendResult, Sender } from './sender';

export const DEFAULT_UDP_HOST = 'localhost';
export const DEFAULT_COMPACT_PORT = 6831;
export const DEFAULT_BINARY_PORT = 6832;
/** The Jaeger agent's default UDP read buffer. */
export const DEFAULT_MAX_PACKET_SIZE = 65000;
/** The largest UDP payload over IPv4. */
const MAX_UDP_PAYLOAD = 65507;
const MIN_PACKET_SIZE = 256;
/** How many sent datagrams, and for how long, an ECONNREFUSED may still be charged to. */
const RECENT_DATAGRAMS = 64;
const RECENT_DATAGRAM_MS = 5000;
/** Room past a full datagram for the span that overflows it; a larger one grows the buffer once. */
const SPAN_HEADROOM = 16 * 1024;
/** Reported until `setProcess` is called. */
const UNKNOWN_PROCESS: ProcessData = { serviceName: 'unknown_service', tags: [] };

export interface UDPSenderOptions {
  /** Agent host name or IP. Default `localhost`. */
  host?: string;
  /** Agent port. Default 6831 for the compact protocol, 6832 for binary. */
  port?: number;
  /** Thrift protocol the agent port speaks. Default `compact`. */
  protocol?: ThriftProtocol;
  /** Largest datagram, in bytes (256..65507). Default 65000, the agent's read buffer. */
  maxPacketSize?: number;
  /** Default `udp6` when `host` is an IPv6 address, else `udp4`. */
  socketType?: 'udp4' | 'udp6';
  /** Where failures are logged, once per kind. Default: silent. */
  logger?: Logger;
}

/** Counts since the sender was made. The first two are Jaeger's `ClientStats` fields. */
export interface UDPSenderStats extends Partial<ClientStats> {
  tooLargeDroppedSpans: number;
  failedToEmitSpans: number;
  /** Spans sent with logs or tags cut to fit a datagram. */
  truncatedSpans: number;
  datagramsSent: number;
}

/**
 * The Jaeger agent transport. `send` encodes synchronously into reused buffers, then sends
 * one datagram per packed group of spans; the socket is connected lazily on first use and
 * `unref()`ed. Drops are counted in {@link UDPSender.stats} (merged into `ClientStats` by the
 * reporter) and logged once per kind; nothing throws.
 */
export class UDPSender implements Sender {
  readonly host: string;
  readonly port: number;
  readonly protocol: ThriftProtocol;
  readonly maxPacketSize: number;
  readonly socketType: 'udp4' | 'udp6';
  private readonly log: OnceLogger;
  /** One datagram's spans are encoded here at a time, so their sizes are known before packing. */
  private readonly spanEncoder: JaegerThriftEncoder;
  /** Each datagram's header (with the process bytes) and trailer are written here. */
  private readonly packetEncoder: JaegerThriftEncoder;
  private processBytes!: Buffer;
  /** Most bytes a datagram adds around its spans. */
  private overhead = 0;
  private socket: dgram.Socket | undefined;
  private connecting: Promise<boolean> | undefined;
  private lastConnectError: Error | undefined;
  private lastSendError: Error | undefined;
  /** Datagrams just sent, oldest first, so a later ECONNREFUSED can be charged to one. */
  private readonly recentDatagrams: { spans: number; sentAt: number }[] = [];
  private closing: Promise<void> | undefined;
  private readonly inFlight = new InFlight();
  private lastSeqNo = -1;
  private messageSeqId = 0;
  private readonly counts: UDPSenderStats = {
    tooLargeDroppedSpans: 0,
    failedToEmitSpans: 0,
    truncatedSpans: 0,
    datagramsSent: 0,
  };

  /** Throws (at init, never later) on an invalid port, packet size or protocol. */
  constructor(options: UDPSenderOptions = {}) {
    this.protocol = options.protocol ?? 'compact';
    if (this.protocol !== 'compact' && this.protocol !== 'binary') {
      throw new TypeError(`UDP sender protocol must be 'compact' or 'binary', got ${JSON.stringify(this.protocol)}`);
    }
    // "[::1]" (URL style) is accepted for an IPv6 address
    this.host = (options.host || DEFAULT_UDP_HOST).replace(/^\[(.*)\]$/, '$1');
    this.port = options.port ?? (this.protocol === 'binary' ? DEFAULT_BINARY_PORT : DEFAULT_COMPACT_PORT);
    if (!Number.isInteger(this.port) || this.port <= 0 || this.port > 65535) {
      throw new RangeError(`UDP sender port must be 1..65535, got ${options.port}`);
    }
    this.maxPacketSize = options.maxPacketSize ?? DEFAULT_MAX_PACKET_SIZE;
    if (!Number.isInteger(this.maxPacketSize) || this.maxPacketSize < MIN_PACKET_SIZE || this.maxPacketSize > MAX_UDP_PAYLOAD) {
      throw new RangeError(`maxPacketSize must be ${MIN_PACKET_SIZE}..${MAX_UDP_PAYLOAD}, got ${options.maxPacketSize}`);
    }
    this.socketType = options.socketType ?? (isIPv6(this.host) ? 'udp6' : 'udp4');
    this.log = new OnceLogger(options.logger ?? silentLogger);
    // a datagram's spans plus the one that overflows it (rolled back) fit without growing
    this.spanEncoder = new JaegerThriftEncoder(this.protocol, createThriftWriter(this.protocol, this.maxPacketSize + SPAN_HEADROOM));
    // the batch header (with the process) and trailer only
    this.packetEncoder = new JaegerThriftEncoder(this.protocol, createThriftWriter(this.protocol, 1024));
    this.setProcess(UNKNOWN_PROCESS);
  }

  /** Cumulative drop counters, for the reporter to merge into `ClientStats`. */
  stats(): UDPSenderStats {
    return { ...this.counts };
  }

  setProcess(process: ProcessData): void {
    try {
      this.processBytes = encodeProcess(this.protocol, process);
      this.overhead = emitBatchOverhead(this.protocol, this.processBytes);
      if (this.overhead >= this.maxPacketSize) {
        this.log.errorOnce('udp-process-size', `UDP sender: the process tags alone (${this.overhead} bytes) exceed maxPacketSize ${this.maxPacketSize}; every span will be dropped`);
      }
    } catch (err) {
      this.log.errorOnce('udp-process', `UDP sender: could not encode the process: ${describe(err)}`);
    }
  }

  /** Never rejects: lost spans come back in the result and in {@link stats}. */
  send(spans: readonly SpanData[], meta: BatchMeta): Promise<SendResult> {
    if (spans.length === 0) return Promise.resolve({ sent: 0, failed: 0 });
    if (this.closing !== undefined) return Promise.resolve(this.fail(spans.length, new Error('UDP sender is closed')));
    const task =
      this.socket !== undefined
        ? this.sendNow(spans, meta)
        : this.connect().then((ok) =>
            ok && this.socket !== undefined
              ? this.sendNow(spans, meta)
              : this.fail(spans.length, this.lastConnectError ?? new Error('UDP sender is closed')),
          );
    return this.inFlight.track(task);
  }

  /** Waits for datagrams under way, then closes the socket. Idempotent; never rejects. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.inFlight.settled();
      const socket = this.socket;
      this.socket = undefined;
      if (socket !== undefined) {
        try {
          socket.close();
        } catch {
          // already closed
        }
      }
    })();
    return this.closing;
  }

  /**
   * A connected socket: the agent's address is resolved once, and an agent that is not
   * listening shows up as ECONNREFUSED error events (counted), not as silence.
   * A failed connect is retried by the next send.
   */
  private connect(): Promise<boolean> {
    this.connecting ??= new Promise<boolean>((resolve) => {
      let socket: dgram.Socket;
      try {
        socket = dgram.createSocket(this.socketType);
        socket.unref();
      } catch (err) {
        this.onConnectFailed(err);
        resolve(false);
        return;
      }
      const onError = (err: Error): void => {
        try {
          socket.close();
        } catch {
          // never opened
        }
        this.onConnectFailed(err);
        resolve(false);
      };
      socket.once('error', onError);
      try {
        socket.connect(this.port, this.host, () => {
          socket.removeListener('error', onError);
          socket.on('error', (err) => this.onSocketError(err));
          // a socket closed under us (not by close()) is replaced on the next send
          socket.once('close', () => this.forgetSocket(socket));
          // even when close() came meanwhile: it waits for the sends that were waiting on this
          this.socket = socket;
          resolve(true);
        });
      } catch (err) {
        onError(err instanceof Error ? err : new Error(String(err)));
      }
    });
    return this.connecting;
  }

  /**
   * A connected UDP socket learns of a datagram refused by the host (ICMP port unreachable:
   * no agent listening) as an ECONNREFUSED error event, one per lost datagram, after its send
   * succeeded. The oldest recent datagram's spans are counted as failed.
   */
  private onSocketError(err: Error): void {
    if (errorCode(err) === 'ECONNREFUSED') {
      const now = Date.now();
      while (this.recentDatagrams.length > 0) {
        const oldest = this.recentDatagrams.shift()!;
        if (now - oldest.sentAt <= RECENT_DATAGRAM_MS) {
          this.counts.failedToEmitSpans += oldest.spans;
          break;
        }
      }
    }
    this.log.errorOnce(
      `udp-socket-${errorCode(err)}`,
      `UDP sender: datagrams to the agent at ${this.host}:${this.port} are not arriving: ${err.message}`,
    );
  }

  private forgetSocket(socket: dgram.Socket): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.connecting = undefined;
  }

  private onConnectFailed(err: unknown): void {
    this.connecting = undefined;
    this.lastConnectError = err instanceof Error ? err : new Error(String(err));
    this.log.errorOnce(
      `udp-connect-${errorCode(err)}`,
      `UDP sender could not reach the agent at ${this.host}:${this.port}: ${describe(err)}`,
    );
  }

  private sendNow(spans: readonly SpanData[], meta: BatchMeta): Promise<SendResult> {
    try {
      return this.packAndSend(this.socket!, spans, meta);
    } catch (err) {
      // a bug of ours must cost spans, not the app
      this.log.errorOnce('udp-internal', `UDP sender failed: ${describe(err)}`);
      return Promise.resolve(this.fail(spans.length, err instanceof Error ? err : new Error(String(err))));
    }
  }

  /**
   * Encodes one datagram's worth of spans at a time and sends it: the span buffer stays
   * the size of a datagram, not of the batch (a batch of 500 server spans took 256 KB).
   */
  private packAndSend(socket: dgram.Socket, spans: readonly SpanData[], meta: BatchMeta): Promise<SendResult> {
    const capacity = this.maxPacketSize - this.overhead;
    const spanWriter = this.spanEncoder.writer;
    const pending: Promise<number>[] = [];
    let truncated = 0;
    let tooLarge = 0;
    let encodeFailed = 0;
    let encodeError: Error | undefined;
    for (let from = 0; from < spans.length; ) {
      spanWriter.reset();
      const list = encodeSpanList(this.spanEncoder, spans, capacity, from, capacity);
      // counted as each list is made: an emit that throws later must not lose them
      truncated += list.truncated;
      tooLarge += list.tooLarge;
      encodeFailed += list.failed;
      encodeError ??= list.error;
      this.counts.truncatedSpans += list.truncated;
      this.counts.tooLargeDroppedSpans += list.tooLarge;
      this.counts.failedToEmitSpans += list.failed;
      const count = list.ends.length;
      if (count > 0) pending.push(this.emit(socket, spanWriter.buf, list.ends[count - 1]!, count, meta));
      from = list.next;
    }
    if (truncated > 0) {
      this.log.errorOnce('udp-truncated', `UDP sender: a span larger than a datagram (${this.maxPacketSize} bytes) was sent without its logs/tags`);
    }
    let failed = encodeFailed + tooLarge;
    let error = encodeError;
    if (tooLarge > 0) {
      error ??= new Error('span too large for a UDP datagram');
      this.log.errorOnce('udp-too-large', `UDP sender: dropped a span that does not fit a ${this.maxPacketSize}-byte datagram even without tags and logs`);
    }
    if (encodeFailed > 0) this.log.errorOnce('udp-encode', `UDP sender: could not encode a span: ${describe(encodeError)}`);

    if (pending.length === 0) return Promise.resolve({ sent: 0, failed, error });
    return Promise.all(pending).then((lost) => {
      let lostSpans = 0;
      for (const n of lost) lostSpans += n;
      failed += lostSpans;
      if (lostSpans > 0) error ??= this.lastSendError;
      const result: SendResult = { sent: spans.length - failed, failed };
      if (error !== undefined) result.error = error;
      return result;
    });
  }

  /**
   * Sends one datagram of `count` spans (bytes `[0, spansEnd)` of `spanBytes`, copied before
   * it returns); resolves to the spans lost. The batch header and trailer are written apart
   * and the three parts copied into the datagram, so no datagram-sized buffer is kept.
   */
  private emit(socket: dgram.Socket, spanBytes: Buffer, spansEnd: number, count: number, meta: BatchMeta): Promise<number> {
    const encoder = this.packetEncoder;
    const w = encoder.writer;
    w.reset();
    // one seqNo per datagram, so a split batch does not look like a replay to the agent
    this.lastSeqNo = Math.max(meta?.seqNo ?? 0, this.lastSeqNo + 1);
    this.messageSeqId = (this.messageSeqId + 1) | 0;
    writeEmitBatchBegin(encoder, this.messageSeqId, this.processBytes, count);
    const headerEnd = w.pos;
    writeEmitBatchEnd(encoder, { seqNo: this.lastSeqNo, stats: meta?.stats });
    const datagram = Buffer.allocUnsafe(w.pos + spansEnd);
    w.buf.copy(datagram, 0, 0, headerEnd);
    spanBytes.copy(datagram, headerEnd, 0, spansEnd);
    w.buf.copy(datagram, headerEnd + spansEnd, headerEnd, w.pos);
    return new Promise<number>((resolve) => {
      const done = (err: Error | null): void => {
        if (err) {
          this.counts.failedToEmitSpans += count;
          this.lastSendError = err;
          if ((err as NodeJS.ErrnoException).code === 'ERR_SOCKET_DGRAM_NOT_RUNNING') this.forgetSocket(socket);
          this.log.errorOnce(
            `udp-send-${errorCode(err)}`,
            `UDP sender could not send to the agent at ${this.host}:${this.port}: ${err.message}`,
          );
          resolve(count);
        } else {
          this.counts.datagramsSent++;
          const recent = this.recentDatagrams;
          if (recent.length >= RECENT_DATAGRAMS) recent.shift();
          recent.push({ spans: count, sentAt: Date.now() });
          resolve(0);
        }
      };
      try {
        socket.send(datagram, done);
      } catch (err) {
        done(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  private fail(count: number, error: Error): SendResult {
    this.counts.failedToEmitSpans += count;
    return { sent: 0, failed: count, error };
  }
}

function errorCode(err: unknown): string {
  return String((err as NodeJS.ErrnoException | undefined)?.code ?? 'error');
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
