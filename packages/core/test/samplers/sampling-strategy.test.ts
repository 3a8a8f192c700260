import assert from 'node:assert/strict';
import { parseSamplingStrategy } from '../../src/samplers/sampling-strategy';

describe('parseSamplingStrategy', () => {
  it('reads probabilistic strategies in proto (string) and thrift (numeric) JSON', () => {
    const expected = { kind: 'probabilistic', samplingRate: 0.2 };
    assert.deepEqual(
      parseSamplingStrategy({ strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 0.2 } }),
      expected,
    );
    assert.deepEqual(parseSamplingStrategy({ strategyType: 0, probabilisticSampling: { samplingRate: 0.2 } }), expected);
    // proto JSON omits the enum's zero value and zero numbers
    assert.deepEqual(parseSamplingStrategy({ probabilisticSampling: { samplingRate: 0.2 } }), expected);
    assert.deepEqual(parseSamplingStrategy({ probabilisticSampling: {} }), { kind: 'probabilistic', samplingRate: 0 });
  });

  it('reads rate limiting strategies', () => {
    const expected = { kind: 'ratelimiting', maxTracesPerSecond: 7 };
    assert.deepEqual(
      parseSamplingStrategy({ strategyType: 'RATE_LIMITING', rateLimitingSampling: { maxTracesPerSecond: 7 } }),
      expected,
    );
    assert.deepEqual(parseSamplingStrategy({ strategyType: 1, rateLimitingSampling: { maxTracesPerSecond: 7 } }), expected);
    assert.deepEqual(parseSamplingStrategy({ rateLimitingSampling: { maxTracesPerSecond: 7 } }), expected);
  });

  it('reads per-operation strategies whatever strategyType says, filling omitted zeros', () => {
    const parsed = parseSamplingStrategy({
      strategyType: 'PROBABILISTIC',
      probabilisticSampling: { samplingRate: 0.5 },
      operationSampling: {
        defaultSamplingProbability: 0.1,
        perOperationStrategies: [{ operation: 'GET /x', probabilisticSampling: { samplingRate: 1 } }],
      },
    });
    assert.deepEqual(parsed, {
      kind: 'per-operation',
      strategies: {
        defaultSamplingProbability: 0.1,
        defaultLowerBoundTracesPerSecond: 0,
        perOperationStrategies: [{ operation: 'GET /x', probabilisticSampling: { samplingRate: 1 } }],
      },
    });
  });

  it('rejects malformed answers with a message naming the problem', () => {
    const cases: [unknown, RegExp][] = [
      [null, /must be a JSON object, got null/],
      [[1], /must be a JSON object/],
      [{ strategyType: 'ADAPTIVE' }, /unknown sampling strategyType "ADAPTIVE"/],
      [{}, /unknown sampling strategyType nothing/],
      [{ strategyType: 0 }, /probabilisticSampling must be an object, got nothing/],
      [{ strategyType: 0, probabilisticSampling: { samplingRate: 'x' } }, /samplingRate must be a number, got "x"/],
      [{ strategyType: 0, probabilisticSampling: { samplingRate: 1.5 } }, /samplingRate must be a number in \[0, 1\], got 1.5/],
      [{ strategyType: 1, rateLimitingSampling: { maxTracesPerSecond: -3 } }, /maxTracesPerSecond must be a finite number >= 0/],
      [{ operationSampling: 'x' }, /operationSampling must be an object/],
      [{ operationSampling: { defaultSamplingProbability: 2 } }, /defaultSamplingProbability must be a number in \[0, 1\]/],
      [
        { operationSampling: { defaultSamplingProbability: 0.1, perOperationStrategies: [{}] } },
        /perOperationStrategies\[0\]\.operation must be a string/,
      ],
    ];
    for (const [body, message] of cases) {
      assert.throws(() => parseSamplingStrategy(body), message, JSON.stringify(body));
    }
  });
});
