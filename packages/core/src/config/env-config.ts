import { parsePropagationNames } from '../propagation/propagator';
import { envBool, envInt, envString, envValue, parseTagList, type Env } from './env-parse';
import type { InitTracerOptions, ReporterConfig, TracingConfig } from './tracing-config';

const PROTOCOLS = ['udp-compact', 'udp-binary', 'http', 'otlp', 'file'] as const;

/** Drops `undefined` fields so that spreading env values never erases a value given in code. */
function defined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

function samplerFromEnv(env: Env): Record<string, unknown> | undefined {
  const sampler = defined({
    type: envString(env, 'JAEGER_SAMPLER_TYPE'),
    param: envString(env, 'JAEGER_SAMPLER_PARAM'),
    hostPort: envString(env, 'JAEGER_SAMPLER_MANAGER_HOST_PORT'),
    host: envString(env, 'JAEGER_SAMPLER_HOST'),
    port: envInt(env, 'JAEGER_SAMPLER_PORT'),
    samplingPath: envString(env, 'JAEGER_SAMPLER_SAMPLING_PATH'),
    refreshIntervalMs: envInt(env, 'JAEGER_SAMPLER_REFRESH_INTERVAL'),
  });
  return Object.keys(sampler).length === 0 ? undefined : sampler;
}

function otlpEndpointFromEnv(env: Env): string | undefined {
  const traces = envString(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (traces !== undefined) return traces;
  const base = envString(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  return base === undefined ? undefined : `${base.replace(/\/+$/, '')}/v1/traces`;
}

function protocolFromEnv(env: Env): ReporterConfig['protocol'] {
  const found = envValue(env, 'JAEGER_REPORTER_PROTOCOL');
  if (found === undefined) return undefined;
  const value = found.value.toLowerCase();
  if (!(PROTOCOLS as readonly string[]).includes(value)) {
    throw new Error(`${found.name}=${JSON.stringify(found.value)} is not one of ${PROTOCOLS.join(', ')}`);
  }
  return value as ReporterConfig['protocol'];
}

function socketTypeFromEnv(env: Env): ReporterConfig['agentSocketType'] {
  const found = envValue(env, 'JAEGER_AGENT_SOCKET_TYPE');
  if (found === undefined) return undefined;
  if (found.value !== 'udp4' && found.value !== 'udp6') {
    throw new Error(`${found.name}=${JSON.stringify(found.value)} is not udp4 or udp6`);
  }
  return found.value;
}

function reporterFromEnv(env: Env): ReporterConfig {
  return defined<ReporterConfig>({
    logSpans: envBool(env, 'JAEGER_REPORTER_LOG_SPANS'),
    agentHost: envString(env, 'JAEGER_AGENT_HOST', 'JAEGER_REPORTER_AGENT_HOST'),
    agentPort: envInt(env, 'JAEGER_AGENT_PORT', 'JAEGER_REPORTER_AGENT_PORT'),
    agentSocketType: socketTypeFromEnv(env),
    collectorEndpoint: envString(env, 'JAEGER_ENDPOINT', 'JAEGER_REPORTER_ENDPOINT'),
    username: envString(env, 'JAEGER_USER', 'JAEGER_REPORTER_USER'),
    password: envString(env, 'JAEGER_PASSWORD', 'JAEGER_REPORTER_PASSWORD'),
    authToken: envString(env, 'JAEGER_AUTH_TOKEN'),
    flushIntervalMs: envInt(env, 'JAEGER_REPORTER_FLUSH_INTERVAL'),
    timeoutMs: envInt(env, 'JAEGER_REPORTER_TIMEOUT'),
    maxQueueSize: envInt(env, 'JAEGER_REPORTER_MAX_QUEUE_SIZE'),
    protocol: protocolFromEnv(env),
    otlpEndpoint: otlpEndpointFromEnv(env),
    otlpHeaders: envString(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS'),
    filePath: envString(env, 'JAEGER_REPORTER_FILE_PATH'),
  });
}

/**
 * Merges the `JAEGER_*` (and a few `OTEL_*`) variables jaeger-client reads, with its
 * deprecated aliases, into a config. Values given in code win over the environment.
 * Throws an Error naming the variable for a value that cannot be parsed.
 */
export function configFromEnv(
  config: TracingConfig = {},
  options: InitTracerOptions = {},
  env: Env = process.env,
): { config: TracingConfig; options: InitTracerOptions } {
  const envSampler = samplerFromEnv(env);
  const sampler = config.sampler ?? envSampler;
  const propagationText = envValue(env, 'JAEGER_PROPAGATION');
  const envTags = envValue(env, 'JAEGER_TAGS');
  const merged: TracingConfig = {
    ...config,
    serviceName: config.serviceName ?? envString(env, 'JAEGER_SERVICE_NAME', 'OTEL_SERVICE_NAME'),
    disable: config.disable ?? envBool(env, 'JAEGER_DISABLED', 'JAEGER_DISABLE'),
    sampler: config.sampler === undefined ? envSampler : { ...(envSampler ?? {}), ...sampler },
    reporter: { ...reporterFromEnv(env), ...defined(config.reporter ?? {}) },
  };
  if (merged.sampler === undefined) delete merged.sampler;
  const mergedOptions: InitTracerOptions = {
    ...options,
    tags: { ...(envTags === undefined ? {} : parseTagList(envTags.value, env, envTags.name)), ...options.tags },
    traceId128bit: options.traceId128bit ?? envBool(env, 'JAEGER_TRACEID_128BIT'),
    propagation:
      options.propagation ??
      config.propagation ??
      (propagationText === undefined ? undefined : parsePropagationNames(propagationText.value, propagationText.name)),
  };
  return { config: merged, options: mergedOptions };
}
