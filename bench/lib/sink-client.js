'use strict';
/** Starts lib/sink.js as a child on the load generator's core and talks to it over IPC. */
const path = require('node:path');
const { startIpcChild } = require('./ipc-child');

async function startSink() {
  const child = await startIpcChild('load', path.join(__dirname, 'sink.js'));
  const call = (cmd, extra = {}) => child.call({ cmd, ...extra });
  return {
    /** Opens a listener; resolves its port. */
    open: async (label, kind) => (await call('open', { label, kind })).port,
    /** Counters of every listener, by label. */
    stats: async () => (await call('stats')).stats,
    reset: (label) => call('reset', { label }),
    close: (label) => call('close', { label }),
    /**
     * Waits until the label's span count stops changing for `quietMs` (or `target` is
     * reached), at most `maxMs`; resolves its counters.
     */
    async settle(label, { target = Infinity, quietMs = 300, maxMs = 10_000 } = {}) {
      const started = Date.now();
      let last = -1;
      let lastChange = Date.now();
      for (;;) {
        const c = (await call('stats')).stats[label];
        if (c.spans >= target) return c;
        if (c.spans !== last) {
          last = c.spans;
          lastChange = Date.now();
        } else if (Date.now() - lastChange >= quietMs) return c;
        if (Date.now() - started > maxMs) return c;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    shutdown: () => child.shutdown(),
  };
}

/** Starts lib/load.js as a persistent load generator on the load core. */
async function startLoadGenerator() {
  const child = await startIpcChild('load', path.join(__dirname, 'load.js'));
  return {
    /** One autocannon window: `{url, connections, durationS}` -> result. */
    window: async (opts) => (await child.call(opts)).result,
    shutdown: () => child.shutdown(),
  };
}

module.exports = { startSink, startLoadGenerator };
