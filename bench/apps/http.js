'use strict';
// Plain node:http hello world.
const http = require('node:http');
const { BODY, HOST, jaegerTracing, ready } = require('./common');

const jaeger = jaegerTracing();
const server = http.createServer((req, res) => {
  if (jaeger) jaeger.traceRequest(req, res);
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(BODY);
});
server.listen(0, HOST, () => ready(server, 'http'));
