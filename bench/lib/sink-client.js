'use strict';
/** Starts lib/sink.js as a child on the load generator's core and talks to it over IPC. */
const path = require('node:path');
const { spawn } = require('node:child_process');
const { pinnedNode } = require('./proc');

async function startSink() {
  const [cmd, args] = pinnedNode('load', [path.join(__dirname, 'sink.js')]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let nextId = 1;
  await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sink exited (${code}) before it was ready`)));
    child.on('message', function first(msg) {
      if (msg.ready) {
        child.removeListener('message', first);
        resolve();
      }
    });
  });
  child.on('message', (msg) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(msg.error));
    else p.resolve(msg);
  });
  const call = (cmd, extra = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, ...extra });
    });
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
    shutdown: () => {
      child.disconnect();
      return new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    },
  };
}

module.exports = { startSink };
