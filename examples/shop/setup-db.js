// Creates and fills the shop's table (idempotent).
const { Client } = require('pg');

async function setupDatabase() {
  const client = new Client({
    host: process.env.PGHOST ?? '127.0.0.1',
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? 'postgres',
    database: process.env.PGDATABASE ?? 'test',
  });
  await client.connect();
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS jt_shop_products (
      id integer PRIMARY KEY, name text NOT NULL, price_cents integer NOT NULL)`);
    await client.query(`INSERT INTO jt_shop_products (id, name, price_cents)
      VALUES (1, 'Teapot', 2500), (2, 'Kettle', 4000), (3, 'Mug', 900)
      ON CONFLICT (id) DO NOTHING`);
  } finally {
    await client.end();
  }
}

module.exports = { setupDatabase };
