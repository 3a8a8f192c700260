import { Tags } from '@jt/core';
import type { ClientShape } from './ioredis-shapes';
import type { ResolvedRedisOptions } from './options';

/** Where the options live, so that instrumenting again only replaces them. */
export interface OptionsRef {
  current: ResolvedRedisOptions;
}

/** `db.type`, `db.instance` (the db index in use), the peer and `peer.service`. */
export function connectionTags(client: ClientShape | undefined, options: ResolvedRedisOptions): Record<string, unknown> {
  const config = client?.options ?? {};
  const db = client?.condition?.select ?? config.db ?? 0;
  // the same for every command of a connection: built once per client, db and options
  const cached = client === undefined ? undefined : tagCache.get(client);
  if (cached !== undefined && cached.db === db && cached.options === options && cached.config === config) return cached.tags;
  const tags = buildTags(config, db, options);
  if (client !== undefined) tagCache.set(client, { db, options, config, tags });
  return tags;
}

interface CachedTags {
  db: unknown;
  options: ResolvedRedisOptions;
  config: object;
  tags: Record<string, unknown>;
}

const tagCache = new WeakMap<object, CachedTags>();

function buildTags(
  config: NonNullable<ClientShape['options']>,
  db: unknown,
  options: ResolvedRedisOptions,
): Record<string, unknown> {
  const tags: Record<string, unknown> = { [Tags.DB_TYPE]: 'redis' };
  tags[Tags.DB_INSTANCE] = String(db);
  if (typeof config.path === 'string' && config.path !== '') {
    tags[Tags.PEER_ADDRESS] = config.path;
  } else {
    tags[Tags.PEER_HOSTNAME] = typeof config.host === 'string' ? config.host : 'localhost';
    const port = Number(config.port ?? 6379);
    if (Number.isInteger(port)) tags[Tags.PEER_PORT] = port;
  }
  if (options.peerService !== undefined) tags[Tags.PEER_SERVICE] = options.peerService;
  return tags;
}
