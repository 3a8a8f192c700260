import type { Counter, Gauge, Metrics } from './metrics';
import { OnceLogger, silentLogger, type Logger } from '../logger';

/*
 * The user's own prom-client is passed in and typed structurally, so @jt/core has no runtime
 * (or type) dependency on it and works with whichever major the app installed.
 */

type Labels = Record<string, string>;

/** The part of a prom-client Counter we use. */
export interface PromCounterLike {
  inc(labelsOrValue?: Labels | number, value?: number): void;
}

/** The part of a prom-client Gauge we use. */
export interface PromGaugeLike {
  set(labelsOrValue: Labels | number, value?: number): void;
}

/** The part of a prom-client Registry we use. */
export interface PromRegistryLike {
  getSingleMetric(name: string): unknown;
}

interface PromMetricConfig {
  name: string;
  help: string;
  labelNames: string[];
  registers?: PromRegistryLike[];
}

/**
 * A metric class. Its config parameter is `any` on purpose: prom-client's own typings demand
 * its concrete Registry type there, which a structural type cannot name without depending on it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PromMetricClass<T> = new (config: any) => T;

/** The part of the `prom-client` module we use: `createPromMetrics(require('prom-client'))`. */
export interface PromClientLike {
  Counter: PromMetricClass<PromCounterLike>;
  Gauge: PromMetricClass<PromGaugeLike>;
  /** prom-client's global registry, used when no `registry` option is given. */
  register?: PromRegistryLike;
}

export interface PromMetricsOptions {
  /**
   * Prefix for every metric name, joined with `_` as jaeger-client did
   * (`my_service_jaeger:traces`). Characters not allowed in a Prometheus name become `_`,
   * so a service name such as `my-service` can be used as is.
   */
  namespace?: string;
  /** Where the metrics are registered. Default: prom-client's global `register`. */
  registry?: PromRegistryLike;
  /**
   * Separator between `jaeger` and the metric's own name. Default `':'`, which gives
   * jaeger-client's exact names (`jaeger:traces`) so existing dashboards keep working;
   * `'_'` gives `jaeger_traces`, for setups that keep colons for recording rules only.
   */
  nameSeparator?: ':' | '_';
  /** Told once if a metric of the same name but another kind or labels is already registered. */
  logger?: Logger;
}

/**
 * Binds the tracer's {@link Metrics} to prom-client with jaeger-client's metric names and
 * labels: e.g. `jaeger:traces{state="started",sampled="y"}`, `jaeger:reporter_spans{result="ok"}`.
 * Every labelled series starts at 0, so `rate()` works from the first scrape. Creating the
 * metrics twice on one registry reuses the registered ones instead of throwing.
 */
export function createPromMetrics(promClient: PromClientLike, options: PromMetricsOptions = {}): Metrics {
  if (!promClient || typeof promClient.Counter !== 'function' || typeof promClient.Gauge !== 'function') {
    throw new TypeError("createPromMetrics: pass the prom-client module, e.g. createPromMetrics(require('prom-client'))");
  }
  const factory = new PromFactory(promClient, options);
  const counter = (name: string, help: string, labels?: Labels): Counter => factory.counter(name, help, labels);

  const traces = 'Number of traces started by this process (state=started) or joined from a remote parent (state=joined)';
  const startedSpans = 'Number of spans started by this tracer, by sampling decision';
  const reporterSpans = 'Number of spans the reporter sent (ok), failed to send (err) or dropped (dropped)';
  const samplerQueries = 'Number of times the remote sampling strategy was fetched (ok) or failed to be fetched (err)';
  const samplerUpdates = 'Number of times the sampler was updated from a fetched strategy (ok) or failed to be (err)';
  const baggageUpdates = 'Number of baggage items set (ok) or rejected (err)';

  return {
    tracesStartedSampled: counter('traces', traces, { state: 'started', sampled: 'y' }),
    tracesStartedNotSampled: counter('traces', traces, { state: 'started', sampled: 'n' }),
    tracesJoinedSampled: counter('traces', traces, { state: 'joined', sampled: 'y' }),
    tracesJoinedNotSampled: counter('traces', traces, { state: 'joined', sampled: 'n' }),
    spansStartedSampled: counter('started_spans', startedSpans, { sampled: 'y' }),
    spansStartedNotSampled: counter('started_spans', startedSpans, { sampled: 'n' }),
    spansFinished: counter('finished_spans', 'Number of spans finished by this tracer'),
    decodingErrors: counter('span_context_decoding_errors', 'Number of span contexts that could not be decoded from a carrier'),
    reporterSuccess: counter('reporter_spans', reporterSpans, { result: 'ok' }),
    reporterFailure: counter('reporter_spans', reporterSpans, { result: 'err' }),
    reporterDropped: counter('reporter_spans', reporterSpans, { result: 'dropped' }),
    reporterQueueLength: factory.gauge('reporter_queue_length', 'Number of spans waiting in the reporter queue'),
    samplerRetrieved: counter('sampler_queries', samplerQueries, { result: 'ok' }),
    samplerQueryFailure: counter('sampler_queries', samplerQueries, { result: 'err' }),
    samplerUpdated: counter('sampler_updates', samplerUpdates, { result: 'ok' }),
    samplerUpdateFailure: counter('sampler_updates', samplerUpdates, { result: 'err' }),
    baggageUpdateSuccess: counter('baggage_updates', baggageUpdates, { result: 'ok' }),
    baggageUpdateFailure: counter('baggage_updates', baggageUpdates, { result: 'err' }),
    baggageTruncate: counter('baggage_truncations', 'Number of baggage values truncated to the size limit'),
  };
}

const noopCounter: Counter = { increment() {} };
const noopGauge: Gauge = { update() {} };

/** Gets or registers prom-client metrics under jaeger-client's names. */
class PromFactory {
  private readonly prefix: string;
  private readonly registry: PromRegistryLike | undefined;
  private readonly log: OnceLogger;
  /** Metrics this factory already resolved, so label variants share one prom-client metric. */
  private readonly resolved = new Map<string, unknown>();

  constructor(
    private readonly promClient: PromClientLike,
    options: PromMetricsOptions,
  ) {
    const namespace = sanitizeNamespace(options.namespace);
    this.prefix = `${namespace ? `${namespace}_` : ''}jaeger${options.nameSeparator ?? ':'}`;
    this.registry = options.registry;
    this.log = new OnceLogger(options.logger ?? silentLogger);
  }

  counter(shortName: string, help: string, labels?: Labels): Counter {
    const metric = this.getOrCreate(this.promClient.Counter, shortName, help, labels);
    if (!isCounterLike(metric)) return this.mismatch(shortName, 'counter', noopCounter);
    try {
      // Creates the series at 0 (and checks the label names of a reused metric).
      if (labels) metric.inc(labels, 0);
    } catch (err) {
      return this.mismatch(shortName, 'counter', noopCounter, err);
    }
    return {
      increment(delta?: number): void {
        const value = delta ?? 1;
        // prom-client throws on a negative or non-finite increment; metrics must never throw.
        if (!(value > 0) || !Number.isFinite(value)) return;
        try {
          if (labels) metric.inc(labels, value);
          else metric.inc(value);
        } catch {
          // a counter that cannot count must not break tracing
        }
      },
    };
  }

  gauge(shortName: string, help: string): Gauge {
    const metric = this.getOrCreate(this.promClient.Gauge, shortName, help, undefined);
    if (!isGaugeLike(metric)) return this.mismatch(shortName, 'gauge', noopGauge);
    return {
      update(value: number): void {
        if (!Number.isFinite(value)) return;
        try {
          metric.set(value);
        } catch {
          // a gauge that cannot be set must not break tracing
        }
      },
    };
  }

  private getOrCreate(
    Kind: PromMetricClass<unknown>,
    shortName: string,
    help: string,
    labels: Labels | undefined,
  ): unknown {
    const name = this.prefix + shortName;
    let metric = this.resolved.get(name);
    if (metric !== undefined) return metric;
    // A second tracer (or a reloaded module) on the same registry reuses what is there.
    metric = this.lookUp(name);
    if (metric === undefined) {
      try {
        const config: PromMetricConfig = {
          name,
          help,
          labelNames: labels ? Object.keys(labels) : [],
          ...(this.registry ? { registers: [this.registry] } : {}),
        };
        metric = new Kind(config);
      } catch (err) {
        this.log.errorOnce(`create:${name}`, `could not create metric ${name}: ${describe(err)}`);
        metric = null;
      }
    }
    this.resolved.set(name, metric);
    return metric;
  }

  private lookUp(name: string): unknown {
    const registry = this.registry ?? this.promClient.register;
    try {
      return typeof registry?.getSingleMetric === 'function' ? registry.getSingleMetric(name) ?? undefined : undefined;
    } catch {
      return undefined;
    }
  }

  private mismatch<T>(shortName: string, kind: string, fallback: T, err?: unknown): T {
    const name = this.prefix + shortName;
    const why = err === undefined ? '' : `: ${describe(err)}`;
    this.log.errorOnce(
      `mismatch:${name}`,
      `metric ${name} is already registered as something other than the expected ${kind}${why}; not recording it`,
    );
    return fallback;
  }
}

/** Makes a Prometheus-safe name prefix: `my-service` -> `my_service`, `1st` -> `_1st`. */
export function sanitizeNamespace(namespace: string | undefined): string {
  if (!namespace) return '';
  const safe = namespace.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(safe) ? `_${safe}` : safe;
}

/** prom-client metrics carry their kind in `type`; a gauge also has `inc`, so check both. */
function hasKind(metric: unknown, kind: string): boolean {
  const type = (metric as { type?: unknown } | null)?.type;
  return type === undefined || type === kind;
}

function isCounterLike(metric: unknown): metric is PromCounterLike {
  return typeof (metric as PromCounterLike | null)?.inc === 'function' && hasKind(metric, 'counter');
}

function isGaugeLike(metric: unknown): metric is PromGaugeLike {
  return typeof (metric as PromGaugeLike | null)?.set === 'function' && hasKind(metric, 'gauge');
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
