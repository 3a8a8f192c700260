import { strict as assert } from 'node:assert';
import { Command } from 'ioredis';
import type { CommandShape } from '../src/ioredis-shapes';
import { resolveRedisOptions } from '../src/options';
import { commandStatement, defaultRedisStatement, joinStatements } from '../src/statement';

// Key positions come from ioredis' own command table, through real Command objects.
function statementOf(name: string, args: Array<string | Buffer | number>, options = resolveRedisOptions()): string | undefined {
  return commandStatement(name.toUpperCase(), new Command(name, args) as unknown as CommandShape, options);
}

describe('redis statement (default serializer)', () => {
  it('keeps command and key names, replaces every value by ?', () => {
    assert.equal(statementOf('get', ['user:1']), 'GET user:1');
    assert.equal(statementOf('set', ['user:1', 'secret', 'EX', 10]), 'SET user:1 ? ? ?');
    assert.equal(statementOf('hset', ['h', 'field', 'value']), 'HSET h ? ?');
    assert.equal(statementOf('mset', ['a', '1', 'b', '2']), 'MSET a ? b ?');
    assert.equal(statementOf('del', ['a', 'b', 'c']), 'DEL a b c');
    assert.equal(statementOf('eval', ['return redis.call("get", KEYS[1])', 1, 'k1', 'argv-secret']), 'EVAL ? ? k1 ?');
  });

  it('never shows credentials', () => {
    assert.equal(statementOf('auth', ['hunter2']), 'AUTH ?');
    assert.equal(statementOf('auth', ['alice', 'hunter2']), 'AUTH ? ?');
    assert.equal(statementOf('hello', [3, 'AUTH', 'alice', 'hunter2']), 'HELLO ? ? ? ?');
    assert.equal(statementOf('acl', ['SETUSER', 'bob', '>hunter2']), 'ACL SETUSER ? ?');
    assert.equal(statementOf('config', ['set', 'requirepass', 'hunter2']), 'CONFIG SET ? ?');
  });

  it('shows a value equal to a key at most as the key name it equals', () => {
    assert.equal(statementOf('set', ['same', 'same']), 'SET same ?');
  });

  it('records unknown commands by name only', () => {
    assert.equal(statementOf('my.modulecmd', ['a', 'b']), 'MY.MODULECMD ? ?');
  });

  it('cuts long keys, binary keys and long statements', () => {
    const long = 'k'.repeat(300);
    assert.equal(statementOf('get', [long]), `GET ${'k'.repeat(128)}…`);
    assert.equal(statementOf('get', [Buffer.from([0, 1, 2, 0xff])]), 'GET ?');
    assert.equal(statementOf('get', [Buffer.from('plain-key')]), 'GET plain-key');
    const keys = Array.from({ length: 5000 }, (_, i) => `key:${i}`);
    const text = statementOf('del', keys)!;
    assert.ok(text.length <= 1001, `length ${text.length}`);
    assert.ok(text.endsWith('…'));
    assert.equal(defaultRedisStatement('GET', ['abcdef'], ['abcdef'], 3, 100), 'GET abc…');
    assert.equal(joinStatements(['GET a', 'GET b'], 100), 'GET a\nGET b');
  });

  it('uses the user serializer (upper-case name, raw args) and survives it throwing', () => {
    const seen: unknown[] = [];
    const custom = resolveRedisOptions({
      statementSerializer: (name, args) => {
        seen.push(name, [...args]);
        return `${name} (${args.length} args)`;
      },
    });
    assert.equal(statementOf('set', ['k', 'v'], custom), 'SET (2 args)');
    assert.deepEqual(seen, ['SET', ['k', 'v']]);
    const throwing = resolveRedisOptions({
      statementSerializer: () => {
        throw new Error('boom');
      },
    });
    assert.equal(statementOf('get', ['k'], throwing), undefined);
    const silent = resolveRedisOptions({ statementSerializer: () => undefined });
    assert.equal(statementOf('get', ['k'], silent), undefined);
  });
});
