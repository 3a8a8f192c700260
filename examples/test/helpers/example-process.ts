/**
 * Starts an example as a real child process, reads its output, and makes sure no child
 * outlives a test: `killStarted()` (call it in `afterEach`) SIGKILLs whatever is still running,
 * with its own children too when it was started as a process group (an example that starts
 * services of its own, like the shop's run.js).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export const EXAMPLES_DIR = path.resolve(__dirname, '..', '..');
export const REPO_ROOT = path.resolve(EXAMPLES_DIR, '..');

export interface RunningExample {
  child: ChildProcess;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Settles with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<number | string>;
}

const started = new Set<ChildProcess>();
const groups = new WeakSet<ChildProcess>();

export interface StartOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Start it as the leader of a new process group, so a kill also reaches what it spawned. */
  processGroup?: boolean;
}

/** `node <args>` in `cwd` with the test's environment plus `env`. */
export function startExample(args: string[], options: StartOptions): RunningExample {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.processGroup === true,
  });
  started.add(child);
  if (options.processGroup === true) {
    groups.add(child);
    // a detached group does not get the terminal's Ctrl-C: pass it on before exiting
    if (process.listeners('SIGINT').indexOf(onInterrupt) < 0) process.on('SIGINT', onInterrupt);
  }
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | string>((resolve) => {
    child.once('close', (code, signal) => {
      started.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (error) => {
      started.delete(child);
      err += String(error);
      resolve('spawn-error');
    });
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Resolves with the first match of `pattern` in stdout; rejects on exit or after `timeoutMs`. */
export function waitForOutput(example: RunningExample, pattern: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const match = pattern.exec(example.stdout());
      if (match === null) return false;
      finish();
      resolve(match);
      return true;
    };
    const onData = (): void => void check();
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`no ${pattern} in output within ${timeoutMs} ms\n${outputOf(example)}`));
    }, timeoutMs);
    const onExit = (): void => {
      if (check()) return;
      finish();
      reject(new Error(`exited before printing ${pattern}\n${outputOf(example)}`));
    };
    const finish = (): void => {
      clearTimeout(timer);
      example.child.stdout!.off('data', onData);
      example.child.off('close', onExit);
    };
    example.child.stdout!.on('data', onData);
    example.child.once('close', onExit);
    check();
  });
}

/** Waits for the process to exit on its own within `timeoutMs`; returns the exit code. */
export async function waitForExit(example: RunningExample, timeoutMs = 15_000): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms\n${outputOf(example)}`)), timeoutMs);
  });
  try {
    return await Promise.race([example.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Sends `signal` (SIGTERM: the example's clean shutdown) and waits for the exit code. */
export async function stopExample(example: RunningExample, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string> {
  if (example.child.exitCode === null && example.child.signalCode === null) example.child.kill(signal);
  return waitForExit(example, 10_000);
}

/** Kills every child a test started and left running (a failed assertion, a timeout). */
export function killStarted(): void {
  for (const child of started) {
    try {
      if (groups.has(child) && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  started.clear();
  process.off('SIGINT', onInterrupt);
}

function onInterrupt(): void {
  killStarted();
  process.exit(130);
}

/** stdout and stderr, for failure messages. */
export function outputOf(example: RunningExample): string {
  return `--- stdout ---\n${example.stdout()}--- stderr ---\n${example.stderr()}`;
}

process.once('exit', killStarted);
