import assert from 'node:assert/strict';
import promClient from 'prom-client';
import { createPromMetrics, sanitizeNamespace } from '../../src/metrics/prom-metrics';
import type { Metrics } from '../../src/metrics/metrics';
import type { Logger } from '../../src/logger';

/** The series lines (no HELP/TYPE comments) of an exposition text. */
function seriesLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

/** Increments every counter of `metrics` by a distinct amount and sets the gauge; returns the amounts. */
function touchAll(metrics: Metrics): Map<keyof Metrics, number> {
  const amounts = new Map<keyof Metrics, number>();
  let n = 1;
  for (const key of Object.keys(metrics) as (keyof Metrics)[]) {
    const metric = metrics[key];
    if ('increment' in metric) metric.increment(n);
    else metric.update(n);
    amounts.set(key, n);
    n++;
  }
  return amounts;
}

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, info() {}, error: (m: string) => void errors.push(m) };
}

describe('createPromMetrics', () => {
  it('exposes every metric under jaeger-client names and labels, labelled series starting at 0', async () => {
    const registry = new promClient.Registry();
    const metrics = createPromMetrics(promClient, { registry });

    const fresh = seriesLines(await registry.metrics());
    assert.deepEqual(fresh.sort(), [
      'jaeger:baggage_truncations 0',
      'jaeger:baggage_updates{result="err"} 0',
      'jaeger:baggage_updates{result="ok"} 0',
      'jaeger:finished_spans 0',
      'jaeger:reporter_queue_length 0',
      'jaeger:reporter_spans{result="dropped"} 0',
      'jaeger:reporter_spans{result="err"} 0',
      'jaeger:reporter_spans{result="ok"} 0',
      'jaeger:sampler_queries{result="err"} 0',
      'jaeger:sampler_queries{result="ok"} 0',
      'jaeger:sampler_updates{result="err"} 0',
      'jaeger:sampler_updates{result="ok"} 0',
      'jaeger:span_context_decoding_errors 0',
      'jaeger:started_spans{sampled="n"} 0',
      'jaeger:started_spans{sampled="y"} 0',
      'jaeger:traces{state="joined",sampled="n"} 0',
      'jaeger:traces{state="joined",sampled="y"} 0',
      'jaeger:traces{state="started",sampled="n"} 0',
      'jaeger:traces{state="started",sampled="y"} 0',
    ]);

    metrics.tracesStartedSampled.increment();
    metrics.tracesStartedSampled.increment();
    metrics.tracesJoinedNotSampled.increment(5);
    metrics.reporterSuccess.increment(100);
    metrics.reporterDropped.increment(7);
    metrics.reporterQueueLength.update(42);
    metrics.reporterQueueLength.update(3);
    metrics.samplerQueryFailure.increment();
    metrics.baggageTruncate.increment();

    const text = await registry.metrics();
    const lines = seriesLines(text);
    assert.ok(lines.includes('jaeger:traces{state="started",sampled="y"} 2'));
    assert.ok(lines.includes('jaeger:traces{state="joined",sampled="n"} 5'));
    assert.ok(lines.includes('jaeger:traces{state="started",sampled="n"} 0'));
    assert.ok(lines.includes('jaeger:reporter_spans{result="ok"} 100'));
    assert.ok(lines.includes('jaeger:reporter_spans{result="dropped"} 7'));
    assert.ok(lines.includes('jaeger:reporter_queue_length 3'));
    assert.ok(lines.includes('jaeger:sampler_queries{result="err"} 1'));
    assert.ok(lines.includes('jaeger:baggage_truncations 1'));
    assert.match(text, /^# TYPE jaeger:traces counter$/m);
    assert.match(text, /^# TYPE jaeger:reporter_queue_length gauge$/m);
    assert.match(text, /^# HELP jaeger:reporter_spans \S/m);
  });

  it("names and labels each series exactly as jaeger-client's own PrometheusMetricsFactory does", async () => {
    // jaeger-client registers on prom-client's global registry, so use it in isolation here.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jaeger = require('jaeger-client');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const JaegerMetrics = require('jaeger-client/dist/src/metrics/metrics').default;
    promClient.register.clear();
    try {
      const theirs = new JaegerMetrics(new jaeger.PrometheusMetricsFactory(promClient, 'svc'));
      const amounts = touchAll(createNoopMetricsShape(theirs));
      // jaeger-client also has throttler metrics, which our Metrics interface leaves out.
      const theirLines = seriesLines(await promClient.register.metrics()).filter((l) => !l.includes('throttle'));
      promClient.register.clear();

      const ours = createPromMetrics(promClient, { namespace: 'svc' });
      const ourAmounts = touchAll(ours);
      const ourLines = seriesLines(await promClient.register.metrics());

      assert.deepEqual([...ourAmounts.keys()].sort(), [...amounts.keys()].sort());
      assert.equal(theirLines.length, Object.keys(ours).length);
      assert.deepEqual(ourLines.sort(), theirLines.sort());
      assert.ok(ourLines.includes(`svc_jaeger:traces{state="started",sampled="y"} ${ourAmounts.get('tracesStartedSampled')}`));
    } finally {
      promClient.register.clear();
    }

    /** jaeger-client's Metrics restricted to the fields our Metrics interface has (no throttler ones). */
    function createNoopMetricsShape(all: Record<string, unknown>): Metrics {
      const probe = createPromMetrics(promClient, { registry: new promClient.Registry() });
      const picked: Record<string, unknown> = {};
      for (const key of Object.keys(probe)) {
        assert.ok(all[key], `jaeger-client has no metric field ${key}`);
        picked[key] = all[key];
      }
      return picked as unknown as Metrics;
    }
  });

  it('sanitises the namespace so a service name can be used as is', async () => {
    const registry = new promClient.Registry();
    createPromMetrics(promClient, { registry, namespace: 'my-service.v2' }).spansFinished.increment();
    assert.ok(seriesLines(await registry.metrics()).includes('my_service_v2_jaeger:finished_spans 1'));

    assert.equal(sanitizeNamespace('my-service'), 'my_service');
    assert.equal(sanitizeNamespace('9lives'), '_9lives');
    assert.equal(sanitizeNamespace('a:b c/é'), 'a_b_c__');
    assert.equal(sanitizeNamespace(''), '');
    assert.equal(sanitizeNamespace(undefined), '');
  });

  it("uses '_' instead of ':' when nameSeparator is '_'", async () => {
    const registry = new promClient.Registry();
    const metrics = createPromMetrics(promClient, { registry, namespace: 'api', nameSeparator: '_' });
    metrics.reporterFailure.increment(2);
    const lines = seriesLines(await registry.metrics());
    assert.ok(lines.includes('api_jaeger_reporter_spans{result="err"} 2'));
    assert.ok(lines.every((line) => !line.includes(':')), lines.join('\n'));
  });

  it('reuses the registered metrics when created twice on one registry', async () => {
    const registry = new promClient.Registry();
    const first = createPromMetrics(promClient, { registry, namespace: 'svc' });
    const second = createPromMetrics(promClient, { registry, namespace: 'svc' });
    first.reporterSuccess.increment(2);
    second.reporterSuccess.increment(3);
    second.reporterQueueLength.update(9);
    const lines = seriesLines(await registry.metrics());
    assert.ok(lines.includes('svc_jaeger:reporter_spans{result="ok"} 5'));
    assert.ok(lines.includes('svc_jaeger:reporter_queue_length 9'));
    assert.equal(lines.filter((l) => l.startsWith('svc_jaeger:reporter_spans{result="ok"}')).length, 1);
  });

  it("registers on prom-client's global registry when no registry is given", async () => {
    promClient.register.clear();
    try {
      createPromMetrics(promClient).decodingErrors.increment();
      createPromMetrics(promClient).decodingErrors.increment(); // again: reused, not thrown
      assert.ok(seriesLines(await promClient.register.metrics()).includes('jaeger:span_context_decoding_errors 2'));
    } finally {
      promClient.register.clear();
    }
  });

  it('ignores increments prom-client would throw on (negative, NaN, Infinity) and non-finite gauge values', async () => {
    const registry = new promClient.Registry();
    const metrics = createPromMetrics(promClient, { registry });
    metrics.reporterSuccess.increment(4);
    metrics.reporterSuccess.increment(-1);
    metrics.reporterSuccess.increment(Number.NaN);
    metrics.reporterSuccess.increment(Number.POSITIVE_INFINITY);
    metrics.reporterSuccess.increment(0);
    metrics.reporterQueueLength.update(6);
    metrics.reporterQueueLength.update(Number.NaN);
    const lines = seriesLines(await registry.metrics());
    assert.ok(lines.includes('jaeger:reporter_spans{result="ok"} 4'));
    assert.ok(lines.includes('jaeger:reporter_queue_length 6'));
  });

  it('does not throw when a name is taken by a metric of another kind or labels; logs each once', async () => {
    const registry = new promClient.Registry();
    new promClient.Gauge({ name: 'jaeger:traces', help: 'someone else', registers: [registry] });
    new promClient.Counter({ name: 'jaeger:reporter_spans', help: 'other labels', labelNames: ['outcome'], registers: [registry] });
    const logger = recordingLogger();

    const metrics = createPromMetrics(promClient, { registry, logger });
    metrics.tracesStartedSampled.increment();
    metrics.reporterSuccess.increment();
    metrics.spansFinished.increment(2);

    const lines = seriesLines(await registry.metrics());
    assert.ok(lines.includes('jaeger:finished_spans 2'));
    assert.ok(lines.includes('jaeger:traces 0'), 'the foreign gauge is left untouched');
    assert.ok(!lines.some((l) => l.startsWith('jaeger:reporter_spans')), 'nothing recorded under the foreign labels');
    assert.ok(lines.includes('jaeger:baggage_updates{result="ok"} 0'), 'the other metrics are unaffected');
    assert.equal(logger.errors.filter((m) => m.includes('jaeger:traces')).length, 1);
    assert.equal(logger.errors.filter((m) => m.includes('jaeger:reporter_spans')).length, 1);
  });

  it('rejects something that is not prom-client with a clear error', () => {
    assert.throws(() => createPromMetrics({} as never), /prom-client/);
    assert.throws(() => createPromMetrics(undefined as never), /prom-client/);
  });
});
