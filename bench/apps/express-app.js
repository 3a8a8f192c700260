'use strict';
// Express hello world, for whichever express the caller required (4 here, 5 in fixtures/express5).
const { BODY, HOST, jaegerTracing, ready } = require('./common');

module.exports = function startExpress(express, framework) {
  const app = express();
  const jaeger = jaegerTracing();
  if (jaeger) {
    app.use((req, res, next) => {
      jaeger.traceRequest(req, res);
      next();
    });
  }
  app.get('/', (req, res) => {
    res.send(BODY);
  });
  const server = app.listen(0, HOST, () => ready(server, framework));
};
