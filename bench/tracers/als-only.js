'use strict';
/**
 * Control, not a tracer: `node -r tracers/als-only.js app.js` runs each request inside
 * `AsyncLocalStorage.run`, as every context-keeping tracer does, and nothing else. On Node
 * 20 that turns on async_hooks for the process; this mode shows what that alone costs.
 */
const { AsyncLocalStorage } = require('node:async_hooks');
const http = require('node:http');

const storage = new AsyncLocalStorage();
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function emitInContext(event, req) {
  if (event !== 'request') return emit.apply(this, arguments);
  return storage.run({ req }, () => emit.apply(this, arguments));
};
