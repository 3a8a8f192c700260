/**
 * The optional parts of core, each loaded on its first use (lazy.ts says why): the one place
 * that requires them, for the reporter and sampler factories and for index's lazy exports.
 */
import { lazy } from './lazy';

export const loadHTTPSender = lazy(() => (require('./senders/http-sender') as typeof import('./senders/http-sender')).HTTPSender);
export const loadOTLPSender = lazy(() => (require('./senders/otlp-sender') as typeof import('./senders/otlp-sender')).OTLPSender);
export const loadFileSender = lazy(() => (require('./senders/file-sender') as typeof import('./senders/file-sender')).FileSender);
export const loadCreatePromMetrics = lazy(
  () => (require('./metrics/prom-metrics') as typeof import('./metrics/prom-metrics')).createPromMetrics,
);
export const loadProbabilisticSampler = lazy(
  () => (require('./samplers/probabilistic-sampler') as typeof import('./samplers/probabilistic-sampler')).ProbabilisticSampler,
);
export const loadRateLimitingSampler = lazy(
  () => (require('./samplers/rate-limiting-sampler') as typeof import('./samplers/rate-limiting-sampler')).RateLimitingSampler,
);
export const loadGuaranteedThroughputSampler = lazy(
  () =>
    (require('./samplers/guaranteed-throughput-sampler') as typeof import('./samplers/guaranteed-throughput-sampler'))
      .GuaranteedThroughputSampler,
);
export const loadPerOperationSampler = lazy(
  () => (require('./samplers/per-operation-sampler') as typeof import('./samplers/per-operation-sampler')).PerOperationSampler,
);
export const loadRemoteSampler = lazy(() => (require('./samplers/remote-sampler') as typeof import('./samplers/remote-sampler')).RemoteSampler);
