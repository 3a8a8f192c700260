import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { PerOperationSampler } from '../../src/samplers/per-operation-sampler';
import { ProbabilisticSampler } from '../../src/samplers/probabilistic-sampler';
import { RateLimitingSampler } from '../../src/samplers/rate-limiting-sampler';
import { parseHostPort, RemoteSampler, type RemoteSamplerOptions } from '../../src/samplers/remote-sampler';
import { ConstSampler } from '../../src/samplers/const-sampler';
import { countingMetrics, FakeClock, recordingLogger, tagsOf } from './helpers';

type Reply = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const json =
  (body: unknown, status = 200): Reply =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

/** A real sampling endpoint on a loopback port; `reply` decides each answer. */
class StrategyServer {
  readonly requests: string[] = [];
  reply: Reply = json({ strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 1 } });
  private readonly server = http.createServer((req, res) => {
    this.requests.push(req.url ?? '');
    this.reply(req, res);
  });

  port = 0;

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get hostPort(): string {
    return `127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const PROBABILISTIC = (samplingRate: number) => ({ strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate } });
const HIGH_ID = '7fffffffffffffff';
const LOW_ID = '0000000000000001';

describe('RemoteSampler', () => {
  let server: StrategyServer;
  const samplers: RemoteSampler[] = [];

  function remote(options: Partial<RemoteSamplerOptions> = {}): RemoteSampler {
    const sampler = new RemoteSampler({
      serviceName: 'checkout',
      hostPort: server.hostPort,
      refreshIntervalMs: 0,
      ...options,
    });
    samplers.push(sampler);
    return sampler;
  }

  beforeEach(async () => {
    server = await new StrategyServer().start();
  });

  afterEach(async () => {
    for (const sampler of samplers.splice(0)) sampler.close();
    await server.stop();
  });

  it('starts with probabilistic 0.001, polls at once, then applies a probabilistic strategy', async () => {
    server.reply = json(PROBABILISTIC(1));
    const { metrics, counts } = countingMetrics();
    const sampler = remote({ serviceName: 'check out/é', metrics });
    assert.ok(sampler.sampler instanceof ProbabilisticSampler);
    assert.equal((sampler.sampler as ProbabilisticSampler).samplingRate, 0.001);
    assert.deepEqual(tagsOf(sampler.sample('op', HIGH_ID)), { 'sampler.type': 'probabilistic', 'sampler.param': 0.001 });

    await sampler.ready();
    assert.deepEqual(server.requests, [`/sampling?service=${encodeURIComponent('check out/é')}`]);
    const decision = sampler.sample('op', HIGH_ID);
    assert.equal(decision.sampled, true);
    assert.deepEqual(tagsOf(decision), { 'sampler.type': 'probabilistic', 'sampler.param': 1 });
    assert.deepEqual(counts, { samplerRetrieved: 1, samplerUpdated: 1, samplerQueryFailure: 0, samplerUpdateFailure: 0 });
  });

  it('applies a rate limiting strategy (numeric strategyType too)', async () => {
    const clock = new FakeClock();
    server.reply = json({ strategyType: 1, rateLimitingSampling: { maxTracesPerSecond: 2 } });
    const sampler = remote({ clock: clock.now });
    await sampler.ready();
    assert.ok(sampler.sampler instanceof RateLimitingSampler);
    const decisions = [1, 2, 3].map(() => sampler.sample('op', HIGH_ID));
    assert.deepEqual(
      decisions.map((d) => d.sampled),
      [true, true, false],
    );
    assert.deepEqual(tagsOf(decisions[0]), { 'sampler.type': 'ratelimiting', 'sampler.param': 2 });

    server.reply = json({ strategyType: 'RATE_LIMITING', rateLimitingSampling: { maxTracesPerSecond: 4 } });
    const before = sampler.sampler;
    await sampler.poll();
    assert.equal(sampler.sampler, before, 'updated in place');
    assert.equal((sampler.sampler as RateLimitingSampler).maxTracesPerSecond, 4);
  });

  it('applies a per-operation strategy and updates it in place', async () => {
    const clock = new FakeClock();
    server.reply = json({
      strategyType: 0,
      operationSampling: {
        defaultSamplingProbability: 0,
        defaultLowerBoundTracesPerSecond: 1,
        perOperationStrategies: [{ operation: 'GET /hot', probabilisticSampling: { samplingRate: 1 } }],
      },
    });
    const { metrics, counts } = countingMetrics();
    const sampler = remote({ clock: clock.now, metrics, maxOperations: 5 });
    await sampler.ready();
    assert.ok(sampler.sampler instanceof PerOperationSampler);
    assert.deepEqual(tagsOf(sampler.sample('GET /hot', HIGH_ID)), { 'sampler.type': 'probabilistic', 'sampler.param': 1 });
    assert.deepEqual(tagsOf(sampler.sample('GET /cold', HIGH_ID)), { 'sampler.type': 'lowerbound', 'sampler.param': 0 });
    assert.equal(sampler.sample('GET /cold', HIGH_ID).sampled, false);

    const perOperation = sampler.sampler;
    const coldBefore = perOperation.samplerFor('GET /cold');
    server.reply = json({
      operationSampling: {
        defaultSamplingProbability: 0.5,
        defaultLowerBoundTracesPerSecond: 1,
        perOperationStrategies: [{ operation: 'GET /hot', probabilisticSampling: { samplingRate: 0.25 } }],
      },
    });
    await sampler.poll();
    assert.equal(sampler.sampler, perOperation);
    assert.equal(perOperation.samplerFor('GET /cold'), coldBefore);
    assert.equal(perOperation.samplerFor('GET /hot')?.samplingRate, 0.25);
    assert.equal(sampler.sample('GET /cold', HIGH_ID).sampled, false, 'limiter state kept');
    assert.equal(counts.samplerUpdated, 2);

    // the same answer again changes nothing
    await sampler.poll();
    assert.deepEqual(counts, { samplerRetrieved: 3, samplerUpdated: 2, samplerQueryFailure: 0, samplerUpdateFailure: 0 });
  });

  it('updates a probabilistic sampler in place and swaps when the type changes', async () => {
    server.reply = json(PROBABILISTIC(0.5));
    const { metrics, counts } = countingMetrics();
    const sampler = remote({ metrics });
    await sampler.ready();
    const first = sampler.sampler;
    server.reply = json(PROBABILISTIC(0.25));
    await sampler.poll();
    assert.equal(sampler.sampler, first);
    assert.equal((first as ProbabilisticSampler).samplingRate, 0.25);
    server.reply = json(PROBABILISTIC(0.25));
    await sampler.poll();
    assert.deepEqual(counts, { samplerRetrieved: 3, samplerUpdated: 2, samplerQueryFailure: 0, samplerUpdateFailure: 0 });

    server.reply = json({ strategyType: 'RATE_LIMITING', rateLimitingSampling: { maxTracesPerSecond: 3 } });
    await sampler.poll();
    assert.ok(sampler.sampler instanceof RateLimitingSampler);
    server.reply = json(PROBABILISTIC(1));
    await sampler.poll();
    assert.ok(sampler.sampler instanceof ProbabilisticSampler);
    assert.notEqual(sampler.sampler, first);
    assert.equal(counts.samplerUpdated, 4);
  });

  it('keeps the last good sampler through 500s, bad JSON, bad strategies, timeouts and a closed server', async () => {
    server.reply = json(PROBABILISTIC(1));
    const { metrics, counts } = countingMetrics();
    const logger = recordingLogger();
    const sampler = remote({ metrics, logger, requestTimeoutMs: 200 });
    await sampler.ready();
    const good = sampler.sampler;
    const stillGood = (): void => {
      assert.equal(sampler.sampler, good);
      assert.equal((good as ProbabilisticSampler).samplingRate, 1);
      assert.equal(sampler.sample('op', HIGH_ID).sampled, true);
    };

    server.reply = json('oops', 500);
    await sampler.poll();
    stillGood();
    assert.equal(counts.samplerQueryFailure, 1);

    server.reply = json('{"strategyType": "PROBABILISTIC", ');
    await sampler.poll();
    stillGood();
    assert.equal(counts.samplerUpdateFailure, 1);

    server.reply = json({ strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 7 } });
    await sampler.poll();
    stillGood();
    assert.equal(counts.samplerUpdateFailure, 2);

    server.reply = () => {}; // never answers
    const started = Date.now();
    await sampler.poll();
    assert.ok(Date.now() - started < 2000);
    stillGood();
    assert.equal(counts.samplerQueryFailure, 2);

    server.reply = (_req, res) => res.socket?.destroy(); // hangs up mid-request
    await sampler.poll();
    stillGood();
    assert.equal(counts.samplerQueryFailure, 3);

    server.reply = json({ big: 'x'.repeat(2 * 1024 * 1024) });
    await sampler.poll();
    stillGood();
    assert.equal(counts.samplerQueryFailure, 4);

    await server.stop();
    await sampler.poll();
    stillGood();
    assert.deepEqual(counts, { samplerRetrieved: 3, samplerUpdated: 1, samplerQueryFailure: 5, samplerUpdateFailure: 2 });

    // one line per kind of failure, not one per poll
    assert.equal(logger.errors.length, 2, logger.errors.join('\n'));
    assert.match(logger.errors[0], /cannot fetch the sampling strategy from http:\/\/127\.0\.0\.1:\d+\/sampling\?service=checkout: HTTP 500/);
    assert.match(logger.errors[1], /bad sampling strategy/);
  });

  it('keeps the initial sampler when the agent is unreachable from the start', async () => {
    await server.stop();
    const { metrics, counts } = countingMetrics();
    const sampler = remote({ metrics, initialSampler: new ConstSampler(true) });
    await sampler.ready();
    assert.ok(sampler.sampler instanceof ConstSampler);
    assert.equal(sampler.sample('op', HIGH_ID).sampled, true);
    assert.equal(counts.samplerQueryFailure, 1);
  });

  it('polls every refreshIntervalMs and close() stops polling (idempotent)', async () => {
    server.reply = json(PROBABILISTIC(0.5));
    const sampler = remote({ refreshIntervalMs: 20 });
    await waitFor(() => server.requests.length >= 4, 3000);
    sampler.close();
    sampler.close();
    await new Promise((resolve) => setTimeout(resolve, 30)); // let a request already sent land
    const count = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(server.requests.length, count);
    await sampler.poll(); // a closed sampler does not poll
    assert.equal(server.requests.length, count);
  });

  it('close() abandons a poll in flight without counting a failure', async () => {
    server.reply = () => {}; // never answers
    const { metrics, counts } = countingMetrics();
    const sampler = remote({ metrics });
    await waitFor(() => server.requests.length === 1, 2000);
    sampler.close();
    await sampler.ready();
    assert.equal(counts.samplerQueryFailure, 0);
    assert.ok(sampler.sampler instanceof ProbabilisticSampler);
  });

  it('reaches the agent by host, port and samplingPath', async () => {
    server.reply = json(PROBABILISTIC(0.75));
    const sampler = remote({ hostPort: undefined, host: '127.0.0.1', port: server.port, samplingPath: '/api/sampling' });
    await sampler.ready();
    assert.deepEqual(server.requests, ['/api/sampling?service=checkout']);
    assert.equal((sampler.sampler as ProbabilisticSampler).samplingRate, 0.75);
  });

  it('does not keep the process alive, except while ready() is awaited', async function () {
    this.timeout(15000);
    server.reply = json({ strategyType: 'RATE_LIMITING', rateLimitingSampling: { maxTracesPerSecond: 9 } });
    const modulePath = path.resolve(__dirname, '../../src/samplers/remote-sampler.ts');
    const script = `
      const { RemoteSampler } = require(${JSON.stringify(modulePath)});
      const sampler = new RemoteSampler({ serviceName: 'child', hostPort: ${JSON.stringify(server.hostPort)} });
      sampler.ready().then(() => console.log(sampler.sampler.constructor.name, sampler.sampler.maxTracesPerSecond));
    `;
    const started = Date.now();
    const { code, stdout } = await runNode(['--require', 'tsx/cjs', '-e', script], 10000);
    // the 60 s refresh timer would hold the child open if it were ref'd
    assert.equal(code, 0);
    assert.equal(stdout.trim(), 'RateLimitingSampler 9');
    assert.ok(Date.now() - started < 10000);
  });

  it('a poll in flight does not keep the process alive either', async function () {
    this.timeout(15000);
    server.reply = () => {}; // never answers: only the unref'd socket could hold the child
    const modulePath = path.resolve(__dirname, '../../src/samplers/remote-sampler.ts');
    const script = `
      const { RemoteSampler } = require(${JSON.stringify(modulePath)});
      new RemoteSampler({ serviceName: 'child', hostPort: ${JSON.stringify(server.hostPort)}, requestTimeoutMs: 8000 });
    `;
    const started = Date.now();
    const { code } = await runNode(['--require', 'tsx/cjs', '-e', script], 12000);
    assert.equal(code, 0);
    assert.ok(Date.now() - started < 6000, `child ran ${Date.now() - started} ms`);
  });

  it('parseHostPort reads host:port forms', () => {
    assert.deepEqual(parseHostPort('agent:5779'), { host: 'agent', port: 5779 });
    assert.deepEqual(parseHostPort('http://agent:80/'), { host: 'agent', port: 80 });
    assert.deepEqual(parseHostPort('[::1]:6000'), { host: '::1', port: 6000 });
    assert.deepEqual(parseHostPort('agent'), { host: 'agent', port: 5778 });
    for (const bad of ['', ':5778', 'a:b', 'a:99999', 'a:1:2']) {
      assert.throws(() => parseHostPort(bad), /must look like "host:port"/, bad);
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Runs node in the repo root (where tsx resolves); kills it if it outlives `timeoutMs`. */
function runNode(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: path.resolve(__dirname, '../../../..') });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const killer = setTimeout(() => {
      child.kill();
      reject(new Error(`child still running after ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(killer);
      if (code !== 0) process.stderr.write(stderr);
      resolve({ code, stdout });
    });
  });
}
