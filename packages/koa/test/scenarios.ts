import assert from 'node:assert/strict';
import { expectServerSpanActive, postInPieces, serverFrameworkScenarios, SPLIT_BODY, type ServerHarness } from '@jt/test-utils';
import type { Major } from './helpers';
import { FAILURES, ROUTE_NAMES } from './routes-app';

/** Behaviour every way of tracing a Koa app must show (explicit, auto, both). */
export function routingScenarios(h: ServerHarness<Major>): void {
  serverFrameworkScenarios(h, {
    routeNames: ROUTE_NAMES,
    failures: FAILURES,
    failureTitle: (failure) => `records the error of ${failure.path} once; Koa still answers ${failure.status} ${JSON.stringify(failure.body)}`,
    checkFailure: ({ reply }, failure) => assert.deepEqual(reply, { status: failure.status, body: failure.body }),
    more() {
      it('runs middleware with the server span active, also after a body read in later socket events', async () => {
        await expectServerSpanActive(h, '/active');
        assert.equal(await expectServerSpanActive(h, '/active/raw', postInPieces(false), SPLIT_BODY), 'POST /active/raw');
      });
    },
  });
}
