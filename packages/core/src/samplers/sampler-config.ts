import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { loadPerOperationSampler, loadProbabilisticSampler, loadRateLimitingSampler, loadRemoteSampler } from '../optional-modules';
import { ConstSampler } from './const-sampler';
import type { PerOperationStrategy } from './per-operation-sampler';
import type { MonotonicClock } from './rate-limiter';
import type { Sampler } from './sampler';
import { DEFAULT_INITIAL_SAMPLING_RATE, parseHostPort } from './sampling-endpoint';

/** Samples all traces or none. */
export interface ConstSamplerConfig {
  type: 'const';
  /** `true`/`1` samples every trace, `false`/`0` none (`"true"`/`"false"` from env are accepted too). */
  param: boolean | 0 | 1;
}

/** Samples a fixed fraction of traces, decided from the trace id. */
export interface ProbabilisticSamplerConfig {
  type: 'probabilistic';
  /** Probability in [0, 1]; e.g. 0.1 samples one trace in ten. */
  param: number;
}

/** Samples at most a number of traces per second. */
export interface RateLimitingSamplerConfig {
  type: 'ratelimiting';
  /** Traces per second, >= 0. */
  param: number;
}

/** Samples with the strategy served by the Jaeger agent/collector: jaeger-client's default. */
export interface RemoteSamplerConfig {
  type: 'remote';
  /** Probability in [0, 1] used until the first strategy arrives; default 0.001. */
  param?: number;
  /** `'host:port'` of the sampling endpoint; wins over `host`/`port`. */
  hostPort?: string;
  /** Default `'localhost'`. */
  host?: string;
  /** Default 5778. */
  port?: number;
  /** Default `'/sampling'`. */
  samplingPath?: string;
  /** How often the strategy is polled; default 60000. 0 polls once, at start. */
  refreshIntervalMs?: number;
  /** Deadline of one poll; default 5000. */
  requestTimeoutMs?: number;
  /** Operations with their own sampler under a per-operation strategy; default 2000. */
  maxOperations?: number;
}

/** Per-operation sampling configured locally (what a remote per-operation strategy does, without the agent). */
export interface PerOperationSamplerConfig {
  type: 'per-operation';
  /** Default probability in [0, 1] for operations without their own strategy. */
  param: number;
  /** Traces per second each operation gets at least, >= 0; default 0. */
  lowerBound?: number;
  /** Operations with their own probability. */
  perOperationStrategies?: PerOperationStrategy[];
  /** Operations with their own sampler; later ones use `param` alone. Default 2000. */
  maxOperations?: number;
}

/** The `sampler` section of the tracer config (jaeger-client's shape), discriminated on `type`. */
export type SamplerConfig =
  | ConstSamplerConfig
  | ProbabilisticSamplerConfig
  | RateLimitingSamplerConfig
  | RemoteSamplerConfig
  | PerOperationSamplerConfig;

export type SamplerType = SamplerConfig['type'];

const SAMPLER_TYPES: readonly SamplerType[] = ['const', 'probabilistic', 'ratelimiting', 'remote', 'per-operation'];

/** jaeger-client's default when no sampler is configured. */
export const DEFAULT_SAMPLER_CONFIG: RemoteSamplerConfig = { type: 'remote', param: DEFAULT_INITIAL_SAMPLING_RATE };

/** What samplers need from the tracer. */
export interface SamplerDeps {
  /** Asked for by the remote sampler (`?service=`). */
  serviceName: string;
  logger?: Logger;
  metrics?: Metrics;
  /** Monotonic milliseconds for rate limiters (tests inject one). */
  clock?: MonotonicClock;
}

/**
 * Checks a sampler config (typically user or env input) and returns it normalized: numeric
 * strings become numbers, `const` params booleans, `type` defaults to `'remote'`, and a
 * missing config is `DEFAULT_SAMPLER_CONFIG`. Throws an Error that names the bad field.
 */
export function validateSamplerConfig(config: unknown): SamplerConfig {
  if (config === undefined || config === null) return { ...DEFAULT_SAMPLER_CONFIG };
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new Error(`sampler config must be an object like {type, param}, got ${show(config)}`);
  }
  const input = config as Record<string, unknown>;
  const type = input.type === undefined ? 'remote' : String(input.type).trim().toLowerCase();
  const field = new FieldReader(input, type);

  switch (type) {
    case 'const':
      return { type, param: field.boolean('param') };
    case 'probabilistic':
      return { type, param: field.number('param', 'a number in [0, 1]', isProbability) };
    case 'ratelimiting':
      return { type, param: field.number('param', 'a number >= 0', isNonNegative) };
    case 'remote':
      return dropUndefined<RemoteSamplerConfig>({
        type,
        param: field.optionalNumber('param', 'a number in [0, 1]', isProbability),
        hostPort: field.optionalHostPort('hostPort'),
        host: field.optionalString('host'),
        port: field.optionalNumber('port', 'an integer in [1, 65535]', isPort),
        samplingPath: field.optionalString('samplingPath')?.replace(/^(?!\/)/, '/'),
        refreshIntervalMs: field.optionalNumber('refreshIntervalMs', 'a number >= 0', isNonNegative),
        requestTimeoutMs: field.optionalNumber('requestTimeoutMs', 'a number > 0', (n) => n > 0 && Number.isFinite(n)),
        maxOperations: field.optionalNumber('maxOperations', 'an integer >= 0', isCount),
      });
    case 'per-operation':
      return dropUndefined<PerOperationSamplerConfig>({
        type,
        param: field.number('param', 'a number in [0, 1]', isProbability),
        lowerBound: field.optionalNumber('lowerBound', 'a number >= 0', isNonNegative),
        perOperationStrategies: field.optionalStrategies('perOperationStrategies'),
        maxOperations: field.optionalNumber('maxOperations', 'an integer >= 0', isCount),
      });
    default:
      throw new Error(
        `unknown sampler.type ${show(input.type)}; expected one of ${SAMPLER_TYPES.map((t) => `"${t}"`).join(', ')}`,
      );
  }
}

/**
 * Validates `config` (see `validateSamplerConfig`) and builds its sampler. Throws on a bad
 * config. Each sampler but const loads when a config asks for it (lazy.ts says why).
 */
export function createSampler(config: unknown, deps: SamplerDeps): Sampler {
  const valid = validateSamplerConfig(config);
  switch (valid.type) {
    case 'const':
      return new ConstSampler(valid.param === true || valid.param === 1);
    case 'probabilistic':
      return new (loadProbabilisticSampler())(valid.param);
    case 'ratelimiting':
      return new (loadRateLimitingSampler())(valid.param, { clock: deps.clock });
    case 'per-operation':
      return new (loadPerOperationSampler())({
        defaultSamplingProbability: valid.param,
        defaultLowerBoundTracesPerSecond: valid.lowerBound,
        perOperationStrategies: valid.perOperationStrategies,
        maxOperations: valid.maxOperations,
        clock: deps.clock,
      });
    case 'remote':
      return new (loadRemoteSampler())({
        serviceName: deps.serviceName,
        hostPort: valid.hostPort,
        host: valid.host,
        port: valid.port,
        samplingPath: valid.samplingPath,
        refreshIntervalMs: valid.refreshIntervalMs,
        requestTimeoutMs: valid.requestTimeoutMs,
        maxOperations: valid.maxOperations,
        initialSampler: new (loadProbabilisticSampler())(valid.param ?? DEFAULT_INITIAL_SAMPLING_RATE),
        logger: deps.logger,
        metrics: deps.metrics,
        clock: deps.clock,
      });
  }
}

/** Reads fields of one sampler config, with errors that name the field and the type. */
class FieldReader {
  constructor(
    private readonly input: Record<string, unknown>,
    private readonly type: string,
  ) {}

  number(key: string, expected: string, ok: (n: number) => boolean): number {
    const value = this.input[key];
    const n = toNumber(value);
    if (n === undefined || !ok(n)) throw this.error(key, expected, value);
    return n;
  }

  optionalNumber(key: string, expected: string, ok: (n: number) => boolean): number | undefined {
    return this.input[key] === undefined ? undefined : this.number(key, expected, ok);
  }

  boolean(key: string): boolean {
    const value = this.input[key];
    const text = typeof value === 'string' ? value.trim().toLowerCase() : value;
    if (text === true || text === 1 || text === 'true' || text === '1') return true;
    if (text === false || text === 0 || text === 'false' || text === '0') return false;
    throw this.error(key, 'true, false, 1 or 0', value);
  }

  optionalString(key: string): string | undefined {
    const value = this.input[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') throw this.error(key, 'a non-empty string', value);
    return value.trim();
  }

  optionalHostPort(key: string): string | undefined {
    const value = this.optionalString(key);
    if (value === undefined) return undefined;
    try {
      parseHostPort(value);
    } catch {
      throw this.error(key, 'like "host:port"', value);
    }
    return value;
  }

  optionalStrategies(key: string): PerOperationStrategy[] | undefined {
    const value = this.input[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw this.error(key, 'an array', value);
    return value.map((item: unknown, index) => {
      const entry = item as Partial<PerOperationStrategy> | null;
      if (typeof entry?.operation !== 'string') {
        throw this.error(`${key}[${index}].operation`, 'a string', entry?.operation);
      }
      const rateKey = `${key}[${index}].probabilisticSampling.samplingRate`;
      const given = entry.probabilisticSampling?.samplingRate;
      const rate = toNumber(given);
      if (rate === undefined || !isProbability(rate)) throw this.error(rateKey, 'a number in [0, 1]', given);
      return { operation: entry.operation, probabilisticSampling: { samplingRate: rate } };
    });
  }

  private error(key: string, expected: string, got: unknown): Error {
    return new Error(`sampler.${key} must be ${expected} for type "${this.type}", got ${show(got)}`);
  }
}

/** A number, or a numeric string as env variables give; anything else is undefined. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

const isProbability = (n: number): boolean => n >= 0 && n <= 1;
const isNonNegative = (n: number): boolean => n >= 0 && Number.isFinite(n);
const isCount = (n: number): boolean => Number.isInteger(n) && n >= 0;
const isPort = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 65535;

function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value).slice(0, 100);
    } catch {
      return String(value);
    }
  }
  return String(value);
}
