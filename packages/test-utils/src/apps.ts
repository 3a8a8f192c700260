import * as http from 'node:http';
import type { InMemoryReporter, Instrumentation, InstrumentationHandle } from '@jt/core';
import { core } from './core';
import { close, listen } from './http';
import { useTracer } from './tracer';

/** A test app listening on loopback: its port, and how to stop it. */
export interface RunningApp {
  readonly port: number;
  close(): Promise<void>;
}

/** Starts a Node request listener (an Express app, Koa's `app.callback()`) on a loopback port. */
export async function serveListener(listener: http.RequestListener): Promise<RunningApp> {
  const server = http.createServer(listener);
  const port = await listen(server);
  return { port, close: () => close(server) };
}

/**
 * Apps started by a test are stopped after it: call in a `describe` (it adds an `afterEach`),
 * then `await apps.start(serveListener(app))` gives the port.
 */
export function appsPerTest(): { start(app: RunningApp | Promise<RunningApp>): Promise<number> } {
  const running: RunningApp[] = [];
  afterEach(async () => {
    for (const app of running.splice(0)) await app.close();
  });
  return {
    async start(app) {
      const started = await app;
      running.push(started);
      return started.port;
    },
  };
}

/**
 * Instrumentations registered by a test are unregistered after it (an `afterEach`; a test
 * may unregister first).
 */
export function instrumentationsPerTest(): (instrumentations: Instrumentation[]) => InstrumentationHandle {
  const handles: InstrumentationHandle[] = [];
  afterEach(() => {
    for (const handle of handles.splice(0)) handle.unregister();
  });
  return (instrumentations) => {
    const handle = core().registerInstrumentations(instrumentations);
    handles.push(handle);
    return handle;
  };
}

/** What a `describe` of integration tests shares: see `tracingPerTest`. */
export interface TestTracing {
  /** The global tracer's in-memory reporter (a tracer sampling everything), cleared before each test. */
  readonly reporter: InMemoryReporter;
  /** Starts an app for the current test (stopped after it); resolves with its port. */
  start(app: RunningApp | Promise<RunningApp>): Promise<number>;
  /** Registers instrumentations for the current test (unregistered after it, unless already). */
  register(instrumentations: Instrumentation[]): InstrumentationHandle;
}

/**
 * Call in a `describe`: before each test a fresh global tracer reporting into `reporter`;
 * after it, the apps it started are stopped, then its instrumentations unregistered.
 */
export function tracingPerTest(): TestTracing {
  const reporter = new (core().InMemoryReporter)();
  beforeEach(() => {
    useTracer(reporter);
    reporter.clear();
  });
  const apps = appsPerTest();
  const register = instrumentationsPerTest();
  return { reporter, start: apps.start, register };
}
