// The inventory service: Koa + @koa/router. No tracing code: run it with
//   JAEGER_SERVICE_NAME=inventory node -r @jt/auto inventory.js
const Koa = require('koa');
const Router = require('@koa/router');

const stock = { 1: 12, 2: 0, 3: 5 };
const router = new Router();
router.get('/stock/:id', (ctx) => {
  const id = Number(ctx.params.id);
  if (!(id in stock)) ctx.throw(404, `no stock record for product ${id}`);
  ctx.body = { id, inStock: stock[id] };
});

const app = new Koa();
app.use(router.routes()).use(router.allowedMethods());
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`inventory listening ${server.address().port}`);
});
