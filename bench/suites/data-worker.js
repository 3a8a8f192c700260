'use strict';
/**
 * One data-client measurement in a fresh process:
 *   node suites/data-worker.js '{"client":"redis|pg","mode":"bare|jt","port":P,"durationS":S,
 *                               "warmupS":W,"concurrency":C}'
 * redis: ioredis SET then GET of a small key per iteration (2 ops), C loops on one client.
 * pg: `SELECT 1` on 4 clients, C loops spread over them. In `jt` mode a jt tracer (const 1,
 * UDP compact to the sink) is the global tracer and @jt/redis / @jt/pg instrument the module
 * first. Prints ops/s, or `{skipped: reason}` when the instrumentation is not exported yet or
 * the server does not answer.
 */
const path = require('node:path');

const REDIS = { host: '127.0.0.1', port: 6379 };
const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };

function skip(reason) {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ skipped: reason })}\n`);
  process.exit(0);
}

function instrument(o, mod) {
  if (o.mode !== 'jt') return undefined;
  const core = require(path.join(__dirname, '../../packages/core'));
  const pkg = o.client === 'redis' ? 'redis' : 'pg';
  const fn = o.client === 'redis' ? 'instrumentRedis' : 'instrumentPg';
  let integration;
  try {
    integration = require(path.join(__dirname, '../../packages', pkg));
  } catch (err) {
    skip(`@jt/${pkg} does not load: ${String(err.message).split('\n')[0]}`);
  }
  if (typeof integration[fn] !== 'function') skip(`@jt/${pkg} does not export ${fn} yet`);
  const tracer = core.initTracer({
    serviceName: `bench-${o.client}`,
    sampler: { type: 'const', param: 1 },
    reporter: { agentHost: '127.0.0.1', agentPort: o.port, protocol: 'udp-compact' },
  });
  integration[fn](mod);
  return tracer;
}

async function redisClient(o) {
  const Redis = require('ioredis');
  const tracer = instrument(o, Redis);
  const client = new Redis({ ...REDIS, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    skip(`Redis at ${REDIS.host}:${REDIS.port} does not answer: ${err.message}`);
  }
  const value = 'x'.repeat(64);
  return {
    tracer,
    version: require('ioredis/package.json').version,
    opsPerIteration: 2,
    async iterate(loop, i) {
      const key = `jt-bench:${loop}:${i & 255}`;
      await client.set(key, value);
      await client.get(key);
    },
    close: () => client.quit(),
  };
}

async function pgClient(o) {
  const pg = require('pg');
  const tracer = instrument(o, pg);
  const clients = [];
  try {
    for (let i = 0; i < 4; i++) {
      const c = new pg.Client(PG);
      await c.connect();
      clients.push(c);
    }
  } catch (err) {
    skip(`PostgreSQL at ${PG.host}:${PG.port} (user ${PG.user}, db ${PG.database}) does not answer: ${err.message}`);
  }
  return {
    tracer,
    version: require('pg/package.json').version,
    opsPerIteration: 1,
    async iterate(loop) {
      await clients[loop % clients.length].query('SELECT 1');
    },
    close: () => Promise.all(clients.map((c) => c.end())),
  };
}

async function runFor(c, seconds, concurrency) {
  const end = Date.now() + seconds * 1000;
  let iterations = 0;
  const loops = [];
  for (let loop = 0; loop < concurrency; loop++) {
    loops.push(
      (async () => {
        for (let i = 0; Date.now() < end; i++) {
          await c.iterate(loop, i);
          iterations++;
        }
      })(),
    );
  }
  await Promise.all(loops);
  return iterations * c.opsPerIteration;
}

async function main() {
  const o = JSON.parse(process.argv[2]);
  const c = o.client === 'redis' ? await redisClient(o) : await pgClient(o);
  const warmOps = await runFor(c, o.warmupS, o.concurrency);
  await globalThis.__benchProfile?.start();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const ops = await runFor(c, o.durationS, o.concurrency);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  await globalThis.__benchProfile?.stop();
  await c.close();
  if (c.tracer) await c.tracer.close();
  const result = {
    client: o.client,
    mode: o.mode,
    version: c.version,
    ops,
    totalOps: ops + warmOps,
    opsPerSecond: ops / seconds,
    cpuShare: (cpu.user + cpu.system) / 1e6 / seconds,
    cpuUsPerOp: (cpu.user + cpu.system) / ops,
  };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
