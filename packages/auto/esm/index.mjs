// `node --import @jt/auto app.mjs`: register import-in-the-middle's loader for the modules
// we instrument, then start tracing through the CommonJS entry (which bridges ESM imports
// to the require-time patches).
import { createRequire, register } from 'node:module';

const require = createRequire(import.meta.url);
const include = ['express', 'router', 'koa', '@koa/router', 'fastify', 'ioredis', 'pg', 'undici'];
try {
  register('import-in-the-middle/hook.mjs', import.meta.url, { data: { include } });
  globalThis[Symbol.for('jt.auto.esmLoaderRegistered')] = true;
} catch (err) {
  console.warn(`[jt] ESM loader hook not registered, ESM imports stay untraced: ${err?.message ?? err}`);
}
require('../dist/index.js');
