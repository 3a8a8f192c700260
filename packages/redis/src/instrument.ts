import { unwrap, wrap } from '@jt/core';
import { sendCommandWrapper } from './command-tracing';
import { connectWrapper } from './connect-tracing';
import type { OptionsRef } from './connection-tags';
import type { PipelinePrototype, RedisPrototype } from './ioredis-shapes';
import { resolveRedisOptions, type RedisInstrumentationOptions } from './options';
import { pipelineExecWrapper, pipelineQueueWrapper } from './pipeline-tracing';

/**
 * What `instrumentRedis` accepts: the ioredis module (`require('ioredis')`, which is the
 * `Redis` class itself), the `Redis` class, or a namespace object (`import * as ioredis`).
 */
export type IoredisTarget = object;

interface RedisClassLike {
  prototype?: RedisPrototype;
  Pipeline?: { prototype?: PipelinePrototype };
}

/** Options of every instrumented `Redis.prototype`, so a second call only updates them. */
const instrumented = new WeakMap<object, OptionsRef>();

/**
 * Traces ioredis: every command (`Redis.prototype.sendCommand`), pipelines and MULTI
 * (`Pipeline.prototype.exec`), and connection attempts (`Redis.prototype.connect`).
 * Idempotent: calling it again for the same ioredis only replaces the options. Affects
 * clients created before and after the call. Returns `target`.
 */
export function instrumentRedis<T extends IoredisTarget>(target: T, options?: RedisInstrumentationOptions): T {
  const { redisClass, pipelineClass } = resolveClasses(target);
  const proto = redisClass?.prototype;
  if (proto === undefined || proto === null) return target;
  const resolved = resolveRedisOptions(options);
  const existing = instrumented.get(proto);
  if (existing !== undefined) {
    existing.current = resolved;
    return target;
  }
  const ref: OptionsRef = { current: resolved };
  instrumented.set(proto, ref);
  wrap(proto, 'sendCommand', sendCommandWrapper(ref));
  wrap(proto, 'connect', connectWrapper(ref));
  const pipelineProto = pipelineClass?.prototype;
  if (pipelineProto !== undefined && pipelineProto !== null) {
    wrap(pipelineProto, 'exec', pipelineExecWrapper(ref));
    wrap(pipelineProto, 'sendCommand', pipelineQueueWrapper());
  }
  return target;
}

/** Undoes `instrumentRedis` (clients keep working, untraced). */
export function uninstrumentRedis(target: IoredisTarget): void {
  const { redisClass, pipelineClass } = resolveClasses(target);
  const proto = redisClass?.prototype;
  if (proto === undefined || proto === null) return;
  instrumented.delete(proto);
  unwrap(proto, 'sendCommand');
  unwrap(proto, 'connect');
  const pipelineProto = pipelineClass?.prototype;
  if (pipelineProto !== undefined && pipelineProto !== null) {
    unwrap(pipelineProto, 'exec');
    unwrap(pipelineProto, 'sendCommand');
  }
}

function resolveClasses(target: IoredisTarget): { redisClass?: RedisClassLike; pipelineClass?: RedisClassLike['Pipeline'] } {
  if (target === null || (typeof target !== 'object' && typeof target !== 'function')) return {};
  const candidate = target as RedisClassLike & { Redis?: RedisClassLike; default?: RedisClassLike };
  const redisClass =
    typeof target === 'function'
      ? candidate
      : typeof candidate.Redis === 'function'
        ? candidate.Redis
        : typeof candidate.default === 'function'
          ? candidate.default
          : undefined;
  const pipelineClass = redisClass?.Pipeline ?? candidate.Pipeline;
  return { redisClass, pipelineClass };
}
