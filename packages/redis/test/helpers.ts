import { randomBytes } from 'node:crypto';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix unique to this run, so parallel runs never share keys. */
export const KEY_PREFIX = `jt-test:redis:${process.pid}:${randomBytes(4).toString('hex')}:`;
