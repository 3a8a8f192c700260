'use strict';
/** What the results depend on: the machine, the core plan, and every library version measured. */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { cpuPlan } = require('./proc');

const BENCH = path.join(__dirname, '..');
const REPO = path.join(BENCH, '..');

function versionOf(pkgJson) {
  try {
    return JSON.parse(fs.readFileSync(pkgJson, 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

function git(args) {
  try {
    return execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function machineNotes() {
  const plan = cpuPlan();
  return {
    nproc: plan.cores,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    pinning: plan.available
      ? `taskset available: measured process on CPU ${plan.appCpu}, load generator and sink on CPU ${plan.loadCpu}`
      : `no pinning (${plan.reason}): every process shares all cores`,
    loadavg: os.loadavg().map((v) => Number(v.toFixed(2))),
  };
}

function versions() {
  const nm = (p) => path.join(BENCH, 'node_modules', p, 'package.json');
  const status = git(['status', '--porcelain', '--', 'packages']);
  return {
    node: process.version,
    jt: `${versionOf(path.join(REPO, 'packages/core/package.json'))} @ ${git(['rev-parse', '--short', 'HEAD']) ?? '?'}${status ? ' + uncommitted changes in packages/' : ''}`,
    'jaeger-client': versionOf(nm('jaeger-client')),
    '@opentelemetry/api': versionOf(nm('@opentelemetry/api')),
    '@opentelemetry/sdk-trace-node': versionOf(nm('@opentelemetry/sdk-trace-node')),
    '@opentelemetry/sdk-trace-base': versionOf(nm('@opentelemetry/sdk-trace-base')),
    '@opentelemetry/instrumentation-http': versionOf(nm('@opentelemetry/instrumentation-http')),
    '@opentelemetry/instrumentation-express': versionOf(nm('@opentelemetry/instrumentation-express')),
    '@opentelemetry/exporter-trace-otlp-http': versionOf(nm('@opentelemetry/exporter-trace-otlp-http')),
    express4: versionOf(nm('express')),
    express5: versionOf(path.join(BENCH, 'fixtures/express5/node_modules/express/package.json')),
    koa: versionOf(nm('koa')),
    fastify: versionOf(nm('fastify')),
    ioredis: versionOf(nm('ioredis')),
    pg: versionOf(nm('pg')),
    autocannon: versionOf(nm('autocannon')),
  };
}

/** Which jt integration packages export their entry points yet (they are written in parallel). */
function jtIntegrations() {
  const expected = {
    express: 'expressInstrumentation',
    koa: 'koaInstrumentation',
    fastify: 'fastifyInstrumentation',
    redis: 'instrumentRedis',
    pg: 'instrumentPg',
    'http-client': 'httpClientInstrumentation',
  };
  const out = {};
  for (const [pkg, fn] of Object.entries(expected)) {
    try {
      const mod = require(path.join(REPO, 'packages', pkg));
      out[pkg] = typeof mod[fn] === 'function' ? 'ready' : `built, no ${fn} export yet`;
    } catch (err) {
      out[pkg] = `does not load (${String(err.message).split('\n')[0]})`;
    }
  }
  return out;
}

module.exports = { machineNotes, versions, jtIntegrations, BENCH, REPO };
