// The OpenTracing-style API of @jt/core, by hand, in TypeScript. Each step prints what it did;
// with `logSpans` the tracer also prints one "Reporting span" line per finished span.
// Run: `npx tsx main.ts` (or `npm start`). Spans go to the Jaeger agent over UDP.
import { initTracer, FORMAT_TEXT_MAP, Tags, traced, type Logger, type Span } from '@jt/core';

// Any object with info/error will do (console, pino, winston...). The tracer reports its
// own problems here, once each, and the spans themselves because of `logSpans`.
const logger: Logger = {
  info: (message) => console.log(`  [jt] ${message}`),
  error: (message) => console.error(`  [jt] ${message}`),
};

const tracer = initTracer(
  {
    serviceName: process.env.JAEGER_SERVICE_NAME ?? 'manual-example',
    sampler: { type: 'const', param: 1 }, // keep every trace
    reporter: {
      logSpans: true,
      agentHost: process.env.JAEGER_AGENT_HOST ?? 'localhost',
      agentPort: Number(process.env.JAEGER_AGENT_PORT ?? 6831),
    },
  },
  { logger, tags: { 'example.language': 'typescript' } }, // process tags, on every span
);

// 1. A span and a child, with tags and key-value logs.
function startOrder(): Span {
  const span = tracer.startSpan('TestSpan', { tags: { 'order.id': 1001 } });
  console.log(`1. TestSpan ${span.context().spanId} in trace ${span.context().traceId}, with a child`);
  const child = tracer.startSpan('TestSpan.validate', { childOf: span });
  child.log({ event: 'validated', items: 3, 'total.cents': 2500 });
  child.finish();
  return span;
}

// 2. Across a process boundary: the context travels in a text map (here inside a JSON
//    message, as it would through a queue), baggage included.
function sendOrder(span: Span): string {
  span.setBaggageItem('customer', 'alice'); // travels with the context to every downstream span
  const headers: Record<string, string> = {};
  tracer.inject(span, FORMAT_TEXT_MAP, headers);
  console.log(`2. injected ${JSON.stringify(headers)}`);
  return JSON.stringify({ orderId: 1001, headers });
}

function receiveOrder(message: string): void {
  // ...in the other process:
  const { orderId, headers } = JSON.parse(message) as { orderId: number; headers: Record<string, string> };
  const parent = tracer.extract(FORMAT_TEXT_MAP, headers); // null when the carrier has no context
  const span = tracer.startSpan('process-order', {
    childOf: parent,
    tags: { [Tags.SPAN_KIND]: Tags.SPAN_KIND_MESSAGING_CONSUMER, 'order.id': orderId },
  });
  span.log({ event: 'received', customer: span.getBaggageItem('customer') ?? 'unknown' });
  span.finish();
  console.log(`   extracted: process-order is a child of ${parent?.spanId} in trace ${span.context().traceId}`);
}

// 3. Async context: `tracer.trace` runs a function with its span active, so spans started
//    inside (here by @traced methods) become its children without passing spans around.
interface Order {
  id: number;
  prices: number[];
}

class OrderService {
  @traced('load-order') // a name of your own...
  async load(id: number): Promise<Order> {
    await new Promise((resolve) => setTimeout(resolve, 5)); // pretend to query a database
    return { id, prices: [1000, 1000, 500] };
  }

  @traced() // ...or `ClassName.method`: OrderService.total
  total(order: Order): number {
    return order.prices.reduce((sum, price) => sum + price, 0);
  }

  @traced()
  async charge(order: Order, cents: number): Promise<void> {
    if (cents > 2000) throw new Error(`card declined for order ${order.id}`); // recorded on the span
  }
}

async function checkout(orders: OrderService): Promise<void> {
  try {
    console.log('3. checkout: load-order, OrderService.total and OrderService.charge as children');
    await tracer.trace('checkout', async (span) => {
      const order = await orders.load(1001);
      const cents = orders.total(order);
      span.setTag('order.total.cents', cents);
      await orders.charge(order, cents);
    });
  } catch (err) {
    // the error was recorded (error=true and an error log) on OrderService.charge and checkout
    console.log(`   checkout failed: ${(err as Error).message}`);
  }
}

async function main(): Promise<void> {
  const span = startOrder();
  const message = sendOrder(span);
  span.finish();
  receiveOrder(message);
  await checkout(new OrderService());
  // 4. Send what is queued and stop the reporter. Short scripts must await this.
  await tracer.close();
  console.log('4. closed: all spans sent');
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
