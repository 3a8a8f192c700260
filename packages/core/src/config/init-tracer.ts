import { silentLogger } from '../logger';
import { createNoopMetrics } from '../metrics/metrics';
import { NoopReporter } from '../reporters/noop-reporter';
import { ConstSampler } from '../samplers/const-sampler';
import { createSampler } from '../samplers/sampler-config';
import { Tracer } from '../tracer';
import { createReporter } from './create-reporter';
import { configFromEnv } from './env-config';
import { setGlobalTracer } from './global-tracer';
import type { InitTracerOptions, TracingConfig } from './tracing-config';

/**
 * Builds a tracer from jaeger-client's config shape and makes it the global one
 * (`getTracer()`). An invalid config (no service name, unknown sampler type, bad param)
 * throws a clear Error here, at init — never a tracer that silently samples nothing.
 */
export function initTracer(config: TracingConfig, options: InitTracerOptions = {}): Tracer {
  if (config === null || typeof config !== 'object') throw new Error('initTracer: config must be an object');
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? createNoopMetrics();
  const tracerOptions = { ...options, logger, metrics, propagation: options.propagation ?? config.propagation };
  const serviceName = config.serviceName;
  if (config.disable === true) {
    const tracer = new Tracer(serviceName || 'disabled', new NoopReporter(), new ConstSampler(false), tracerOptions);
    setGlobalTracer(tracer);
    return tracer;
  }
  if (typeof serviceName !== 'string' || serviceName.trim() === '') {
    throw new Error('initTracer: config.serviceName is required (or set JAEGER_SERVICE_NAME / OTEL_SERVICE_NAME)');
  }
  const sampler = createSampler(config.sampler, { serviceName, logger, metrics });
  let reporter;
  try {
    reporter = options.reporter ?? createReporter(config.reporter ?? {}, { logger: options.logger, metrics });
  } catch (err) {
    sampler.close();
    throw err;
  }
  const tracer = new Tracer(serviceName, reporter, sampler, tracerOptions);
  setGlobalTracer(tracer);
  return tracer;
}

/**
 * `initTracer` with every `JAEGER_*` variable jaeger-client reads (and its deprecated
 * aliases, `JAEGER_PROPAGATION`, `JAEGER_AUTH_TOKEN`, `JAEGER_REPORTER_MAX_QUEUE_SIZE`,
 * `JAEGER_TRACEID_128BIT`, `OTEL_SERVICE_NAME`, `OTEL_EXPORTER_OTLP_*`). Config given in code
 * wins over the environment.
 */
export function initTracerFromEnv(config: TracingConfig = {}, options: InitTracerOptions = {}): Tracer {
  const merged = configFromEnv(config, options);
  return initTracer(merged.config, merged.options);
}

