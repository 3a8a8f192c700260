import { randomBytes } from 'node:crypto';

/** Connection settings from the environment, with the test services' defaults. */
export const PG_CONFIG = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  database: process.env.PGDATABASE ?? 'test',
  password: process.env.PGPASSWORD,
};

/** A table name unique to this run, so parallel runs never share rows. */
export const TABLE = `jt_test_${process.pid}_${randomBytes(4).toString('hex')}`;
