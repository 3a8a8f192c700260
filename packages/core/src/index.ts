import { defineLazyExports } from './lazy';
import * as optional from './optional-modules';
import type * as FileSenderModule from './senders/file-sender';
import type * as HttpSenderModule from './senders/http-sender';
import type * as OtlpSenderModule from './senders/otlp-sender';
import type * as PromMetricsModule from './metrics/prom-metrics';
import type * as ProbabilisticModule from './samplers/probabilistic-sampler';
import type * as RateLimitingModule from './samplers/rate-limiting-sampler';
import type * as GuaranteedThroughputModule from './samplers/guaranteed-throughput-sampler';
import type * as PerOperationModule from './samplers/per-operation-sampler';
import type * as RemoteSamplerModule from './samplers/remote-sampler';

export { Tracer, type TracerOptions, type SpanOptions } from './tracer';
export { Span } from './span';
export { SpanContext, SAMPLED_FLAG, DEBUG_FLAG, FIREHOSE_FLAG, type Baggage } from './span-context';
export type { SpanData, Tag, TagValue, LogRecord, ProcessData, SpanReferenceData, ReferenceType } from './span-data';
export {
  FORMAT_HTTP_HEADERS,
  FORMAT_TEXT_MAP,
  FORMAT_BINARY,
  REFERENCE_CHILD_OF,
  REFERENCE_FOLLOWS_FROM,
  type Format,
} from './formats';
export { Tags } from './tags';
export { activeSpan, withSpan, callWithSpan, applyWithSpan } from './context/async-context';
export { getTracer, setGlobalTracer } from './config/global-tracer';
export { initTracer, initTracerFromEnv } from './config/init-tracer';
export type { TracingConfig, ReporterConfig, InitTracerOptions } from './config/tracing-config';
export { configFromEnv } from './config/env-config';
export { createReporter, resolveReporterTarget, type ReporterTarget } from './config/create-reporter';
export type { Logger } from './logger';
export { createNoopMetrics, type Metrics, type Counter, type Gauge } from './metrics/metrics';
export type { Reporter } from './reporters/reporter';
export { InMemoryReporter } from './reporters/in-memory-reporter';
export { LoggingReporter } from './reporters/logging-reporter';
export { CompositeReporter } from './reporters/composite-reporter';
export { NoopReporter } from './reporters/noop-reporter';
export { RemoteReporter, type RemoteReporterOptions } from './reporters/remote-reporter';
export type { Sender, SendResult, BatchMeta, ClientStats } from './senders/sender';
export { UDPSender, type UDPSenderOptions } from './senders/udp-sender';
export type { HTTPSenderOptions } from './senders/http-sender';
export type { OTLPSenderOptions } from './senders/otlp-sender';
export { parseOtlpHeaders } from './otlp/headers';
export type { FileSenderOptions } from './senders/file-sender';
export type { PromMetricsOptions } from './metrics/prom-metrics';
export type { Sampler, SamplingDecision } from './samplers/sampler';
export { ConstSampler } from './samplers/const-sampler';
export type { RemoteSamplerOptions } from './samplers/remote-sampler';
export { createSampler, validateSamplerConfig, type SamplerConfig } from './samplers/sampler-config';
export type { Codec, PropagationName } from './propagation/codec';
export type { TextMapGetter, TextMapSetter } from './propagation/carrier';
export { CompositePropagator, parsePropagationNames } from './propagation/propagator';
export { JaegerCodec } from './propagation/jaeger-codec';
export { B3MultiCodec } from './propagation/b3-multi-codec';
export { B3SingleCodec } from './propagation/b3-single-codec';
export { W3CTraceContextCodec } from './propagation/w3c-trace-context-codec';
export { W3CBaggageCodec } from './propagation/w3c-baggage-codec';
export * from './instrumentation';
export { traced, type TracedOptions } from './decorators/traced';

// The optional parts load when first read (lazy.ts says why). Each is declared here for its
// type and for Node's export detection, then turned into a getter below.
/** Sends spans to the Jaeger collector over HTTP (thrift binary); see `HTTPSenderOptions`. */
export let HTTPSender: typeof HttpSenderModule.HTTPSender;
export type HTTPSender = HttpSenderModule.HTTPSender;
/** Sends spans as OTLP/HTTP protobuf; see `OTLPSenderOptions`. */
export let OTLPSender: typeof OtlpSenderModule.OTLPSender;
export type OTLPSender = OtlpSenderModule.OTLPSender;
/** Appends spans to a file as Jaeger-UI JSON; see `FileSenderOptions`. */
export let FileSender: typeof FileSenderModule.FileSender;
export type FileSender = FileSenderModule.FileSender;
/** Tracer metrics as prom-client counters and gauges: `createPromMetrics(require('prom-client'))`. */
export let createPromMetrics: typeof PromMetricsModule.createPromMetrics;
/** Samples a fixed fraction of traces, decided from the trace id. */
export let ProbabilisticSampler: typeof ProbabilisticModule.ProbabilisticSampler;
export type ProbabilisticSampler = ProbabilisticModule.ProbabilisticSampler;
/** Samples at most a number of traces per second. */
export let RateLimitingSampler: typeof RateLimitingModule.RateLimitingSampler;
export type RateLimitingSampler = RateLimitingModule.RateLimitingSampler;
/** A probability with a lower bound of traces per second (one operation of a per-operation strategy). */
export let GuaranteedThroughputSampler: typeof GuaranteedThroughputModule.GuaranteedThroughputSampler;
export type GuaranteedThroughputSampler = GuaranteedThroughputModule.GuaranteedThroughputSampler;
/** One guaranteed-throughput sampler per operation, with a default for the rest. */
export let PerOperationSampler: typeof PerOperationModule.PerOperationSampler;
export type PerOperationSampler = PerOperationModule.PerOperationSampler;
/** Samples with the strategy the Jaeger agent/collector serves, polled; jaeger-client's default. */
export let RemoteSampler: typeof RemoteSamplerModule.RemoteSampler;
export type RemoteSampler = RemoteSamplerModule.RemoteSampler;

const load = {
  HTTPSender: optional.loadHTTPSender,
  OTLPSender: optional.loadOTLPSender,
  FileSender: optional.loadFileSender,
  createPromMetrics: optional.loadCreatePromMetrics,
  ProbabilisticSampler: optional.loadProbabilisticSampler,
  RateLimitingSampler: optional.loadRateLimitingSampler,
  GuaranteedThroughputSampler: optional.loadGuaranteedThroughputSampler,
  PerOperationSampler: optional.loadPerOperationSampler,
  RemoteSampler: optional.loadRemoteSampler,
};

if (!defineLazyExports(module, exports, load)) {
  // Compiled by something other than tsc's CommonJS output (a test runner's esbuild, say),
  // where `exports` is not what the module exports: the names are bound now instead.
  HTTPSender = load.HTTPSender();
  OTLPSender = load.OTLPSender();
  FileSender = load.FileSender();
  createPromMetrics = load.createPromMetrics();
  ProbabilisticSampler = load.ProbabilisticSampler();
  RateLimitingSampler = load.RateLimitingSampler();
  GuaranteedThroughputSampler = load.GuaranteedThroughputSampler();
  PerOperationSampler = load.PerOperationSampler();
  RemoteSampler = load.RemoteSampler();
}
