import { strict as assert } from 'node:assert';
import { getTracer, isWrapped, registerInstrumentations, setGlobalTracer } from '@jt/core';
import { newTracer, tagsOf } from '@jt/test-utils';
import { pgInstrumentation } from '../src';
import { PG_CONFIG } from './helpers';

describe('pg through registerInstrumentations and the global tracer', () => {
  it('patches pg on require, traces with the global tracer, and unregisters', async () => {
    const previous = getTracer();
    const { tracer, reporter } = newTracer('pg-test');
    setGlobalTracer(tracer);
    const handle = registerInstrumentations([pgInstrumentation()]);
    try {
      assert.deepEqual(handle.names, ['pg']);
      const pg = require('pg') as typeof import('pg');
      assert.equal(isWrapped(pg.Client.prototype.query), true);
      assert.equal(typeof Object.getOwnPropertyDescriptor(pg, 'native')?.get, 'function', 'native getter untouched');
      const pool = new pg.Pool({ ...PG_CONFIG, max: 1 });
      try {
        await tracer.trace('request', () => pool.query("SELECT 'x' AS v"));
      } finally {
        await pool.end();
      }
      const select = reporter.spans.find((s) => s.operationName === 'SELECT');
      assert.ok(select, 'SELECT span reported through the global tracer');
      assert.equal(tagsOf(select)['db.statement'], 'SELECT ? AS v');
      handle.unregister();
      assert.equal(isWrapped(pg.Client.prototype.query), false);
    } finally {
      handle.unregister();
      setGlobalTracer(previous);
    }
  });
});
