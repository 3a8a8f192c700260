import { safeExecute } from '@jt/core';
import { commandArgs, type CommandShape } from './ioredis-shapes';
import type { ResolvedRedisOptions } from './options';

/** Commands whose first argument is a subcommand name (`CLIENT SETNAME`), which is safe to show. */
const CONTAINER_COMMANDS = new Set([
  'ACL', 'CLIENT', 'CLUSTER', 'COMMAND', 'CONFIG', 'DEBUG', 'FUNCTION', 'LATENCY', 'MEMORY',
  'MODULE', 'OBJECT', 'PUBSUB', 'SCRIPT', 'SLOWLOG', 'XGROUP', 'XINFO',
]);
const SUBCOMMAND = /^[A-Za-z][A-Za-z-]{0,31}$/;
const ELLIPSIS = '…';

/**
 * The default `db.statement`: the command name, then each argument as the key name when it is
 * a key (per ioredis' command table) and `?` otherwise, e.g. `HSET user:1 ? ?`. Values,
 * credentials (AUTH, HELLO ... AUTH, ACL SETUSER), script bodies and unknown commands' arguments
 * never appear. Long key names and long statements are cut.
 */
export function defaultRedisStatement(
  commandName: string,
  args: readonly unknown[],
  keys: readonly unknown[],
  maxKeyLength: number,
  maxStatementLength: number,
): string {
  let text = commandName;
  let start = 0;
  if (CONTAINER_COMMANDS.has(commandName) && typeof args[0] === 'string' && SUBCOMMAND.test(args[0])) {
    text += ' ' + args[0].toUpperCase();
    start = 1;
  }
  let nextKey = 0;
  for (let i = start; i < args.length; i++) {
    if (text.length > maxStatementLength) break;
    const arg = args[i];
    // key positions come in argument order, and ioredis keeps the very same value in both lists
    if (nextKey < keys.length && arg === keys[nextKey]) {
      nextKey++;
      text += ' ' + renderKey(arg, maxKeyLength);
    } else {
      text += ' ?';
    }
  }
  return cut(text, maxStatementLength);
}

/** The statement for a command, by the user's serializer or the default; `undefined` for none. */
export function commandStatement(name: string, command: CommandShape, options: ResolvedRedisOptions): string | undefined {
  const args = commandArgs(command);
  const serializer = options.statementSerializer;
  if (serializer !== undefined) {
    const custom = safeExecute(function redisStatementSerializer() {
      return serializer(name, args as ReadonlyArray<string | Buffer | number>);
    });
    return typeof custom === 'string' ? cut(custom, options.maxStatementLength) : undefined;
  }
  return defaultRedisStatement(name, args, keysOf(command), options.maxKeyLength, options.maxStatementLength);
}

/** Statements of several commands, one per line (pipelines and MULTI), cut as one. */
export function joinStatements(statements: readonly string[], maxStatementLength: number): string {
  let text = '';
  for (const statement of statements) {
    if (text.length > maxStatementLength) break;
    text = text === '' ? statement : text + '\n' + statement;
  }
  return cut(text, maxStatementLength);
}

/**
 * The command's keys from ioredis itself (`Command#getKeys`, which knows every command's key
 * positions). It caches them on the command, as ioredis does for cluster slots; a throw (bad
 * arguments) leaves the command as it was and yields no keys.
 */
function keysOf(command: CommandShape): readonly unknown[] {
  if (typeof command.getKeys !== 'function') return [];
  const hadKeys = Object.prototype.hasOwnProperty.call(command, 'keys');
  try {
    const keys = command.getKeys();
    return Array.isArray(keys) ? keys : [];
  } catch {
    if (!hadKeys) delete command.keys;
    return [];
  }
}

function renderKey(key: unknown, maxKeyLength: number): string {
  if (typeof key === 'string') return key.length > maxKeyLength ? key.substring(0, maxKeyLength) + ELLIPSIS : key;
  if (Buffer.isBuffer(key)) {
    const shown = key.length > maxKeyLength ? key.subarray(0, maxKeyLength) : key;
    // binary keys are not text: show them only when they are printable ASCII
    for (const byte of shown) if (byte < 0x20 || byte > 0x7e) return '?';
    return shown.toString('latin1') + (shown.length < key.length ? ELLIPSIS : '');
  }
  return '?';
}

function cut(text: string, max: number): string {
  return text.length > max ? text.substring(0, max) + ELLIPSIS : text;
}
