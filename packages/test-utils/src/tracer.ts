import type { InMemoryReporter, Span, Tracer } from '@jt/core';
import { core } from './core';

/** Sets a global tracer (`getTracer()`) reporting into `reporter`; `sampled` false: the sampler says no. */
export function useTracer(reporter: InMemoryReporter, sampled = true, serviceName = 'jt-test'): Tracer {
  const { ConstSampler, Tracer, setGlobalTracer } = core();
  const tracer = new Tracer(serviceName, reporter, new ConstSampler(sampled));
  setGlobalTracer(tracer);
  return tracer;
}

/** A tracer of its own (not the global one) sampling everything into a new in-memory reporter. */
export function newTracer(serviceName = 'jt-test'): { tracer: Tracer; reporter: InMemoryReporter } {
  const { ConstSampler, InMemoryReporter, Tracer } = core();
  const reporter = new InMemoryReporter();
  return { reporter, tracer: new Tracer(serviceName, reporter, new ConstSampler(true)) };
}

/** Runs `fn` as the active span of a new `parent` span of `tracer`; resolves with that span once `fn` settled. */
export async function spanAround(tracer: Tracer, fn: () => Promise<unknown>): Promise<Span> {
  let parent: Span | undefined;
  await tracer.trace('parent', async (span) => {
    parent = span;
    await fn();
  });
  return parent!;
}
