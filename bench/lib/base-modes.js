'use strict';
/**
 * Modes for a snapshot of an earlier jt build, for the A/B tools (`tools/ab.js`,
 * `tools/alloc.js`): `jt-base` and `jt-base-unsampled` run `-r DIR/packages/auto/dist/index.js`
 * with the settings of `jt` and `jt-unsampled`. DIR holds a copy of the repo's `package.json`,
 * `node_modules` and built `packages/` (`mkdir DIR && cp -a package.json node_modules packages DIR/`).
 * `baseEnv` is extra environment for those modes only (a switch an experimental build reads).
 */
const path = require('node:path');

function registerBaseModes(MODES, base, baseEnv = {}) {
  const preload = path.resolve(base, 'packages/auto/dist/index.js');
  const withBaseEnv = (env) => (port) => ({ ...env(port), ...baseEnv });
  MODES['jt-base'] = { ...MODES.jt, describe: `jt from ${base}`, nodeArgs: ['-r', preload], env: withBaseEnv(MODES.jt.env) };
  MODES['jt-base-unsampled'] = {
    ...MODES['jt-unsampled'],
    describe: `jt from ${base}, unsampled`,
    nodeArgs: ['-r', preload],
    env: withBaseEnv(MODES['jt-unsampled'].env),
  };
}

module.exports = { registerBaseModes };
