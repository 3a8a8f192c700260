import type { Reporter } from '../reporters/reporter';
import type { SamplerConfig } from '../samplers/sampler-config';
import type { PropagationName } from '../propagation/codec';
import type { TracerOptions } from '../tracer';

/** How spans leave the process. jaeger-client's fields, plus jt's additions. */
export interface ReporterConfig {
  /** Also log every finished span through the logger. Default false. */
  logSpans?: boolean;
  /** Jaeger agent host for UDP. Default `localhost`. */
  agentHost?: string;
  /** Jaeger agent UDP port. Default 6831 (compact), 6832 (binary). */
  agentPort?: number;
  /** `udp4` or `udp6`. Default: from the host (`udp6` for an IPv6 literal). */
  agentSocketType?: 'udp4' | 'udp6';
  /** Collector URL, e.g. `http://localhost:14268/api/traces`. Setting it selects HTTP unless `protocol` says otherwise. */
  collectorEndpoint?: string;
  /** Basic auth for the collector. */
  username?: string;
  password?: string;
  /** Bearer token for the collector (what hosted Jaeger-compatible services ask for). */
  authToken?: string;
  /** How often queued spans are sent. Default 1000 ms. */
  flushIntervalMs?: number;
  /** Timeout of one HTTP/OTLP request; the request is aborted when it passes. Default 5000 ms. */
  timeoutMs?: number;
  /** Most spans held waiting to be sent; beyond it spans are dropped and counted. Default 10000. */
  maxQueueSize?: number;
  /**
   * Transport. Default: `http` when `collectorEndpoint` is set, else `udp-compact`.
   * `file` writes Jaeger-UI "Upload JSON" files to `filePath`.
   */
  protocol?: 'udp-compact' | 'udp-binary' | 'http' | 'otlp' | 'file';
  /** OTLP/HTTP traces URL. Default `http://localhost:4318/v1/traces`. */
  otlpEndpoint?: string;
  /** Extra OTLP headers, as an object or `k=v,k2=v2`. */
  otlpHeaders?: Record<string, string> | string;
  /**
   * Jaeger-UI "Upload JSON" file: the destination of `protocol: 'file'`, or, with any other
   * protocol, a copy of every span sent (handy to look at traces with no Jaeger running).
   */
  filePath?: string;
}

/** `initTracer`'s first argument: jaeger-client's config shape. */
export interface TracingConfig {
  /** Name of this service in Jaeger. Required unless `disable`. */
  serviceName?: string;
  /** Turns tracing off: spans are still created (context propagates) but never sampled or sent. */
  disable?: boolean;
  /** Sampling strategy. Default: remote with initial probability 0.001 (jaeger-client's default). */
  sampler?: SamplerConfig | Record<string, unknown>;
  reporter?: ReporterConfig;
  /** Formats written on inject and read on extract (also an option). */
  propagation?: readonly PropagationName[];
}

/** `initTracer`'s second argument: jaeger-client's options, plus jt's additions. */
export interface InitTracerOptions extends TracerOptions {
  /** A reporter of your own, used instead of the one `config.reporter` describes. */
  reporter?: Reporter;
}
