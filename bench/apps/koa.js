'use strict';
// Koa hello world.
const Koa = require('koa');
const { BODY, HOST, jaegerTracing, ready } = require('./common');

const app = new Koa();
const jaeger = jaegerTracing();
if (jaeger) {
  app.use((ctx, next) => {
    jaeger.traceRequest(ctx.req, ctx.res);
    return next();
  });
}
app.use((ctx) => {
  ctx.body = BODY;
});
const server = app.listen(0, HOST, () => ready(server, 'koa'));
