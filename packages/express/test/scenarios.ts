import assert from 'node:assert/strict';
import {
  errorLogsOf,
  expectServerSpanActive,
  logFieldsOf,
  postInPieces,
  serverFrameworkScenarios,
  SPLIT_BODY,
  tagsOf,
  tracedRequest,
  type ServerHarness,
} from '@jt/test-utils';
import type { Major } from './helpers';
import { ROUTE_NAMES } from './routes-app';

/** Behaviour every way of tracing an Express app must show (explicit, auto, both). */
export function routingScenarios(h: ServerHarness<Major>): void {
  const failures = [
    { how: 'passed to next(err)', path: '/fail/next', message: 'passed to next' },
    { how: 'thrown synchronously', path: '/fail/throw', message: 'thrown in handler' },
  ];
  if (h.major.major >= 5) failures.push({ how: 'rejected by an async handler', path: '/fail/async', message: 'rejected in handler' });

  serverFrameworkScenarios(h, {
    routeNames: ROUTE_NAMES,
    failures: failures.map((failure) => ({ ...failure, status: 500, markedError: true })),
    failureTitle: (failure) => `records an error ${failure.how} on the server span; the app's traced() 4-argument error handler still answers`,
    checkFailure({ reply, span, all }, failure) {
      assert.equal(reply.status, 500);
      assert.deepEqual(JSON.parse(reply.body), { error: failure.message });
      const handled = all.find((s) => s.operationName === 'handle-error');
      assert.equal(handled?.parentId, span.spanId, 'the traced() error handler ran in a child span');
      const [logged] = errorLogsOf(span);
      assert.equal(logged?.['error.kind'], 'Error');
      assert.match(String(logged?.['stack']), new RegExp(failure.message));
    },
    more() {
      it('logs an error carrying a 4xx status without marking the span as an error', async () => {
        const { reply, span } = await tracedRequest(h.reporter, h.port(), '/fail/teapot');
        assert.equal(reply.status, 418);
        assert.equal(tagsOf(span)['error'], undefined);
        assert.deepEqual(logFieldsOf(span), [{ event: 'error', 'error.kind': 'Error', message: 'short and stout' }]);
      });

      it('runs handlers with the server span active, also after a body read in later socket events', async () => {
        await expectServerSpanActive(h, '/active');
        assert.equal(await expectServerSpanActive(h, '/active', postInPieces(true), SPLIT_BODY), 'POST /active');
        assert.equal(await expectServerSpanActive(h, '/active/raw', postInPieces(false), SPLIT_BODY), 'POST /active/raw');
      });
    },
  });
}
