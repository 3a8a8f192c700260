import assert from 'node:assert/strict';
import * as http from 'node:http';
import { appsPerTest, get, serveListener, waitFor } from '@jt/test-utils';
import { nodeClearIncomingMatcher } from '../../src/instrumentation/request-events';
import { getOrStartServerSpan } from '../../src/instrumentation/server-span';
import { spanStorage } from '../../src/context/async-context';
import { activeSpan, ConstSampler, InMemoryReporter, Tracer, type Span } from '../../src/index';

describe('request events: the server span learns of the request and response lifecycle', () => {
  const reporter = new InMemoryReporter();
  const tracer = new Tracer('request-events-test', reporter, new ConstSampler(true));
  const apps = appsPerTest();

  beforeEach(() => reporter.clear());

  const serve = (handler: http.RequestListener): Promise<number> => apps.start(serveListener(handler));

  it('wraps the http prototypes once (no own emit on the request or response), and the body events run in the span', async () => {
    let seenInEnd: Span | undefined;
    let started: Span | undefined;
    let ownEmit = true;
    const port = await serve((req, res) => {
      started = getOrStartServerSpan(req, res, { tracer });
      ownEmit = Object.prototype.hasOwnProperty.call(req, 'emit') || Object.prototype.hasOwnProperty.call(res, 'emit');
      // leave the context, as a body parser reading from the socket would
      setImmediate(() =>
        tracer.withSpan(undefined, () => {
          req.on('end', () => {
            seenInEnd = activeSpan();
            res.end('ok');
          });
          req.resume();
        }),
      );
    });
    await get(port, '/');
    await waitFor(() => reporter.spans.length === 1, 'span');
    assert.equal(ownEmit, false, 'per-request emit wrappers would be garbage per request');
    assert.ok(started !== undefined);
    assert.equal(seenInEnd, started, "the request's own events run with its span active");
    const emit = http.IncomingMessage.prototype.emit as unknown as Record<symbol, unknown>;
    assert.equal(emit[Symbol.for('jt.core.lifecycleEmit.v2')], true);
    getOrStartServerSpan(new http.IncomingMessage(null as never), new http.ServerResponse(new http.IncomingMessage(null as never)), { tracer });
    assert.equal(http.IncomingMessage.prototype.emit, emit, 'installed once');
  });

  it('keeps one property on the request (its record) and one on the response; a request with no listener for an event still gets the span in a later listener', async () => {
    let reqKeys: string[] = [];
    let resKeys: string[] = [];
    let seenInClose: Span | undefined;
    let started: Span | undefined;
    const port = await serve((req, res) => {
      const before = new Set(Object.getOwnPropertySymbols(req));
      const beforeRes = new Set(Object.getOwnPropertySymbols(res));
      started = getOrStartServerSpan(req, res, { tracer });
      reqKeys = Object.getOwnPropertySymbols(req).filter((k) => !before.has(k)).map(String);
      resKeys = Object.getOwnPropertySymbols(res).filter((k) => !beforeRes.has(k)).map(String);
      res.end('ok');
      // `end` had no listener (nothing to run in the span); `close`, listened to from outside the context, still does
      tracer.withSpan(undefined, () => req.on('close', () => (seenInClose = activeSpan())));
    });
    await get(port, '/');
    await waitFor(() => reporter.spans.length === 1 && seenInClose !== undefined, 'span and close');
    assert.deepEqual(reqKeys, ['Symbol(jt.core.serverSpanRecord)']);
    assert.deepEqual(resKeys, ['Symbol(jt.core.responseEnd)']);
    assert.equal(seenInClose, started);
  });

  it("skips the context switch for `end` when its only listener is Node's own clearIncoming; an app's listener still runs in the span", async () => {
    let nodeOnly = false;
    let runsForNodeOnly = -1;
    let seenByApp: Span | undefined;
    let started: Span | undefined;
    const port = await serve((req, res) => {
      started = getOrStartServerSpan(req, res, { tracer });
      // the body is left unread: finishing the response makes Node listen for `end` itself
      res.end('ok');
      setImmediate(() => {
        const listeners = req.listeners('end');
        nodeOnly = listeners.length === 1 && nodeClearIncomingMatcher()(listeners[0]);
        const run = spanStorage.run;
        let runs = 0;
        spanStorage.run = function countedRun(this: typeof spanStorage, ...args: Parameters<typeof run>) {
          runs++;
          return run.apply(this, args);
        } as typeof run;
        try {
          tracer.withSpan(undefined, () => req.emit('end'));
        } finally {
          spanStorage.run = run;
        }
        // `withSpan` itself is one run; the wrapper added none for Node's listener
        runsForNodeOnly = runs - 1;
        req.removeAllListeners('end');
        tracer.withSpan(undefined, () => req.on('end', () => (seenByApp = activeSpan())));
        tracer.withSpan(undefined, () => req.emit('end'));
      });
    });
    await get(port, '/');
    await waitFor(() => seenByApp !== undefined, "the app's listener call");
    assert.equal(nodeOnly, true, "Node's http server listens for `end` with clearIncoming on a request whose body nobody read");
    assert.equal(runsForNodeOnly, 0);
    assert.equal(seenByApp, started);
  });

  it("recognises Node's clearIncoming by its source, not its name alone", () => {
    const isNodeClearIncoming = nodeClearIncomingMatcher();
    // an app's function of the same name, seen first
    const clearIncoming = (): void => undefined;
    assert.equal(isNodeClearIncoming(clearIncoming), false);
    const throwingName = Object.defineProperty(() => undefined, 'name', {
      get() {
        throw new Error('no name');
      },
    });
    assert.equal(isNodeClearIncoming(throwingName), false);
    // Node's own, as the http server adds it (its source resets the parser's `incoming`)
    const node = new Function('return function clearIncoming(req) { const parser = req.socket && req.socket.parser; if (parser && parser.incoming === req) parser.incoming = null; }')() as () => void;
    assert.equal(isNodeClearIncoming(node), true);
    assert.equal(isNodeClearIncoming(clearIncoming), false, 'still not the namesake once Node\'s is known');
  });

  it('a second response made for the same request does not end its span', async () => {
    const port = await serve((req, res) => {
      getOrStartServerSpan(req, res, { tracer });
      // e.g. a library rendering into a scratch response: it points at the same request
      const scratch = new http.ServerResponse(req);
      scratch.emit('finish');
      setTimeout(() => {
        res.statusCode = 503;
        res.end('late');
      }, 20);
    });
    await get(port, '/');
    await waitFor(() => reporter.spans.length === 1, 'span');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(reporter.spans.length, 1);
    assert.equal(reporter.spans[0]!.tags.find((t) => t.key === 'http.status_code')?.value, 503);
    assert.equal(reporter.spans[0]!.tags.find((t) => t.key === 'error')?.value, true);
  });

  it('falls back to per-request wrappers and listeners for objects with their own emit', async () => {
    let seenInEnd: Span | undefined;
    let started: Span | undefined;
    const port = await serve((req, res) => {
      // an app (or another tool) that gave the objects their own emit
      const reqEmit = req.emit;
      req.emit = function ownEmit(this: http.IncomingMessage, ...args: Parameters<typeof reqEmit>) {
        return reqEmit.apply(this, args);
      } as typeof req.emit;
      const resEmit = res.emit;
      res.emit = function ownEmit(this: http.ServerResponse, ...args: Parameters<typeof resEmit>) {
        return resEmit.apply(this, args);
      } as typeof res.emit;
      started = getOrStartServerSpan(req, res, { tracer });
      setImmediate(() =>
        tracer.withSpan(undefined, () => {
          req.on('end', () => {
            seenInEnd = activeSpan();
            res.statusCode = 201;
            res.end('ok');
          });
          req.resume();
        }),
      );
    });
    await get(port, '/');
    await waitFor(() => reporter.spans.length === 1, 'span');
    assert.equal(reporter.spans[0], started);
    assert.equal(seenInEnd, started);
    assert.equal(reporter.spans[0]!.tags.find((t) => t.key === 'http.status_code')?.value, 201);
  });

  it('finishes once when the client goes away before the response, as aborted', async () => {
    const port = await serve((req, res) => {
      getOrStartServerSpan(req, res, { tracer });
      // never answers
    });
    await new Promise<void>((resolve) => {
      const req = http.get({ port, path: '/slow', host: '127.0.0.1' });
      req.on('error', () => resolve());
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100);
    });
    await waitFor(() => reporter.spans.length === 1, 'span');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(reporter.spans.length, 1, 'finished exactly once');
    assert.ok(reporter.spans[0]!.logs.some((l) => l.fields.some((f) => f.key === 'event' && f.value === 'aborted')));
  });
});
