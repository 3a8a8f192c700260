import { strict as assert } from 'node:assert';
import { getTracer, isWrapped, registerInstrumentations, setGlobalTracer } from '@jt/core';
import { newTracer, tagsOf } from '@jt/test-utils';
import { redisInstrumentation } from '../src';
import { KEY_PREFIX, REDIS_URL } from './helpers';

describe('ioredis through registerInstrumentations and the global tracer', () => {
  it('patches ioredis on require, traces with the global tracer, and unregisters', async () => {
    const previous = getTracer();
    const { tracer, reporter } = newTracer('redis-test');
    setGlobalTracer(tracer);
    const handle = registerInstrumentations([redisInstrumentation()]);
    try {
      assert.deepEqual(handle.names, ['ioredis']);
      const Redis = require('ioredis') as typeof import('ioredis').default;
      assert.equal(isWrapped(Redis.prototype.sendCommand), true);
      const client = new Redis(REDIS_URL);
      try {
        await tracer.trace('request', () => client.get(`${KEY_PREFIX}auto`));
      } finally {
        client.disconnect();
      }
      const get = reporter.spans.find((s) => s.operationName === 'GET');
      assert.ok(get, 'GET span reported through the global tracer');
      assert.equal(tagsOf(get)['db.statement'], `GET ${KEY_PREFIX}auto`);
      handle.unregister();
      assert.equal(isWrapped(Redis.prototype.sendCommand), false);
    } finally {
      handle.unregister();
      setGlobalTracer(previous);
    }
  });
});
