'use strict';
/**
 * A pinned node child that answers requests over IPC: it sends `{ready: true}` once, then
 * answers each `{id, ...}` with `{id, ...reply}` or `{id, error}`. Used for the sink and the
 * load generator, which live on the load core for a whole suite.
 */
const { spawn } = require('node:child_process');
const { pinnedNode, track } = require('./proc');

async function startIpcChild(role, script, args = []) {
  const [cmd, cmdArgs] = pinnedNode(role, [script, ...args]);
  const child = track(spawn(cmd, cmdArgs, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const pending = new Map();
  let nextId = 1;
  await new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`${script} exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.on('message', function first(msg) {
      if (!msg.ready) return;
      child.removeListener('message', first);
      child.removeListener('exit', onExit);
      resolve();
    });
  });
  child.on('message', (msg) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(msg.error));
    else p.resolve(msg);
  });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`${script} exited (${code})`));
    pending.clear();
  });
  return {
    call: (msg) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ ...msg, id });
      }),
    shutdown() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      child.disconnect();
      return new Promise((r) => child.once('exit', r));
    },
  };
}

module.exports = { startIpcChild };
