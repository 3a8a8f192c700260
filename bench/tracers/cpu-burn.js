'use strict';
/**
 * Control, not a tracer: `node -r tracers/cpu-burn.js app.js` spins BENCH_BURN_US
 * microseconds of CPU (the harness sets it; default 8) at the start of each request and does nothing else: no
 * async_hooks, no allocation. It shows how req/s responds to a known, pure CPU cost per
 * request on this machine, the yardstick for reading the other modes' ratios.
 */
const http = require('node:http');

const burnNs = BigInt(Math.round(Number(process.env.BENCH_BURN_US ?? 8) * 1000));
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function emitAfterBurn(event) {
  if (event === 'request') {
    const end = process.hrtime.bigint() + burnNs;
    while (process.hrtime.bigint() < end);
  }
  return emit.apply(this, arguments);
};
