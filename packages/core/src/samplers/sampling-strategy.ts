import type { OperationSamplingStrategies, PerOperationStrategy } from './per-operation-sampler';
import { assertSamplingRate } from './probabilistic-sampler';
import { assertTracesPerSecond } from './rate-limiting-sampler';

/** A validated answer of the agent's sampling endpoint. */
export type SamplingStrategy =
  | { readonly kind: 'probabilistic'; readonly samplingRate: number }
  | { readonly kind: 'ratelimiting'; readonly maxTracesPerSecond: number }
  | { readonly kind: 'per-operation'; readonly strategies: Required<OperationSamplingStrategies> };

/**
 * Reads the JSON of `GET /sampling?service=X`. Both encodings are accepted: thrift JSON
 * (`strategyType: 0|1`) and proto JSON (`'PROBABILISTIC'|'RATE_LIMITING'`, zero values
 * omitted, so a missing number inside a present object is 0). Like jaeger-client, a response
 * with `operationSampling` means per-operation sampling whatever `strategyType` says.
 * Throws an Error saying what is wrong.
 */
export function parseSamplingStrategy(body: unknown): SamplingStrategy {
  if (!isObject(body)) throw new Error(`sampling strategy must be a JSON object, got ${describe(body)}`);

  if (body.operationSampling !== undefined && body.operationSampling !== null) {
    return { kind: 'per-operation', strategies: parseOperationSampling(body.operationSampling) };
  }

  const type = strategyType(body);
  if (type === 'probabilistic') {
    const samplingRate = numberField(body.probabilisticSampling, 'samplingRate', 'probabilisticSampling');
    assertSamplingRate(samplingRate, 'probabilisticSampling.samplingRate');
    return { kind: 'probabilistic', samplingRate };
  }
  const maxTracesPerSecond = numberField(body.rateLimitingSampling, 'maxTracesPerSecond', 'rateLimitingSampling');
  assertTracesPerSecond(maxTracesPerSecond, 'rateLimitingSampling.maxTracesPerSecond');
  return { kind: 'ratelimiting', maxTracesPerSecond };
}

function strategyType(body: Record<string, unknown>): 'probabilistic' | 'ratelimiting' {
  const type = body.strategyType;
  if (type === 'PROBABILISTIC' || type === 0) return 'probabilistic';
  if (type === 'RATE_LIMITING' || type === 1) return 'ratelimiting';
  if (type === undefined) {
    // proto JSON omits the enum's zero value (PROBABILISTIC); infer from the payload
    if (body.rateLimitingSampling !== undefined && body.probabilisticSampling === undefined) return 'ratelimiting';
    if (body.probabilisticSampling !== undefined) return 'probabilistic';
  }
  throw new Error(`unknown sampling strategyType ${describe(type)}`);
}

function parseOperationSampling(value: unknown): Required<OperationSamplingStrategies> {
  if (!isObject(value)) throw new Error(`operationSampling must be an object, got ${describe(value)}`);
  const defaultSamplingProbability = numberField(value, 'defaultSamplingProbability', 'operationSampling');
  assertSamplingRate(defaultSamplingProbability, 'operationSampling.defaultSamplingProbability');
  const defaultLowerBoundTracesPerSecond = numberField(value, 'defaultLowerBoundTracesPerSecond', 'operationSampling');
  assertTracesPerSecond(defaultLowerBoundTracesPerSecond, 'operationSampling.defaultLowerBoundTracesPerSecond');

  const list = value.perOperationStrategies ?? [];
  if (!Array.isArray(list)) throw new Error('operationSampling.perOperationStrategies must be an array');
  const perOperationStrategies: PerOperationStrategy[] = list.map((item: unknown, index) => {
    const where = `operationSampling.perOperationStrategies[${index}]`;
    if (!isObject(item) || typeof item.operation !== 'string') {
      throw new Error(`${where}.operation must be a string`);
    }
    const samplingRate = numberField(item.probabilisticSampling, 'samplingRate', `${where}.probabilisticSampling`);
    assertSamplingRate(samplingRate, `${where}.probabilisticSampling.samplingRate`);
    return { operation: item.operation, probabilisticSampling: { samplingRate } };
  });
  return { defaultSamplingProbability, defaultLowerBoundTracesPerSecond, perOperationStrategies };
}

/** `container[key]` as a number; a missing key in a present object is proto JSON's omitted 0. */
function numberField(container: unknown, key: string, where: string): number {
  if (!isObject(container)) throw new Error(`${where} must be an object, got ${describe(container)}`);
  const value = container[key] ?? 0;
  if (typeof value !== 'number') throw new Error(`${where}.${key} must be a number, got ${describe(value)}`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value)?.slice(0, 100) ?? String(value);
  } catch {
    return String(value);
  }
}
