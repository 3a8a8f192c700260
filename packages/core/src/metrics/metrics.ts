/** A monotonically increasing count. */
export interface Counter {
  increment(delta?: number): void;
}

/** A value that goes up and down (e.g. queue length). */
export interface Gauge {
  update(value: number): void;
}

/**
 * Where the tracer counts what it does. Names follow jaeger-client's metrics so existing
 * dashboards keep working; see `createPromMetrics` for the prom-client binding.
 */
export interface Metrics {
  tracesStartedSampled: Counter;
  tracesStartedNotSampled: Counter;
  tracesJoinedSampled: Counter;
  tracesJoinedNotSampled: Counter;
  spansStartedSampled: Counter;
  spansStartedNotSampled: Counter;
  spansFinished: Counter;
  decodingErrors: Counter;
  reporterSuccess: Counter;
  reporterFailure: Counter;
  reporterDropped: Counter;
  reporterQueueLength: Gauge;
  samplerRetrieved: Counter;
  samplerUpdated: Counter;
  samplerQueryFailure: Counter;
  samplerUpdateFailure: Counter;
  baggageUpdateSuccess: Counter;
  baggageUpdateFailure: Counter;
  baggageTruncate: Counter;
}

const noopCounter: Counter = { increment() {} };
const noopGauge: Gauge = { update() {} };

/** Metrics that record nothing: the default. */
export function createNoopMetrics(): Metrics {
  return {
    tracesStartedSampled: noopCounter,
    tracesStartedNotSampled: noopCounter,
    tracesJoinedSampled: noopCounter,
    tracesJoinedNotSampled: noopCounter,
    spansStartedSampled: noopCounter,
    spansStartedNotSampled: noopCounter,
    spansFinished: noopCounter,
    decodingErrors: noopCounter,
    reporterSuccess: noopCounter,
    reporterFailure: noopCounter,
    reporterDropped: noopCounter,
    reporterQueueLength: noopGauge,
    samplerRetrieved: noopCounter,
    samplerUpdated: noopCounter,
    samplerQueryFailure: noopCounter,
    samplerUpdateFailure: noopCounter,
    baggageUpdateSuccess: noopCounter,
    baggageUpdateFailure: noopCounter,
    baggageTruncate: noopCounter,
  };
}
