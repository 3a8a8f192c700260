import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { activeSpan, isTracingSuppressed, isWrapped, runWithoutTracing, type Span } from '@jt/core';
import { byName, errorFields, everythingRecorded, newTracer, spanAround, tagsOf } from '@jt/test-utils';
import { instrumentPg, pgInstrumentation, sanitizeSql, uninstrumentPg } from '../src';
import { PG_CONFIG, TABLE } from './helpers';

const { tracer, reporter } = newTracer('pg-test');
const pools: pg.Pool[] = [];
const clients: pg.Client[] = [];

async function newClient(): Promise<pg.Client> {
  const client = new pg.Client(PG_CONFIG);
  clients.push(client);
  await client.connect();
  return client;
}

function newPool(max: number): pg.Pool {
  const pool = new pg.Pool({ ...PG_CONFIG, max });
  pools.push(pool);
  return pool;
}

/** Runs `fn` under a new active span and returns that span once `fn` settles. */
const underParent = (fn: () => Promise<unknown>): Promise<Span> => spanAround(tracer, fn);

function queryWithCallback<R>(run: (cb: (err: Error | null, res: R) => void) => void): Promise<{ res: R; span: Span | undefined }> {
  return new Promise((resolve, reject) => {
    run((err, res) => {
      if (err) reject(err);
      else resolve({ res, span: activeSpan() });
    });
  });
}

describe('pg instrumentation (real PostgreSQL)', function () {
  let client: pg.Client;

  before(async () => {
    instrumentPg(pg, { tracer });
    client = await newClient();
    await runWithoutTracing(() =>
      client.query(`CREATE TABLE ${TABLE} (id serial PRIMARY KEY, email text UNIQUE NOT NULL, password text)`),
    );
  });

  after(async () => {
    await runWithoutTracing(() => client.query(`DROP TABLE IF EXISTS ${TABLE}`));
    for (const pool of pools) await pool.end();
    for (const c of clients) await c.end();
    uninstrumentPg(pg);
  });

  beforeEach(() => reporter.clear());

  it('makes a client span named by the SQL verb, tagged, child of the active span', async () => {
    let rows: unknown[] = [];
    const parent = await underParent(async () => {
      rows = (await client.query('SELECT 1 AS one, $1::text AS two', ['x'])).rows;
    });
    assert.deepEqual(rows, [{ one: 1, two: 'x' }]);
    const [span] = byName(reporter.spans, 'SELECT');
    assert.ok(span);
    assert.equal(span.traceId, parent.traceId);
    assert.equal(span.parentId, parent.spanId);
    assert.deepEqual(tagsOf(span), {
      'span.kind': 'client',
      component: 'pg',
      'db.type': 'postgresql',
      'db.instance': PG_CONFIG.database,
      'db.user': PG_CONFIG.user,
      'peer.hostname': PG_CONFIG.host,
      'peer.port': PG_CONFIG.port,
      'db.statement': 'SELECT ? AS one, $1::text AS two',
    });
    assert.ok(span.duration > 0 && span.startTime + span.duration <= parent.startTime + parent.duration);
  });

  it('never records parameter values or literals', async () => {
    const secret = `pw-${Date.now()}-secret`;
    await client.query(`INSERT INTO ${TABLE} (email, password) VALUES ($1, $2)`, ['a@example.com', secret]);
    await client.query(
      `SELECT count(*) FROM ${TABLE} WHERE password = '${secret}' OR password = E'${secret}\\'' OR password = $$${secret}$$ -- ${secret}`,
    );
    await client.query({ text: `UPDATE ${TABLE} SET password = $1 WHERE email = $2`, values: [secret, 'a@example.com'] });
    const statements = reporter.spans.map((s) => tagsOf(s)['db.statement']);
    assert.deepEqual(statements, [
      `INSERT INTO ${TABLE} (email, password) VALUES ($1, $2)`,
      `SELECT count(*) FROM ${TABLE} WHERE password = ? OR password = ? OR password = ? `,
      `UPDATE ${TABLE} SET password = $1 WHERE email = $2`,
    ]);
    assert.ok(!everythingRecorded(reporter.spans).includes(secret), 'the secret appears nowhere');
  });

  it('sanitizeStatement: false records the SQL as written (still no parameter values)', async () => {
    instrumentPg(pg, { tracer, sanitizeStatement: false });
    try {
      await client.query("SELECT 'literal' AS a, $1::int AS b", [12345]);
      assert.equal(tagsOf(reporter.spans[0]!)['db.statement'], "SELECT 'literal' AS a, $1::int AS b");
      assert.ok(!everythingRecorded(reporter.spans).includes('12345'));
    } finally {
      instrumentPg(pg, { tracer });
    }
  });

  it('names a prepared statement span by its name', async () => {
    const config = { name: 'jt-count-users', text: `SELECT count(*) AS n FROM ${TABLE} WHERE id > $1`, values: [0] };
    await client.query(config);
    await client.query(config);
    const spans = byName(reporter.spans, 'jt-count-users');
    assert.equal(spans.length, 2);
    for (const span of spans) {
      assert.equal(tagsOf(span)['pg.statement_name'], 'jt-count-users');
      assert.equal(tagsOf(span)['db.statement'], `SELECT count(*) AS n FROM ${TABLE} WHERE id > $1`);
    }
  });

  it('traces every callback form and runs callbacks in the caller context', async () => {
    const seen: Array<Span | undefined> = [];
    const parent = await underParent(async () => {
      seen.push((await queryWithCallback<pg.QueryResult>((cb) => client.query('SELECT 1 AS a', cb))).span);
      seen.push((await queryWithCallback<pg.QueryResult>((cb) => client.query('SELECT $1::int AS b', [2], cb))).span);
      seen.push(
        (await queryWithCallback<pg.QueryResult>((cb) => client.query({ text: 'SELECT 3 AS c', callback: cb } as never))).span,
      );
      seen.push((await queryWithCallback<pg.QueryResult>((cb) => client.query({ text: 'SELECT 4 AS d' }, cb))).span);
    });
    assert.deepEqual(seen, [parent, parent, parent, parent]);
    const selects = byName(reporter.spans, 'SELECT');
    assert.equal(selects.length, 4);
    for (const span of selects) assert.equal(span.parentId, parent.spanId);
    // each span ended before its callback ran, so before the parent
    for (const span of selects) assert.ok(span.startTime + span.duration <= parent.startTime + parent.duration);
  });

  it('records a syntax error with its SQLSTATE and passes the error on unchanged', async () => {
    const err = await client.query('SELEC 1').then(
      () => assert.fail('must fail'),
      (e: pg.DatabaseError) => e,
    );
    assert.equal(err.code, '42601');
    const [span] = reporter.spans;
    assert.equal(span!.operationName, 'SELEC');
    assert.equal(tagsOf(span!)['error'], true);
    assert.equal(tagsOf(span!)['db.sqlstate'], '42601');
    assert.match(String(errorFields(span!)?.['message']), /syntax error/);
  });

  it('records a unique violation (23505), also in callback form, without the row values', async () => {
    const email = `dup-${Date.now()}@example.com`;
    await client.query(`INSERT INTO ${TABLE} (email) VALUES ($1)`, [email]);
    reporter.clear();
    const err = await new Promise<pg.DatabaseError>((resolve) =>
      client.query(`INSERT INTO ${TABLE} (email) VALUES ($1)`, [email], (e) => resolve(e as pg.DatabaseError)),
    );
    assert.equal(err.code, '23505');
    assert.match(String(err.detail), new RegExp(email.replace(/\./g, '\\.')), 'pg itself reports the value in detail');
    const [span] = reporter.spans;
    assert.equal(tagsOf(span!)['db.sqlstate'], '23505');
    assert.equal(tagsOf(span!)['error'], true);
    assert.ok(!everythingRecorded(reporter.spans).includes(email));
  });

  it('traces a Submittable (pg Query) until it ends, and returns it', async () => {
    const query = new pg.Query('SELECT generate_series(1, 3) AS n');
    const rows: unknown[] = [];
    let endSpanCount = -1;
    const parent = await underParent(async () => {
      const returned = client.query(query);
      assert.equal(returned, query, 'query(submittable) returns the submittable');
      query.on('row', (row: unknown) => rows.push(row));
      await new Promise<void>((resolve, reject) => {
        query.on('end', () => {
          endSpanCount = byName(reporter.spans, 'SELECT').length;
          resolve();
        });
        query.on('error', reject);
      });
    });
    assert.deepEqual(rows, [{ n: 1 }, { n: 2 }, { n: 3 }]);
    assert.equal(endSpanCount, 1, 'the span has ended when the Submittable emits end');
    const [span] = byName(reporter.spans, 'SELECT');
    assert.equal(span!.parentId, parent.spanId);
    assert.equal(tagsOf(span!)['db.statement'], 'SELECT generate_series(?, ?) AS n');
  });

  it('binds a Submittable callback to the caller and records its error', async () => {
    let inCallback: Span | undefined;
    let error: (Error & { code?: string }) | undefined;
    const parent = await underParent(
      () =>
        new Promise<void>((resolve) => {
          client.query(
            new pg.Query('SELECT * FROM jt_no_such_table_x', [], (err: Error | undefined) => {
              inCallback = activeSpan();
              error = err;
              resolve();
            }),
          );
        }),
    );
    assert.equal(inCallback, parent);
    assert.equal(error?.code, '42P01');
    const [span] = byName(reporter.spans, 'SELECT');
    assert.equal(tagsOf(span!)['db.sqlstate'], '42P01');
  });

  it('traces a cursor-like Submittable that is not a pg Query (delegating to one)', async () => {
    // pg-cursor is not installed: this stands in for it, a Submittable class of its own
    class RowCounter extends EventEmitter {
      readonly text: string;
      count = 0;
      private readonly inner: pg.Query;
      constructor(text: string) {
        super();
        this.text = text;
        this.inner = new pg.Query(text);
        this.inner.on('row', () => this.count++);
        this.inner.on('end', () => this.emit('end', this.count));
        this.inner.on('error', (err: Error) => this.emit('error', err));
      }
      submit(connection: unknown): unknown {
        return (this.inner as unknown as { submit(c: unknown): unknown }).submit(connection);
      }
    }
    // every handler pg calls on the active query goes to the inner Query
    for (const method of Object.getOwnPropertyNames(pg.Query.prototype)) {
      if (method.startsWith('handle')) {
        (RowCounter.prototype as unknown as Record<string, unknown>)[method] = function (this: RowCounter, ...args: unknown[]) {
          const inner = (this as unknown as { inner: Record<string, (...a: unknown[]) => unknown> }).inner;
          return inner[method]!(...args);
        };
      }
    }
    const counter = new RowCounter('SELECT generate_series(1, 5)');
    const count = await underParent(async () => {
      client.query(counter as never);
      await new Promise((resolve) => counter.on('end', resolve));
    });
    assert.ok(count);
    assert.equal(counter.count, 5);
    const [span] = byName(reporter.spans, 'SELECT');
    assert.equal(tagsOf(span!)['db.statement'], 'SELECT generate_series(?, ?)');
    assert.ok(span!.duration > 0);
  });

  it('traces Pool#query in promise and callback form', async () => {
    const pool = newPool(2);
    let inCallback: Span | undefined;
    const parent = await underParent(async () => {
      await pool.query('SELECT 1 AS a');
      inCallback = (await queryWithCallback<pg.QueryResult>((cb) => pool.query('SELECT $1::int AS b', [2], cb))).span;
    });
    assert.equal(inCallback, parent);
    const selects = byName(reporter.spans, 'SELECT');
    assert.equal(selects.length, 2);
    for (const span of selects) {
      assert.equal(span.parentId, parent.spanId);
      assert.equal(tagsOf(span)['db.instance'], PG_CONFIG.database);
    }
  });

  it('under pool exhaustion each query joins its own caller trace', async () => {
    const pool = newPool(1);
    const callers: Span[] = [];
    const contextsAfter: Array<[Span, Span | undefined]> = [];
    await Promise.all(
      Array.from({ length: 9 }, (_, n) =>
        tracer.trace(`caller-${n}`, async (span) => {
          callers.push(span);
          const sql = 'SELECT pg_sleep(0.005), $1::int AS n';
          if (n % 3 === 0) {
            await pool.query(sql, [n]);
            await pool.query('SELECT $1::int AS again', [n]);
          } else if (n % 3 === 1) {
            contextsAfter.push([span, (await queryWithCallback<pg.QueryResult>((cb) => pool.query(sql, [n], cb))).span]);
          } else {
            const pooled = await pool.connect();
            try {
              await pooled.query(sql, [n]);
            } finally {
              pooled.release();
            }
          }
          contextsAfter.push([span, activeSpan()]);
        }),
      ),
    );
    // queries on untraced paths after the load: a caller with no span gets a new trace
    await new Promise<void>((resolve, reject) =>
      pool.query('SELECT 42 AS lone', (err) => (err ? reject(err) : resolve())),
    );
    const queries = reporter.spans.filter((s) => tagsOf(s)['component'] === 'pg');
    assert.equal(queries.length, 13);
    for (const query of queries.slice(0, -1)) {
      const caller = callers.find((c) => c.spanId === query.parentId);
      assert.ok(caller, `query span ${query.spanId} is parented on a caller`);
      assert.equal(query.traceId, caller.traceId);
    }
    const lone = queries[queries.length - 1]!;
    assert.equal(lone.parentId, null, 'a caller without a span starts its own trace');
    assert.ok(!callers.some((c) => c.traceId === lone.traceId));
    for (const [caller, seen] of contextsAfter) assert.equal(seen, caller);
  });

  it('makes no span when tracing is suppressed, and keeps the suppression in callbacks', async () => {
    let suppressedInCallback = false;
    await runWithoutTracing(async () => {
      await client.query('SELECT 1');
      await new Promise<void>((resolve) =>
        client.query('SELECT 2', () => {
          suppressedInCallback = isTracingSuppressed();
          resolve();
        }),
      );
    });
    assert.equal(reporter.spans.length, 0);
    assert.equal(suppressedInCallback, true);
  });

  it('requireParentSpan: traces only queries issued under an active span', async () => {
    instrumentPg(pg, { tracer, requireParentSpan: true });
    try {
      await client.query('SELECT 1');
      assert.equal(reporter.spans.length, 0);
      await underParent(() => client.query('SELECT 1'));
      assert.deepEqual(
        reporter.spans.map((s) => s.operationName),
        ['SELECT', 'parent'],
      );
    } finally {
      instrumentPg(pg, { tracer });
    }
  });

  it('traceConnect: pg.connect and pg-pool.connect spans', async () => {
    instrumentPg(pg, { tracer, traceConnect: true });
    try {
      const pool = newPool(1);
      const parent = await underParent(async () => {
        await pool.query('SELECT 1');
      });
      const [poolConnect] = byName(reporter.spans, 'pg-pool.connect');
      const [connect] = byName(reporter.spans, 'pg.connect');
      assert.ok(poolConnect && connect);
      assert.equal(poolConnect.parentId, parent.spanId);
      assert.equal(connect.parentId, poolConnect.spanId, 'the new connection is part of the checkout');
      assert.equal(tagsOf(poolConnect)['pg.pool.waiting'], 0);
      assert.equal(tagsOf(connect)['db.instance'], PG_CONFIG.database);
      assert.equal(byName(reporter.spans, 'SELECT')[0]!.parentId, parent.spanId);

      reporter.clear();
      const bad = new pg.Client({ ...PG_CONFIG, database: 'jt_no_such_database' });
      await assert.rejects(bad.connect());
      const [failed] = byName(reporter.spans, 'pg.connect');
      assert.equal(tagsOf(failed!)['error'], true);
      assert.equal(tagsOf(failed!)['db.sqlstate'], '3D000');
    } finally {
      instrumentPg(pg, { tracer });
    }
  });

  it('agrees with PostgreSQL on where literals end', async () => {
    // each statement has exactly one literal; the server returning one column proves where it ends
    const chars = ["'", '\\', '$', 'a', ' ', '\n', 'é', '€', '"', '-', '*', '/', 'x'];
    const bodies: string[] = [];
    for (let i = 0; i < 40; i++) {
      let body = '';
      for (let j = 0; j < 1 + ((i * 7) % 11); j++) body += chars[(i * 31 + j * 17) % chars.length];
      bodies.push(body);
    }
    const literals = [
      ...bodies.map((b) => `'${b.replace(/'/g, "''")}'`),
      ...bodies.map((b) => `E'${b.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`),
      ...bodies.map((b) => `$$${b.replace(/\$/g, '')}$$`),
      ...bodies.map((b) => `$t1$${b}$t1$`),
      ...bodies.map((b) => `U&'${b.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`),
      "B'0101'",
      "X'1F'",
      '42',
      '1.5e3',
      '.5',
      '7.',
      '1E-2',
    ];
    const results: string[] = [];
    await runWithoutTracing(async () => {
      for (const literal of literals) {
        const sql = `SELECT ${literal} AS v`;
        const res = await client.query(sql);
        assert.equal(res.fields.length, 1, sql);
        results.push(sql);
      }
    });
    for (const sql of results) assert.equal(sanitizeSql(sql), 'SELECT ? AS v', sql);
  });

  it('is idempotent and undoable; the auto hook patches pg and leaves pg.native alone', async () => {
    const wrapped = pg.Client.prototype.query;
    instrumentPg(pg, { tracer });
    assert.equal(pg.Client.prototype.query, wrapped, 'not wrapped twice');

    uninstrumentPg(pg);
    assert.equal(isWrapped(pg.Client.prototype.query), false);
    assert.equal(isWrapped(pg.Pool.prototype.connect), false);
    await client.query('SELECT 1');
    assert.equal(reporter.spans.length, 0);

    const instrumentation = pgInstrumentation({ tracer });
    assert.equal(instrumentation.name, 'pg');
    const [hook] = instrumentation.hooks;
    assert.equal(hook!.name, 'pg');
    assert.equal(hook!.versions, '>=8 <9');
    hook!.patch(require('pg'), '8.23.1');
    assert.equal(isWrapped(pg.Client.prototype.query), true);
    const native = Object.getOwnPropertyDescriptor(pg, 'native');
    assert.equal(typeof native?.get, 'function', 'the lazy native getter was not triggered');
    await client.query('SELECT 1');
    assert.equal(reporter.spans.length, 1);
  });
});
