'use strict';
/**
 * Child processes for the benchmarks: pinned to a core with `taskset` when the machine has
 * it and at least two cores (the measured process on one core, load generator and sink on
 * the other), a READY handshake over stdout, RSS from /proc, and a clean stop.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');

/** Children still running; killed if the harness itself exits or is interrupted. */
const live = new Set();
function track(child) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of live) child.kill('SIGKILL');
    process.exit(130);
  });
}

let pinning;
/** `{available, reason, appCpu, loadCpu}`: which cores the measured process and the load generator get. */
function cpuPlan() {
  if (pinning) return pinning;
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const probe = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
  const hasTaskset = probe.status === 0;
  if (process.env.BENCH_NO_PIN === '1') pinning = { available: false, reason: 'BENCH_NO_PIN=1', cores };
  else if (!hasTaskset) pinning = { available: false, reason: 'taskset not available', cores };
  else if (cores < 2) pinning = { available: false, reason: `only ${cores} core`, cores };
  else pinning = { available: true, reason: 'taskset', cores, appCpu: 0, loadCpu: 1 };
  return pinning;
}

/** [command, args] that runs `node ...args` on `cpu` ('app' or 'load') when pinning is available. */
function pinnedNode(role, nodeArgs) {
  const plan = cpuPlan();
  if (!plan.available) return [process.execPath, nodeArgs];
  const cpu = role === 'app' ? plan.appCpu : plan.loadCpu;
  return ['taskset', ['-c', String(cpu), process.execPath, ...nodeArgs]];
}

/**
 * Spawns a pinned node process and waits for a stdout line `BENCH_READY {json}`.
 * Resolves `{child, info, output()}`; rejects (with the child's output) if it exits or
 * stays silent for `timeoutMs`.
 */
function spawnReady(role, nodeArgs, { env, cwd, timeoutMs = 20_000, ipc = false } = {}) {
  const [cmd, args] = pinnedNode(role, nodeArgs);
  const child = track(
    spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    }),
  );
  let out = '';
  const keep = (chunk) => {
    out += chunk;
    if (out.length > 20_000) out = out.slice(-20_000);
  };
  child.stderr.setEncoding('utf8').on('data', keep);
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${nodeArgs.join(' ')}: no BENCH_READY within ${timeoutMs} ms\n${out}`));
    }, timeoutMs);
    const onExit = (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${nodeArgs.join(' ')} exited (${code ?? signal}) before BENCH_READY\n${out}`));
    };
    child.once('exit', onExit);
    child.stdout.setEncoding('utf8').on('data', function onData(chunk) {
      keep(chunk);
      buffered += chunk;
      const at = buffered.indexOf('BENCH_READY ');
      const nl = at >= 0 ? buffered.indexOf('\n', at) : -1;
      if (nl < 0) return;
      clearTimeout(timer);
      child.removeListener('exit', onExit);
      const info = JSON.parse(buffered.slice(at + 'BENCH_READY '.length, nl));
      resolve({ child, info, output: () => out });
    });
  });
}

/** Resident set size of a live process in bytes (VmRSS), or undefined. */
function rssOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** User+system CPU seconds a live process has used so far (from /proc/pid/stat), or undefined. */
function cpuSecondsOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** Sends `signal`, waits for the exit (SIGKILL after `graceMs`). Resolves the exit code/signal. */
function stop(child, signal = 'SIGTERM', graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      resolve(code ?? sig);
    });
    child.kill(signal);
  });
}

/** Runs a pinned node script to completion and parses the last stdout line that starts with BENCH_RESULT. */
function runJson(role, nodeArgs, { env, cwd, timeoutMs = 300_000 } = {}) {
  const [cmd, args] = pinnedNode(role, nodeArgs);
  return new Promise((resolve, reject) => {
    const child = track(spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (err = (err + c).slice(-20_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').reverse().find((l) => l.startsWith('BENCH_RESULT '));
      if (code !== 0 || !line) {
        reject(new Error(`${nodeArgs.join(' ')} failed (${code ?? signal})\n${err}\n${out.slice(-4000)}`));
        return;
      }
      resolve({ result: JSON.parse(line.slice('BENCH_RESULT '.length)), stderr: err });
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

module.exports = { track, cpuPlan, pinnedNode, spawnReady, rssOf, cpuSecondsOf, stop, runJson, sleep };
