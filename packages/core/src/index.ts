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
export { HTTPSender, type HTTPSenderOptions } from './senders/http-sender';
export { OTLPSender, type OTLPSenderOptions, parseOtlpHeaders } from './senders/otlp-sender';
export { FileSender, type FileSenderOptions } from './senders/file-sender';
export { createPromMetrics, type PromMetricsOptions } from './metrics/prom-metrics';
export type { Sampler, SamplingDecision } from './samplers/sampler';
export { ConstSampler } from './samplers/const-sampler';
export { ProbabilisticSampler } from './samplers/probabilistic-sampler';
export { RateLimitingSampler } from './samplers/rate-limiting-sampler';
export { GuaranteedThroughputSampler } from './samplers/guaranteed-throughput-sampler';
export { PerOperationSampler } from './samplers/per-operation-sampler';
export { RemoteSampler, type RemoteSamplerOptions } from './samplers/remote-sampler';
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
