import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { isBuiltin } from 'node:module';
import * as path from 'node:path';
import { INTEGRATIONS, selectIntegrations } from '../src/integrations';

const ROOT = path.resolve(__dirname, '../../..');

describe('@jt/auto integrations', () => {
  it("each entry's modules cover every module its instrumentation hooks (a deferred one hooks nothing else)", () => {
    for (const entry of INTEGRATIONS) {
      const instrumentation = entry.load({});
      assert.ok(instrumentation.hooks.length > 0 || instrumentation.enable !== undefined, `${entry.name} does something`);
      for (const hook of instrumentation.hooks) {
        assert.ok(entry.modules.includes(hook.name), `${entry.name}: its hook on ${hook.name} is in modules [${entry.modules.join(', ')}]`);
      }
    }
  });

  it('only http and http-client (they hook built-ins) and fastify (a diagnostics channel) load at start', () => {
    const eager = INTEGRATIONS.filter((entry) => entry.loadAtStart === true || entry.modules.some((name) => isBuiltin(name)));
    assert.deepEqual(eager.map((entry) => entry.name), ['http', 'http-client', 'fastify']);
  });

  it('selectIntegrations: JAEGER_INSTRUMENTATIONS with aliases, minus JAEGER_INSTRUMENTATIONS_DISABLED', () => {
    const names = (env: NodeJS.ProcessEnv) => selectIntegrations(env).map((entry) => entry.name);
    assert.deepEqual(names({}), ['http', 'http-client', 'express', 'koa', 'fastify', 'redis', 'pg']);
    assert.deepEqual(names({ JAEGER_INSTRUMENTATIONS: 'ioredis, Postgres,fetch' }), ['http-client', 'redis', 'pg']);
    assert.deepEqual(names({ JAEGER_INSTRUMENTATIONS_DISABLED: 'koa,fastify' }), ['http', 'http-client', 'express', 'redis', 'pg']);
    assert.throws(() => selectIntegrations({ JAEGER_INSTRUMENTATIONS: 'mongo' }), /unknown instrumentation "mongo"/);
  });

  it('node -r @jt/auto loads the integration packages of the libraries the app requires, and no others', () => {
    const script = [
      "const express = require('express');",
      "const { isWrapped } = require('@jt/core');",
      "const loaded = new Set();",
      "for (const file of Object.keys(require.cache)) {",
      "  const m = /[\\\\/](?:@jt|packages)[\\\\/]([a-z-]+)[\\\\/]dist[\\\\/]/.exec(file);",
      "  if (m) loaded.add(m[1]);",
      "}",
      "const names = require('@jt/auto').start().instrumentations;",
      "console.log(JSON.stringify({ loaded: [...loaded].sort(), names, patched: isWrapped(express.application.handle) }));",
    ].join('\n');
    const run = spawnSync(process.execPath, ['-r', '@jt/auto', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, JAEGER_SERVICE_NAME: 'lazy-test', JAEGER_AGENT_HOST: '127.0.0.1' },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!);
    assert.deepEqual(out.loaded, ['auto', 'core', 'express', 'fastify', 'http-client']);
    assert.equal(out.patched, true, 'express was patched by the integration it loaded');
    // the names registered, by JAEGER_INSTRUMENTATIONS' names, loaded or not
    assert.deepEqual(out.names, ['http', 'http-client', 'express', 'koa', 'fastify', 'redis', 'pg']);
  });
});
