import assert from 'node:assert/strict';
import type { InMemoryReporter, Instrumentation, Tracer } from '@jt/core';
import type { RunningApp } from './apps';
import { core } from './core';
import { request, type Reply } from './http';
import type { VersionUnderTest } from './modules';
import { tracedRequest } from './server';
import type { FailureCase, ServerHarness } from './server-scenarios';
import { serverSpans, tagsOf } from './spans';
import { useTracer } from './tracer';
import { delay, waitFor } from './wait';

/** One version of a server framework, as its integration's tests drive it. */
export interface FrameworkUnderTest<V extends VersionUnderTest, F> {
  /** `express`, `koa`, `fastify`: in titles, and the `component` tag of its integration's spans. */
  readonly name: string;
  readonly version: V;
  /** Loads the version's framework fresh, so hooks registered before see the load. */
  load(version: V): F;
  /** Starts the framework's test app; `explicit`: with the integration's middleware / plugin first. */
  startApp(framework: F, explicit: boolean): Promise<RunningApp>;
}

/**
 * The three ways the framework is traced without the user wiring anything per route: its hook
 * under the http server hook, its hook alone, and both hooks with the explicit middleware /
 * plugin as well. For each, a `describe` that registers the hooks, loads the framework, starts
 * the test app before each test, checks that each of `paths` makes exactly one server span
 * (tagged by whoever started it), then runs `scenarios`.
 */
export function describeAutoModes<V extends VersionUnderTest, F>(
  framework: FrameworkUnderTest<V, F>,
  spec: {
    instrumentation(): Instrumentation;
    /** How titles call the explicit way: `jaegerMiddleware()`, `the plugin`. */
    explicitLabel: string;
    paths: readonly string[];
    scenarios(h: ServerHarness<V>): void;
  },
): void {
  const name = framework.name;
  const modes = [
    { label: `http server hook + ${name} hook`, withHttpHook: true, explicit: false, component: 'http' },
    { label: `${name} hook alone`, withHttpHook: false, explicit: false, component: name },
    { label: `both hooks and ${spec.explicitLabel} at once`, withHttpHook: true, explicit: true, component: 'http' },
  ];
  for (const mode of modes) {
    describe(`@jt/${name} auto (${framework.version.label}, ${mode.label})`, () => {
      const reporter = new (core().InMemoryReporter)();
      let unregister: (() => void) | undefined;
      let loaded: F;
      let app: RunningApp | undefined;

      before(() => {
        const list: Instrumentation[] = [spec.instrumentation()];
        if (mode.withHttpHook) list.unshift(core().httpServerInstrumentation());
        const handle = core().registerInstrumentations(list);
        unregister = () => handle.unregister();
        loaded = framework.load(framework.version);
      });
      after(() => unregister?.());
      beforeEach(async () => {
        useTracer(reporter);
        app = await framework.startApp(loaded, mode.explicit);
      });
      afterEach(async () => {
        await app?.close();
        app = undefined;
      });

      it(`makes exactly one server span per request (component ${mode.component})`, async () => {
        for (const path of spec.paths) {
          const { span } = await tracedRequest(reporter, app!.port, path);
          assert.equal(tagsOf(span)['component'], mode.component);
          assert.equal(tagsOf(span)['span.kind'], 'server');
        }
      });

      spec.scenarios({ reporter, major: framework.version, port: () => app!.port });
    });
  }
}

/**
 * The explicit middleware / plugin with no hook registered: a `describe` that starts the test
 * app with it before each test, checks the span it makes (its own `component` tag, a new
 * trace, the full URL), that each of `failures` is answered as without tracing (when given),
 * then runs `scenarios`.
 */
export function describeExplicitAlone<V extends VersionUnderTest, F, C extends FailureCase>(
  framework: FrameworkUnderTest<V, F>,
  spec: {
    /** How the title calls it: `jaegerMiddleware()`, `jaegerFastify plugin`. */
    label: string;
    /** `middleware`, `plugin`. */
    noun: string;
    failures?: readonly C[];
    /** More to check of each failure's (traced) reply. */
    checkFailure?: (reply: Reply, failure: C) => void;
    scenarios(h: ServerHarness<V>): void;
  },
): void {
  describe(`@jt/${framework.name} ${spec.label} alone (${framework.version.label}, no hook)`, () => {
    const reporter = new (core().InMemoryReporter)();
    let loaded: F;
    let app: RunningApp | undefined;

    before(() => {
      loaded = framework.load(framework.version);
    });
    beforeEach(async () => {
      useTracer(reporter);
      reporter.clear();
      app = await framework.startApp(loaded, true);
    });
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    it(`makes one server span tagged by the ${spec.noun} (component ${framework.name})`, async () => {
      const port = app!.port;
      const { span } = await tracedRequest(reporter, port, '/users/7?page=2');
      const tags = tagsOf(span);
      assert.equal(tags['span.kind'], 'server');
      assert.equal(tags['component'], framework.name);
      assert.equal(tags['http.url'], `http://127.0.0.1:${port}/users/7?page=2`);
      assert.equal(span.parentId, null);
    });

    const h: ServerHarness<V> = { reporter, major: framework.version, port: () => app!.port };
    if (spec.failures !== undefined) {
      sameAnswersUntracedScenario(h, spec.failures, () => framework.startApp(loaded, false), spec.checkFailure);
    }
    spec.scenarios(h);
  });
}

/**
 * Tracing changes no answer: each failure gets the same reply from the traced app and from
 * the same app started without tracing (`startUntraced`), with the failure's status.
 */
export function sameAnswersUntracedScenario<F extends FailureCase>(
  h: ServerHarness,
  failures: readonly F[],
  startUntraced: () => Promise<RunningApp>,
  check?: (reply: Reply, failure: F) => void,
): void {
  it('answers failures exactly as the same app without tracing does', async () => {
    const plain = await startUntraced();
    try {
      for (const failure of failures) {
        const traced = await request(h.port(), failure.path);
        const untraced = await request(plain.port, failure.path);
        assert.deepEqual(traced, untraced, failure.path);
        assert.equal(traced.status, failure.status);
        check?.(traced, failure);
      }
    } finally {
      await plain.close();
    }
  });
}

/** What `expectOptionsHonoured` gives the test to build its app with. */
export interface OptionsProbe {
  /** A tracer of its own: the app must use it, never the global one. */
  readonly tracer: Tracer;
  /** What the user hooks saw, in order: they push `request <url>` and `response <status>`. */
  readonly seen: string[];
}

/**
 * The options every integration takes, on the app `start` builds (returning its port) with:
 * `ignorePaths` matching each of `ignored` (they answer 200 but make no span), a
 * `requestHook` tagging `tenant` from the `x-tenant` header, a `responseHook` tagging
 * `answered` with the status, `operationName` giving `get:/users/:id`, and `probe.tracer`.
 */
export async function expectOptionsHonoured(
  globalReporter: InMemoryReporter,
  ignored: readonly string[],
  start: (probe: OptionsProbe) => Promise<number>,
): Promise<void> {
  const own = new (core().InMemoryReporter)();
  const tracer = useTracer(own);
  useTracer(globalReporter); // the global one must not be used
  const seen: string[] = [];
  const port = await start({ tracer, seen });
  for (const path of ignored) assert.equal((await request(port, path)).status, 200);
  assert.equal((await request(port, '/users/2', { headers: { 'x-tenant': 'acme' } })).status, 200);
  await waitFor(() => own.spans.length === 1, 'span');
  await delay(10);
  assert.equal(own.spans.length, 1, 'ignored paths made no span');
  assert.equal(globalReporter.spans.length, 0, 'the global tracer was not used');
  const span = own.spans[0]!;
  assert.equal(span.operationName, 'get:/users/:id');
  assert.equal(tagsOf(span)['tenant'], 'acme');
  assert.equal(tagsOf(span)['answered'], 200);
  assert.deepEqual(seen, ['request /users/2', 'response 200']);
}

function fail(what: string): never {
  throw new Error(what);
}

/** User hooks that all throw: the integration must answer and name the span as if they were not there. */
export const THROWING_HOOKS = {
  requestHook: (): void => fail('bad request hook'),
  responseHook: (): void => fail('bad response hook'),
  operationName: (): string => fail('bad name'),
};

/**
 * The app on `port` (built with `THROWING_HOOKS`, a `/users/:id` route answering `fine`)
 * still answers, and its span is still named by the route.
 */
export async function expectThrowingHooksHarmless(
  reporter: InMemoryReporter,
  port: number,
): Promise<void> {
  const { reply, span } = await tracedRequest(reporter, port, '/users/3');
  assert.deepEqual(reply, { status: 200, body: 'fine' });
  assert.equal(span.operationName, 'GET /users/:id');
}

/**
 * A framework hook whose `ignorePaths` match `/health` drops the span the http server hook
 * had started: asking `/health` then `/work` of the app on `port` leaves one server span,
 * named `workName`.
 */
export async function expectLaterIgnoreDrops(
  reporter: InMemoryReporter,
  port: number,
  workName: string,
): Promise<void> {
  assert.equal((await request(port, '/health')).status, 200);
  const { span } = await tracedRequest(reporter, port, '/work');
  assert.equal(span.operationName, workName);
  assert.equal(serverSpans(reporter).length, 1);
}

/** The app on `port` still answers `path` with 200, and no span is made (after `unregister()`). */
export async function expectUntraced(
  reporter: InMemoryReporter,
  port: number,
  path = '/x',
): Promise<void> {
  assert.equal((await request(port, path)).status, 200);
  await delay(20);
  assert.equal(reporter.spans.length, 0);
}
