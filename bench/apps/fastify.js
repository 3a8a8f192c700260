'use strict';
// Fastify hello world.
const fastify = require('fastify');
const { BODY, HOST, jaegerTracing, ready } = require('./common');

const app = fastify({ logger: false });
const jaeger = jaegerTracing();
if (jaeger) {
  app.addHook('onRequest', (request, reply, done) => {
    jaeger.traceRequest(request.raw, reply.raw);
    done();
  });
}
app.get('/', async () => BODY);
app.listen({ port: 0, host: HOST }).then(() => ready(app.server, 'fastify'));
