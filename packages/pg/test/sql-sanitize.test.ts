import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { sanitizeSql, sqlVerb } from '../src/sql-sanitize';

describe('sanitizeSql', () => {
  const cases: Array<[string, string]> = [
    ["SELECT * FROM users WHERE email = 'a@b.c' AND password = 'hunter2'", 'SELECT * FROM users WHERE email = ? AND password = ?'],
    ["SELECT 'it''s' AS a", 'SELECT ? AS a'],
    ["SELECT 'C:\\' AS path, 'next'", 'SELECT ? AS path, ?'],
    ["SELECT E'it\\'s \\\\ hidden', e'x'", 'SELECT ?, ?'],
    ["SELECT B'0101', X'FF', N'text', U&'d\\0061t' UESCAPE '!'", 'SELECT ?, ?, ?, ? UESCAPE ?'],
    ['SELECT $$ it\'s $ secret $$, $body$ a $$ b $body$', 'SELECT ?, ?'],
    ['SELECT 42, -3.5e10, .5, 1.5E-3, 0x1F, 0o17, 0b101, 1_000_000, 7.', 'SELECT ?, -?, ?, ?, ?, ?, ?, ?, ?'],
    ['SELECT t1.col2, "Weird ""name"" 1", tbl$1 FROM s1.t1 WHERE a = $1 AND b = $12', 'SELECT t1.col2, "Weird ""name"" 1", tbl$1 FROM s1.t1 WHERE a = $1 AND b = $12'],
    ["SELECT '2020-01-01'::date, ARRAY[1, 2], '{3,4}'::int[]", 'SELECT ?::date, ARRAY[?, ?], ?::int[]'],
    ["SELECT 1 -- secret 'x'\nFROM t /* it's /* nested */ 'secret' */ WHERE a = 'b'", 'SELECT ? \nFROM t   WHERE a = ?'],
    ['SELECT e.name, x1, b FROM emp e', 'SELECT e.name, x1, b FROM emp e'],
    ["UPDATE t SET v = 'a'\n'b' WHERE id IN (1, 2)", 'UPDATE t SET v = ?\n? WHERE id IN (?, ?)'],
    ['SELECT 1e', 'SELECT ?e'],
    ['', ''],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input).slice(0, 60)}`, () => {
      assert.equal(sanitizeSql(input), expected);
    });
  }

  it('hides everything after an unterminated literal or comment', () => {
    assert.equal(sanitizeSql("SELECT 'secret"), 'SELECT ?');
    assert.equal(sanitizeSql("SELECT E'secret\\'"), 'SELECT ?');
    assert.equal(sanitizeSql('SELECT $$secret'), 'SELECT ?');
    assert.equal(sanitizeSql('SELECT 1 /* secret /* */'), 'SELECT ?  ');
  });

  it('returns the same string when there is nothing to replace', () => {
    const sql = 'SELECT a, b FROM t WHERE c = $1';
    assert.equal(sanitizeSql(sql), sql);
  });

  it('never leaks a literal body (property)', () => {
    const secret = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{7,20}$/);
    const noise = fc.string({ unit: fc.constantFrom('a', ' ', '\\', "'", '$', '"', '*', '/', '-', '\n', 'x') , maxLength: 12 });
    const literal = fc.tuple(secret, noise, fc.integer({ min: 0, max: 6 })).map(([s, extra, form]) => {
      const inner = `${s}${extra}`;
      switch (form) {
        case 0:
          return { s, sql: `'${inner.replace(/'/g, "''")}'` };
        case 1:
          return { s, sql: `E'${inner.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` };
        case 2:
          return { s, sql: `$$${inner.replace(/\$/g, '')}$$` };
        case 3:
          return { s, sql: `$q$${inner.replace(/\$/g, '')}$q$` };
        case 4:
          return { s, sql: `U&'${inner.replace(/'/g, "''")}'` };
        case 5:
          return { s, sql: `/* ${inner.replace(/\*|\//g, '')} */ 1` };
        default:
          return { s, sql: `-- ${inner.replace(/[\r\n]/g, '')}\n1` };
      }
    });
    fc.assert(
      fc.property(fc.array(literal, { minLength: 1, maxLength: 4 }), fc.constantFrom('SELECT ', 'INSERT INTO t VALUES (', 'UPDATE t SET a = '), (parts, head) => {
        const sql = head + parts.map((p) => p.sql).join(', ') + ' WHERE id = $1';
        const clean = sanitizeSql(sql);
        for (const part of parts) assert.ok(!clean.includes(part.s), `${part.s} leaked from ${sql} into ${clean}`);
        assert.ok(clean.endsWith(' WHERE id = $1'), `tail kept: ${clean}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps statements without literals byte for byte (property)', () => {
    const token = fc.constantFrom('SELECT', 'a1', 'tbl$x', '"Q ""x"" 9"', '$1', '$22', ',', '(', ')', '=', '::', 'int', '.', '*', '+', '||', ' ', '\n');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), (tokens) => {
        const sql = tokens.join(' ');
        assert.equal(sanitizeSql(sql), sql);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (sql) => {
        assert.equal(typeof sanitizeSql(sql), 'string');
        sqlVerb(sql);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('sqlVerb', () => {
  it('is the first keyword, upper case', () => {
    assert.equal(sqlVerb('select 1'), 'SELECT');
    assert.equal(sqlVerb('  \n-- why\n/* c /* n */ */ (SELECT 1) UNION (SELECT 2)'), 'SELECT');
    assert.equal(sqlVerb('WITH x AS (SELECT 1) SELECT * FROM x'), 'WITH');
    assert.equal(sqlVerb('insert into t values (1)'), 'INSERT');
    assert.equal(sqlVerb('BEGIN'), 'BEGIN');
    assert.equal(sqlVerb(''), undefined);
    assert.equal(sqlVerb('  -- only a comment'), undefined);
    assert.equal(sqlVerb('$1'), undefined);
  });
});
