import { OnceLogger, silentLogger, type Logger } from '../logger';
import { createNoopMetrics, type Metrics } from '../metrics/metrics';
import { PerOperationSampler } from './per-operation-sampler';
import { ProbabilisticSampler } from './probabilistic-sampler';
import type { MonotonicClock } from './rate-limiter';
import { RateLimitingSampler } from './rate-limiting-sampler';
import type { Sampler, SamplingDecision } from './sampler';
import { httpGet, type PendingGet } from './sampling-http';
import {
  DEFAULT_INITIAL_SAMPLING_RATE,
  DEFAULT_REFRESH_INTERVAL_MS,
  DEFAULT_SAMPLING_HOST,
  DEFAULT_SAMPLING_PATH,
  DEFAULT_SAMPLING_PORT,
  DEFAULT_SAMPLING_REQUEST_TIMEOUT_MS,
  parseHostPort,
} from './sampling-endpoint';
import { parseSamplingStrategy, type SamplingStrategy } from './sampling-strategy';

// the endpoint's defaults and parser live apart (sampler configs are validated without this module)
export * from './sampling-endpoint';

const MAX_STRATEGY_BYTES = 1024 * 1024;

export interface RemoteSamplerOptions {
  /** The service whose strategy is asked for (`?service=`). */
  serviceName: string;
  /** `'host:port'` (or `'http://host:port'`) of the agent's sampling endpoint; wins over host/port. */
  hostPort?: string;
  /** Default `'localhost'`. */
  host?: string;
  /** Default 5778. */
  port?: number;
  /** Default `'/sampling'`. */
  samplingPath?: string;
  /** Poll period; default 60000. 0 polls once, at start. */
  refreshIntervalMs?: number;
  /** Deadline of one poll, connect to last byte; default 5000. */
  requestTimeoutMs?: number;
  /** Used until the first good answer; default probabilistic 0.001. Owned (and closed) by this sampler. */
  initialSampler?: Sampler;
  /** Passed to the per-operation sampler; default 2000. */
  maxOperations?: number;
  /** Default: logs nothing. Each kind of failure is logged once. */
  logger?: Logger;
  /** Counts samplerRetrieved/Updated/QueryFailure/UpdateFailure; default no-op. */
  metrics?: Metrics;
  /** Monotonic milliseconds for the rate limiters (tests inject one). */
  clock?: MonotonicClock;
}

/**
 * Samples with the strategy the Jaeger agent (or collector) serves for this service,
 * polled at start and then every `refreshIntervalMs`. Any failure keeps the last good
 * sampler; nothing is thrown into the app, and the timer and sockets never hold the
 * process open.
 */
export class RemoteSampler implements Sampler {
  /** The sampler now in use. */
  private current: Sampler;
  private readonly host: string;
  private readonly port: number;
  private readonly path: string;
  private readonly requestTimeoutMs: number;
  private readonly maxOperations: number | undefined;
  private readonly clock: MonotonicClock | undefined;
  private readonly metrics: Metrics;
  private readonly log: OnceLogger;
  private readonly timer: NodeJS.Timeout | undefined;
  private inFlight: PendingGet | undefined;
  private closed = false;
  private readonly firstPoll: Promise<void>;
  private firstPollDone = false;

  /** Throws only for an unusable `hostPort`; everything after construction is failure-safe. */
  constructor(options: RemoteSamplerOptions) {
    const address = options.hostPort !== undefined ? parseHostPort(options.hostPort) : undefined;
    this.host = address?.host ?? options.host ?? DEFAULT_SAMPLING_HOST;
    this.port = address?.port ?? options.port ?? DEFAULT_SAMPLING_PORT;
    this.path = `${options.samplingPath ?? DEFAULT_SAMPLING_PATH}?service=${encodeURIComponent(options.serviceName)}`;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_SAMPLING_REQUEST_TIMEOUT_MS;
    this.maxOperations = options.maxOperations;
    this.clock = options.clock;
    this.metrics = options.metrics ?? createNoopMetrics();
    this.log = new OnceLogger(options.logger ?? silentLogger);
    this.current = options.initialSampler ?? new ProbabilisticSampler(DEFAULT_INITIAL_SAMPLING_RATE);

    this.firstPoll = this.poll().then(() => {
      this.firstPollDone = true;
    });
    const refreshIntervalMs = options.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
    if (refreshIntervalMs > 0) {
      this.timer = setInterval(() => void this.poll(), refreshIntervalMs);
      this.timer.unref();
    }
  }

  /** The URL polled, for logs and diagnostics. */
  get url(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}${this.path}`;
  }

  /** The sampler deciding now (the initial one until a good answer arrives). */
  get sampler(): Sampler {
    return this.current;
  }

  /**
   * Resolves once the first poll has finished, with or without success (never rejects).
   * While someone waits on it, the poll's socket holds the process open (at most the timeout).
   */
  ready(): Promise<void> {
    if (!this.firstPollDone) this.inFlight?.keepProcessAlive();
    return this.firstPoll;
  }

  sample(operationName: string, traceId: string): SamplingDecision {
    return this.current.sample(operationName, traceId);
  }

  /**
   * Asks for the strategy now; resolves when that poll has been applied or has failed
   * (never rejects). A poll already in flight is joined rather than doubled.
   */
  poll(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.inFlight) return this.inFlight.body.then(noop, noop);
    const pending = httpGet({
      host: this.host,
      port: this.port,
      path: this.path,
      timeoutMs: this.requestTimeoutMs,
      maxBodyBytes: MAX_STRATEGY_BYTES,
    });
    this.inFlight = pending;
    return pending.body.then(
      (body) => {
        this.inFlight = undefined;
        if (!this.closed) this.applyResponse(body);
      },
      (error: unknown) => {
        this.inFlight = undefined;
        if (this.closed) return;
        this.metrics.samplerQueryFailure.increment(1);
        this.log.errorOnce('sampler-query', `cannot fetch the sampling strategy from ${this.url}: ${describe(error)}`);
      },
    );
  }

  /** Stops polling and aborts a poll in flight; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.inFlight?.abort();
    this.current.close();
  }

  private applyResponse(body: string): void {
    this.metrics.samplerRetrieved.increment(1);
    try {
      if (this.applyStrategy(parseSamplingStrategy(JSON.parse(body)))) {
        this.metrics.samplerUpdated.increment(1);
      }
    } catch (error) {
      this.metrics.samplerUpdateFailure.increment(1);
      this.log.errorOnce('sampler-update', `bad sampling strategy from ${this.url}: ${describe(error)}`);
    }
  }

  /** Updates the sampler in place when the kind is unchanged, else swaps it; returns whether it changed. */
  private applyStrategy(strategy: SamplingStrategy): boolean {
    const current = this.current;
    switch (strategy.kind) {
      case 'probabilistic':
        if (current instanceof ProbabilisticSampler) return current.update(strategy.samplingRate);
        return this.swap(new ProbabilisticSampler(strategy.samplingRate));
      case 'ratelimiting':
        if (current instanceof RateLimitingSampler) return current.update(strategy.maxTracesPerSecond);
        return this.swap(new RateLimitingSampler(strategy.maxTracesPerSecond, { clock: this.clock }));
      case 'per-operation':
        if (current instanceof PerOperationSampler) return current.update(strategy.strategies);
        return this.swap(
          new PerOperationSampler({ ...strategy.strategies, maxOperations: this.maxOperations, clock: this.clock }),
        );
    }
  }

  private swap(next: Sampler): true {
    const previous = this.current;
    this.current = next;
    previous.close();
    return true;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function noop(): void {}
