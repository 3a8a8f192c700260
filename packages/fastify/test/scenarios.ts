import assert from 'node:assert/strict';
import { expectServerSpanActive, postInPieces, serverFrameworkScenarios, SPLIT_BODY, type ServerHarness } from '@jt/test-utils';
import type { Major } from './helpers';
import { FAILURES, ROUTE_NAMES } from './routes-app';

/** Behaviour every way of tracing a Fastify app must show (explicit, auto, both). */
export function routingScenarios(h: ServerHarness<Major>): void {
  serverFrameworkScenarios(h, {
    routeNames: ROUTE_NAMES,
    failures: FAILURES,
    failureTitle: (failure) => `records the error of ${failure.path} once (onError); Fastify answers ${failure.status}`,
    checkFailure({ reply }, failure) {
      assert.equal(reply.status, failure.status);
      assert.equal(JSON.parse(reply.body).message, failure.message);
    },
    more() {
      it('runs handlers with the server span active, also after Fastify parsed a body that came in later socket events', async () => {
        await expectServerSpanActive(h, '/active');
        assert.equal(await expectServerSpanActive(h, '/active', postInPieces(true), SPLIT_BODY), 'POST /active');
      });

      it('gives the handler the server span back after a hook continued from a foreign context', async () => {
        assert.equal(await expectServerSpanActive(h, '/active/queued'), 'GET /active/queued');
      });
    },
  });
}
