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

  it('only http and http-client hook built-ins (so only they load at start)', () => {
    const eager = INTEGRATIONS.filter((entry) => entry.modules.some((name) => isBuiltin(name))).map((entry) => entry.name);
    assert.deepEqual(eager, ['http', 'http-client']);
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
      "require('express');",
      "const loaded = new Set();",
      "for (const file of Object.keys(require.cache)) {",
      "  const m = /[\\\\/](?:@jt|packages)[\\\\/]([a-z-]+)[\\\\/]dist[\\\\/]/.exec(file);",
      "  if (m) loaded.add(m[1]);",
      "}",
      "console.log(JSON.stringify([...loaded].sort()));",
    ].join('\n');
    const run = spawnSync(process.execPath, ['-r', '@jt/auto', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, JAEGER_SERVICE_NAME: 'lazy-test', JAEGER_AGENT_HOST: '127.0.0.1' },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout.trim().split('\n').pop()!), ['auto', 'core', 'express', 'http-client']);
  });
});
