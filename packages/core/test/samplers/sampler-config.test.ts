import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConstSampler } from '../../src/samplers/const-sampler';
import { PerOperationSampler } from '../../src/samplers/per-operation-sampler';
import { ProbabilisticSampler } from '../../src/samplers/probabilistic-sampler';
import { RateLimitingSampler } from '../../src/samplers/rate-limiting-sampler';
import { RemoteSampler } from '../../src/samplers/remote-sampler';
import type { Sampler } from '../../src/samplers/sampler';
import {
  createSampler,
  DEFAULT_SAMPLER_CONFIG,
  validateSamplerConfig,
  type SamplerConfig,
} from '../../src/samplers/sampler-config';
import { countingMetrics, FakeClock, recordingLogger, tagsOf } from './helpers';

const HIGH_ID = '7fffffffffffffff';

describe('sampler config', () => {
  const created: Sampler[] = [];
  const deps = { serviceName: 'svc', logger: recordingLogger(), metrics: countingMetrics().metrics };
  function make(config: unknown, extra: Partial<typeof deps> & { clock?: () => number } = {}): Sampler {
    const sampler = createSampler(config, { ...deps, ...extra });
    created.push(sampler);
    return sampler;
  }
  afterEach(() => {
    for (const sampler of created.splice(0)) sampler.close();
  });

  describe('createSampler', () => {
    it('const: true/false/1/0 and their strings', () => {
      for (const param of [true, 1, 'true', '1', ' TRUE ']) {
        const sampler = make({ type: 'const', param });
        assert.ok(sampler instanceof ConstSampler);
        assert.equal(sampler.sample('op', HIGH_ID).sampled, true, String(param));
      }
      for (const param of [false, 0, 'false', '0']) {
        const decision = make({ type: 'const', param }).sample('op', HIGH_ID);
        assert.equal(decision.sampled, false, String(param));
        assert.deepEqual(tagsOf(decision), { 'sampler.type': 'const', 'sampler.param': false });
      }
    });

    it('probabilistic, with a numeric string from env coerced', () => {
      const sampler = make({ type: 'probabilistic', param: '0.5' });
      assert.ok(sampler instanceof ProbabilisticSampler);
      assert.equal(sampler.samplingRate, 0.5);
      assert.deepEqual(tagsOf(sampler.sample('op', HIGH_ID)), { 'sampler.type': 'probabilistic', 'sampler.param': 0.5 });
      assert.equal((make({ type: 'probabilistic', param: 1 }) as ProbabilisticSampler).samplingRate, 1);
    });

    it('ratelimiting, using the given clock', () => {
      const clock = new FakeClock();
      const sampler = make({ type: 'ratelimiting', param: '2' }, { clock: clock.now });
      assert.ok(sampler instanceof RateLimitingSampler);
      assert.deepEqual(
        [1, 2, 3].map(() => sampler.sample('op', HIGH_ID).sampled),
        [true, true, false],
      );
      clock.advance(500);
      assert.equal(sampler.sample('op', HIGH_ID).sampled, true);
    });

    it('per-operation', () => {
      const sampler = make({
        type: 'per-operation',
        param: 0,
        lowerBound: 0,
        maxOperations: 10,
        perOperationStrategies: [{ operation: 'hot', probabilisticSampling: { samplingRate: '1' } }],
      });
      assert.ok(sampler instanceof PerOperationSampler);
      assert.equal(sampler.sample('hot', HIGH_ID).sampled, true);
      assert.equal(sampler.sample('cold', HIGH_ID).sampled, false);
      assert.equal(sampler.defaultLowerBoundTracesPerSecond, 0);
    });

    it('remote: polls the configured agent and starts from param', async () => {
      const requests: string[] = [];
      const server = http.createServer((req, res) => {
        requests.push(req.url ?? '');
        res.end(JSON.stringify({ strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 1 } }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const port = (server.address() as AddressInfo).port;
        const sampler = make({ type: 'remote', param: '0', hostPort: `127.0.0.1:${port}`, refreshIntervalMs: '0' });
        assert.ok(sampler instanceof RemoteSampler);
        assert.equal((sampler.sampler as ProbabilisticSampler).samplingRate, 0);
        await sampler.ready();
        assert.deepEqual(requests, ['/sampling?service=svc']);
        assert.equal((sampler.sampler as ProbabilisticSampler).samplingRate, 1);

        const byHost = make({ type: 'remote', host: '127.0.0.1', port: String(port), samplingPath: 'custom' });
        await (byHost as RemoteSampler).ready();
        assert.equal(requests[1], '/custom?service=svc');
      } finally {
        server.closeAllConnections();
        server.close();
      }
    });

    it('no config means remote with initial probability 0.001 (jaeger-client default)', () => {
      for (const config of [undefined, null]) {
        const sampler = make(config);
        assert.ok(sampler instanceof RemoteSampler);
        assert.equal((sampler.sampler as ProbabilisticSampler).samplingRate, 0.001);
        assert.match(sampler.url, /^http:\/\/localhost:5778\/sampling\?service=svc$/);
      }
      assert.deepEqual(validateSamplerConfig(undefined), { type: 'remote', param: 0.001 });
      assert.deepEqual(DEFAULT_SAMPLER_CONFIG, { type: 'remote', param: 0.001 });
      // a config without a type is the remote default plus its fields
      const sampler = make({ hostPort: '127.0.0.2:6000' });
      assert.ok(sampler instanceof RemoteSampler);
      assert.match(sampler.url, /^http:\/\/127\.0\.0\.2:6000\//);
    });
  });

  describe('validateSamplerConfig', () => {
    it('returns a normalized copy', () => {
      const cases: [unknown, SamplerConfig][] = [
        [{ type: 'const', param: 'true' }, { type: 'const', param: true }],
        [{ type: 'CONST', param: 0 }, { type: 'const', param: false }],
        [{ type: 'probabilistic', param: ' 0.25 ' }, { type: 'probabilistic', param: 0.25 }],
        [{ type: 'ratelimiting', param: 0 }, { type: 'ratelimiting', param: 0 }],
        [
          { type: 'remote', hostPort: 'a:1', refreshIntervalMs: '1000', port: '5778', samplingPath: 'x' },
          { type: 'remote', hostPort: 'a:1', refreshIntervalMs: 1000, port: 5778, samplingPath: '/x' },
        ],
        [{ type: 'per-operation', param: '0.1', lowerBound: '2' }, { type: 'per-operation', param: 0.1, lowerBound: 2 }],
      ];
      for (const [input, expected] of cases) assert.deepEqual(validateSamplerConfig(input), expected);
    });

    it('throws a clear error for each bad input', () => {
      const cases: [unknown, string][] = [
        [{ type: 'probabilistic', param: 1.5 }, 'sampler.param must be a number in [0, 1] for type "probabilistic", got 1.5'],
        [{ type: 'probabilistic', param: -0.1 }, 'sampler.param must be a number in [0, 1] for type "probabilistic", got -0.1'],
        [{ type: 'probabilistic', param: 'abc' }, 'sampler.param must be a number in [0, 1] for type "probabilistic", got "abc"'],
        [{ type: 'probabilistic', param: '' }, 'sampler.param must be a number in [0, 1] for type "probabilistic", got ""'],
        [{ type: 'probabilistic' }, 'sampler.param must be a number in [0, 1] for type "probabilistic", got undefined'],
        [{ type: 'probabilistic', param: Number.NaN }, 'sampler.param must be a number in [0, 1] for type "probabilistic", got NaN'],
        [{ type: 'ratelimiting', param: -1 }, 'sampler.param must be a number >= 0 for type "ratelimiting", got -1'],
        [{ type: 'ratelimiting', param: Infinity }, 'sampler.param must be a number >= 0 for type "ratelimiting", got Infinity'],
        [{ type: 'ratelimiting', param: true }, 'sampler.param must be a number >= 0 for type "ratelimiting", got true'],
        [{ type: 'const', param: 2 }, 'sampler.param must be true, false, 1 or 0 for type "const", got 2'],
        [{ type: 'const', param: 'yes' }, 'sampler.param must be true, false, 1 or 0 for type "const", got "yes"'],
        [{ type: 'const' }, 'sampler.param must be true, false, 1 or 0 for type "const", got undefined'],
        [{ type: 'remote', param: 2 }, 'sampler.param must be a number in [0, 1] for type "remote", got 2'],
        [{ type: 'remote', hostPort: 'a:b' }, 'sampler.hostPort must be like "host:port" for type "remote", got "a:b"'],
        [{ type: 'remote', hostPort: 5778 }, 'sampler.hostPort must be a non-empty string for type "remote", got 5778'],
        [{ type: 'remote', host: '' }, 'sampler.host must be a non-empty string for type "remote", got ""'],
        [{ type: 'remote', port: 70000 }, 'sampler.port must be an integer in [1, 65535] for type "remote", got 70000'],
        [{ type: 'remote', refreshIntervalMs: -5 }, 'sampler.refreshIntervalMs must be a number >= 0 for type "remote", got -5'],
        [{ type: 'remote', requestTimeoutMs: 0 }, 'sampler.requestTimeoutMs must be a number > 0 for type "remote", got 0'],
        [{ type: 'remote', maxOperations: 1.5 }, 'sampler.maxOperations must be an integer >= 0 for type "remote", got 1.5'],
        [{ type: 'per-operation' }, 'sampler.param must be a number in [0, 1] for type "per-operation", got undefined'],
        [{ type: 'per-operation', param: 0.1, lowerBound: -1 }, 'sampler.lowerBound must be a number >= 0 for type "per-operation", got -1'],
        [
          { type: 'per-operation', param: 0.1, perOperationStrategies: {} },
          'sampler.perOperationStrategies must be an array for type "per-operation", got {}',
        ],
        [
          { type: 'per-operation', param: 0.1, perOperationStrategies: [{ probabilisticSampling: { samplingRate: 1 } }] },
          'sampler.perOperationStrategies[0].operation must be a string for type "per-operation", got undefined',
        ],
        [
          { type: 'per-operation', param: 0.1, perOperationStrategies: [{ operation: 'x', probabilisticSampling: { samplingRate: 2 } }] },
          'sampler.perOperationStrategies[0].probabilisticSampling.samplingRate must be a number in [0, 1] for type "per-operation", got 2',
        ],
        [
          { type: 'adaptive', param: 1 },
          'unknown sampler.type "adaptive"; expected one of "const", "probabilistic", "ratelimiting", "remote", "per-operation"',
        ],
        [{ type: 42 }, 'unknown sampler.type 42; expected one of "const", "probabilistic", "ratelimiting", "remote", "per-operation"'],
        ['const', 'sampler config must be an object like {type, param}, got "const"'],
        [[{ type: 'const' }], 'sampler config must be an object like {type, param}, got [{"type":"const"}]'],
      ];
      for (const [input, message] of cases) {
        assert.throws(() => validateSamplerConfig(input), { message }, JSON.stringify(input));
        assert.throws(() => createSampler(input, deps), { message });
      }
    });
  });
});
