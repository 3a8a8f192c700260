import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import type RedisDefault from 'ioredis';
import { activeSpan, isWrapped, runWithoutTracing, type Span } from '@jt/core';
import { byName, closedPort, everythingRecorded, newTracer, spanAround, tagsOf, waitFor } from '@jt/test-utils';
import { instrumentRedis, redisInstrumentation, uninstrumentRedis } from '../src';
import { KEY_PREFIX, REDIS_URL } from './helpers';

type RedisClass = typeof RedisDefault;
type Redis = InstanceType<RedisClass>;

/**
 * The ioredis tests, run against one copy of ioredis (`ioredisModule` is what
 * `require('ioredis')` returns: the Redis class). Every major in reach gets this suite.
 */
export function defineIoredisSuite(label: string, ioredisModule: RedisClass, version: string): void {
  const Redis = ioredisModule;
  const { tracer, reporter } = newTracer('redis-test');
  const key = (name: string): string => `${KEY_PREFIX}${version}:${name}`;
  const clients: Redis[] = [];

  function newClient(options: Record<string, unknown> = {}): Redis {
    const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, ...options });
    clients.push(client);
    return client;
  }

  async function connectedClient(options: Record<string, unknown> = {}): Promise<Redis> {
    const client = newClient(options);
    await client.connect();
    reporter.clear();
    return client;
  }

  /** Runs `fn` under a new active span and returns that span once `fn` settles. */
  const underParent = (fn: () => Promise<unknown>): Promise<Span> => spanAround(tracer, fn);

  describe(`ioredis ${label} instrumentation (real Redis)`, function () {
    let client: Redis;

    before(async () => {
      instrumentRedis(Redis, { tracer });
      client = await connectedClient();
    });

    after(async () => {
      const cleaner = new Redis(REDIS_URL);
      await runWithoutTracing(async () => {
        const keys = await cleaner.keys(`${key('')}*`);
        if (keys.length > 0) await cleaner.del(...keys);
      });
      cleaner.disconnect();
      for (const c of clients) c.disconnect();
      uninstrumentRedis(Redis);
    });

    beforeEach(() => reporter.clear());

    it('makes a client span per command, named and tagged, child of the active span', async () => {
      const parent = await underParent(async () => {
        assert.equal(await client.set(key('a'), 'value-1'), 'OK');
        assert.equal(await client.get(key('a')), 'value-1');
      });
      const [set] = byName(reporter.spans, 'SET');
      const [get] = byName(reporter.spans, 'GET');
      assert.ok(set && get, 'SET and GET spans');
      for (const span of [set, get]) {
        assert.equal(span.traceId, parent.traceId);
        assert.equal(span.parentId, parent.spanId);
        const tags = tagsOf(span);
        assert.equal(tags['span.kind'], 'client');
        assert.equal(tags['component'], 'ioredis');
        assert.equal(tags['db.type'], 'redis');
        assert.equal(tags['db.instance'], '0');
        assert.equal(tags['peer.hostname'], new URL(REDIS_URL).hostname);
        assert.equal(tags['peer.port'], Number(new URL(REDIS_URL).port || 6379));
        assert.equal(tags['error'], undefined);
      }
      assert.equal(tagsOf(set)['db.statement'], `SET ${key('a')} ?`);
      assert.equal(tagsOf(get)['db.statement'], `GET ${key('a')}`);
      // a span ends when its reply arrives, before the parent
      assert.ok(set.duration > 0 && set.startTime + set.duration <= parent.startTime + parent.duration);
    });

    it('records no value and no credential anywhere in the spans', async () => {
      const secret = 'S3cr3t-value-' + Date.now();
      await client.set(key('secret'), secret, 'EX', 60);
      await client.hset(key('hash'), 'password', secret);
      await client.mset(key('m1'), secret, key('m2'), secret);
      await assert.rejects(client.call('AUTH', secret) as Promise<unknown>);
      await client.call('HELLO', '2', 'AUTH', 'default', secret);
      assert.equal(await client.get(key('secret')), secret);
      const spans = reporter.spans;
      assert.deepEqual(
        spans.map((s) => s.operationName),
        ['SET', 'HSET', 'MSET', 'AUTH', 'HELLO', 'GET'],
      );
      assert.equal(tagsOf(byName(spans, 'AUTH')[0]!)['db.statement'], 'AUTH ?');
      assert.equal(tagsOf(byName(spans, 'HELLO')[0]!)['db.statement'], 'HELLO ? ? ? ?');
      assert.equal(tagsOf(byName(spans, 'MSET')[0]!)['db.statement'], `MSET ${key('m1')} ? ${key('m2')} ?`);
      const recorded = everythingRecorded(spans);
      assert.ok(recorded.includes(key('secret')), 'key names are recorded');
      assert.ok(!recorded.includes(secret), 'the secret value is not');
    });

    it('records errors (WRONGTYPE) and passes them on unchanged', async () => {
      await client.lpush(key('list'), 'x');
      reporter.clear();
      const err = await client.get(key('list')).then(
        () => assert.fail('GET on a list must fail'),
        (e: Error) => e,
      );
      assert.match(err.message, /^WRONGTYPE/);
      const [get] = byName(reporter.spans, 'GET');
      assert.equal(tagsOf(get!)['error'], true);
      const log = get!.logs.find((l) => l.fields.some((f) => f.key === 'event' && f.value === 'error'));
      const fields = Object.fromEntries(log!.fields.map((f) => [f.key, f.value]));
      assert.equal(fields['error.kind'], 'ReplyError');
      assert.match(String(fields['message']), /^WRONGTYPE/);
    });

    it('keeps the caller context in callbacks and after await', async () => {
      let inCallback: Span | undefined;
      let afterAwait: Span | undefined;
      const parent = await underParent(async () => {
        await new Promise<void>((resolve, reject) => {
          client.set(key('cb'), '1', (err, reply) => {
            inCallback = activeSpan();
            if (err) reject(err);
            else {
              assert.equal(reply, 'OK');
              resolve();
            }
          });
        });
        await client.get(key('cb'));
        afterAwait = activeSpan();
      });
      assert.equal(inCallback, parent);
      assert.equal(afterAwait, parent);
      assert.equal(byName(reporter.spans, 'SET')[0]!.parentId, parent.spanId);
    });

    it('traces a pipeline as a PIPELINE span with one child span per command', async () => {
      await client.lpush(key('plist'), 'x');
      reporter.clear();
      let results: Array<[Error | null, unknown]> | null = null;
      const parent = await underParent(async () => {
        results = await client.pipeline().set(key('p1'), 'v').get(key('p1')).get(key('plist')).exec();
      });
      assert.equal(results![0]![1], 'OK');
      assert.equal(results![1]![1], 'v');
      assert.match(String(results![2]![0]), /WRONGTYPE/);
      const [pipeline] = byName(reporter.spans, 'PIPELINE');
      assert.ok(pipeline);
      assert.equal(pipeline.parentId, parent.spanId);
      const tags = tagsOf(pipeline);
      assert.equal(tags['db.statement'], `SET ${key('p1')} ?\nGET ${key('p1')}\nGET ${key('plist')}`);
      assert.equal(tags['db.redis.batch_size'], 3);
      assert.equal(tags['error'], undefined, 'a failed command does not fail the pipeline');
      const children = reporter.spans.filter((s) => s.parentId === pipeline.spanId);
      assert.deepEqual(children.map((s) => s.operationName).sort(), ['GET', 'GET', 'SET']);
      const failed = children.filter((s) => tagsOf(s)['error'] === true);
      assert.equal(failed.length, 1);
      assert.equal(tagsOf(failed[0]!)['db.statement'], `GET ${key('plist')}`);
      for (const child of children) assert.ok(child.startTime + child.duration <= pipeline.startTime + pipeline.duration);
    });

    it('keeps the caller context in a pipeline exec callback', async () => {
      let inCallback: Span | undefined;
      const parent = await underParent(
        () =>
          new Promise<void>((resolve) => {
            client
              .pipeline()
              .get(key('p1'))
              .exec(() => {
                inCallback = activeSpan();
                resolve();
              });
          }),
      );
      assert.equal(inCallback, parent);
    });

    it('traces MULTI as one MULTI span; commands end with EXEC and carry their own errors', async () => {
      await client.set(key('counter'), 'not-a-number');
      reporter.clear();
      let results: unknown;
      const parent = await underParent(async () => {
        results = await client.multi().set(key('t1'), 'v').incr(key('counter')).exec();
      });
      const [setResult, incrResult] = results as Array<[Error | null, unknown]>;
      assert.deepEqual(setResult, [null, 'OK']);
      assert.match(String(incrResult![0]), /not an integer/);
      const names = reporter.spans.map((s) => s.operationName).sort();
      assert.deepEqual(names, ['INCR', 'MULTI', 'SET', 'parent'], 'no spans for the MULTI/EXEC commands themselves');
      const [multi] = byName(reporter.spans, 'MULTI');
      assert.equal(multi!.parentId, parent.spanId);
      assert.equal(tagsOf(multi!)['db.statement'], `SET ${key('t1')} ?\nINCR ${key('counter')}`);
      assert.equal(tagsOf(multi!)['error'], undefined);
      const [set] = byName(reporter.spans, 'SET');
      const [incr] = byName(reporter.spans, 'INCR');
      assert.equal(set!.parentId, multi!.spanId);
      assert.equal(incr!.parentId, multi!.spanId);
      assert.equal(tagsOf(set!)['error'], undefined);
      assert.equal(tagsOf(incr!)['error'], true, 'the runtime error inside EXEC lands on INCR');
    });

    it('records an aborted transaction (EXECABORT) on the MULTI span and its commands', async () => {
      const err = await client
        .multi()
        .set(key('t2'), 'v')
        .call('SET', key('t2'))
        .exec()
        .then(
          () => assert.fail('EXEC must fail'),
          (e: Error) => e,
        );
      assert.match(err.message, /EXECABORT/);
      const [multi] = byName(reporter.spans, 'MULTI');
      assert.equal(tagsOf(multi!)['error'], true);
      const sets = byName(reporter.spans, 'SET');
      assert.equal(sets.length, 2);
      for (const set of sets) {
        assert.equal(set.parentId, multi!.spanId);
        assert.equal(tagsOf(set)['error'], true);
      }
      assert.equal(await client.exists(key('t2')), 0);
    });

    it('traces multi({ pipeline: false }) as the plain commands', async () => {
      await client.multi({ pipeline: false });
      await client.set(key('t3'), 'v');
      const results = await client.exec();
      assert.deepEqual(results, [[null, 'OK']]);
      assert.deepEqual(
        reporter.spans.map((s) => s.operationName),
        ['MULTI', 'SET', 'EXEC'],
      );
    });

    it('makes no span when tracing is suppressed', async () => {
      await runWithoutTracing(async () => {
        await client.set(key('quiet'), 'v');
        await client.pipeline().get(key('quiet')).exec();
      });
      assert.equal(reporter.spans.length, 0);
    });

    it('requireParentSpan: traces only commands issued under an active span', async () => {
      instrumentRedis(Redis, { tracer, requireParentSpan: true });
      try {
        await client.get(key('a'));
        await client.pipeline().get(key('a')).exec();
        assert.equal(reporter.spans.length, 0);
        await underParent(() => client.get(key('a')));
        assert.deepEqual(
          reporter.spans.map((s) => s.operationName),
          ['GET', 'parent'],
        );
      } finally {
        instrumentRedis(Redis, { tracer });
      }
    });

    it('auto-pipelined commands belong to their own callers, with no PIPELINE span', async () => {
      const auto = await connectedClient({ enableAutoPipelining: true });
      const parents: Span[] = [];
      await Promise.all(
        [1, 2, 3].map((n) =>
          tracer.trace(`caller-${n}`, async (span) => {
            parents.push(span);
            await auto.get(key(`auto-${n}`));
          }),
        ),
      );
      assert.equal(auto.autoPipelineQueueSize, 0);
      assert.equal(byName(reporter.spans, 'PIPELINE').length, 0);
      const gets = byName(reporter.spans, 'GET');
      assert.equal(gets.length, 3);
      for (const get of gets) {
        const caller = parents.find((p) => p.spanId === get.parentId);
        assert.ok(caller, 'parented on a caller');
        assert.equal(get.traceId, caller.traceId);
        assert.equal(tagsOf(get)['db.statement'], `GET ${key(`auto-${caller.operationName.slice(-1)}`)}`);
      }
    });

    it('reports the db index in use as db.instance', async () => {
      const db2 = await connectedClient({ db: 2 });
      await db2.get(key('x'));
      assert.equal(tagsOf(byName(reporter.spans, 'GET')[0]!)['db.instance'], '2');
    });

    it('does not trace connection setup by default, nor on reconnect', async () => {
      const c = newClient({ db: 3, connectionName: 'jt-test' });
      await c.connect();
      await c.get(key('x'));
      assert.deepEqual(
        reporter.spans.map((s) => s.operationName),
        ['GET'],
      );
      reporter.clear();
      c.disconnect(true);
      await once(c, 'ready');
      await c.get(key('x'));
      assert.deepEqual(
        reporter.spans.map((s) => s.operationName),
        ['GET'],
      );
    });

    it('traceConnect: a connect span per attempt with the setup commands as children', async () => {
      instrumentRedis(Redis, { tracer, traceConnect: true });
      try {
        const c = newClient({ db: 3, connectionName: 'jt-test' });
        // issued before the connection is ready: queued offline, sent once, traced once
        const early = c.get(key('early'));
        await once(c, 'ready');
        await early;
        await waitFor(() => byName(reporter.spans, 'connect').length === 1, 'connect span', 3000);
        const [connect] = byName(reporter.spans, 'connect');
        assert.equal(tagsOf(connect!)['component'], 'ioredis');
        const children = reporter.spans.filter((s) => s.parentId === connect!.spanId).map((s) => s.operationName);
        assert.ok(children.includes('INFO'), `ready check among ${children}`);
        assert.ok(children.includes('SELECT'), `SELECT among ${children}`);
        assert.ok(children.includes('CLIENT'), `CLIENT among ${children}`);
        assert.equal(byName(reporter.spans, 'GET').length, 1);
        assert.notEqual(byName(reporter.spans, 'GET')[0]!.parentId, connect!.spanId);

        reporter.clear();
        c.disconnect(true);
        await once(c, 'ready');
        await waitFor(() => byName(reporter.spans, 'connect').length === 1, 'connect span', 3000);
        const [reconnect] = byName(reporter.spans, 'connect');
        assert.ok(reporter.spans.some((s) => s.parentId === reconnect!.spanId && s.operationName === 'INFO'));
      } finally {
        instrumentRedis(Redis, { tracer });
      }
    });

    it('traceConnect: a failed connection attempt is an error span', async () => {
      instrumentRedis(Redis, { tracer, traceConnect: true });
      try {
        const port = await closedPort();
        const c = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => null });
        clients.push(c);
        c.on('error', () => {});
        await assert.rejects(c.connect());
        const [connect] = byName(reporter.spans, 'connect');
        assert.equal(tagsOf(connect!)['error'], true);
        assert.equal(tagsOf(connect!)['peer.port'], port);
      } finally {
        instrumentRedis(Redis, { tracer });
      }
    });

    it('is idempotent and undoable; the auto hook patches the module', async () => {
      const original = Redis.prototype.sendCommand;
      instrumentRedis(Redis, { tracer });
      assert.equal(Redis.prototype.sendCommand, original, 'not wrapped twice');
      await client.get(key('a'));
      assert.equal(reporter.spans.length, 1);

      uninstrumentRedis(Redis);
      assert.equal(isWrapped(Redis.prototype.sendCommand), false);
      reporter.clear();
      await client.get(key('a'));
      assert.equal(reporter.spans.length, 0, 'no spans once uninstrumented');

      const instrumentation = redisInstrumentation({ tracer });
      assert.equal(instrumentation.name, 'ioredis');
      const [hook] = instrumentation.hooks;
      assert.equal(hook!.name, 'ioredis');
      assert.equal(hook!.versions, '>=5 <7');
      hook!.patch(ioredisModule, version);
      assert.equal(isWrapped(Redis.prototype.sendCommand), true);
      await client.get(key('a'));
      assert.equal(reporter.spans.length, 1);
    });
  });
}
