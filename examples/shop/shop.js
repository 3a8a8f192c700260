// The shop API: Express, PostgreSQL (pg) with a Redis cache (ioredis), and a call to the
// inventory service with fetch. No tracing code: run it with
//   JAEGER_SERVICE_NAME=shop INVENTORY_URL=http://127.0.0.1:4001 node -r @jt/auto shop.js
const express = require('express');
const Redis = require('ioredis');
const { Pool } = require('pg');

const pool = new Pool({
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  database: process.env.PGDATABASE ?? 'test',
  max: 4,
});
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const inventoryUrl = process.env.INVENTORY_URL ?? 'http://127.0.0.1:4001';

async function loadProduct(id) {
  const cached = await redis.get(`jt-shop:product:${id}`);
  if (cached !== null) return JSON.parse(cached);
  const { rows } = await pool.query('SELECT id, name, price_cents FROM jt_shop_products WHERE id = $1', [id]);
  if (rows.length === 0) return null;
  await redis.set(`jt-shop:product:${id}`, JSON.stringify(rows[0]), 'EX', 30);
  return rows[0];
}

const app = express();
const api = express.Router();

api.get('/products/:id', async (req, res, next) => {
  try {
    const product = await loadProduct(Number(req.params.id));
    if (product === null) return res.status(404).json({ error: 'no such product' });
    const stock = await fetch(`${inventoryUrl}/stock/${product.id}`);
    const inventory = stock.ok ? await stock.json() : { inStock: null };
    res.json({ ...product, inStock: inventory.inStock });
  } catch (err) {
    next(err);
  }
});

app.use('/api', api);
app.get('/health', (req, res) => res.send('ok'));
app.use((err, req, res, _next) => res.status(500).json({ error: err.message }));

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`shop listening ${server.address().port}`);
});
process.on('SIGTERM', () => {
  server.close();
  redis.disconnect();
  void pool.end();
});
