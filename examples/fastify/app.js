// A Fastify app traced with the @jt/fastify plugin, registered explicitly (no `node -r`).
// Run it with `node app.js`, then `curl localhost:3000/users/42` and `curl localhost:3000/boom`.
// Spans go to the Jaeger agent over UDP (JAEGER_AGENT_HOST:JAEGER_AGENT_PORT, default localhost:6831).
const fastify = require('fastify');
const { initTracer } = require('@jt/core');
const { jaegerFastify } = require('@jt/fastify');

// One tracer for the process; initTracer also makes it the global tracer the plugin uses.
const tracer = initTracer(
  {
    serviceName: process.env.JAEGER_SERVICE_NAME ?? 'fastify-example',
    sampler: { type: 'const', param: 1 }, // keep every trace (the default samples 0.1%)
    reporter: {
      agentHost: process.env.JAEGER_AGENT_HOST ?? 'localhost',
      agentPort: Number(process.env.JAEGER_AGENT_PORT ?? 6831),
    },
  },
  { logger: console, tags: { 'deployment.environment': 'example' } },
);

const users = new Map([
  ['1', { id: 1, name: 'Ada' }],
  ['42', { id: 42, name: 'Grace' }],
]);

async function loadUser(id) {
  // a child of the request's server span: the plugin makes that span active in handlers
  return tracer.trace('load-user', async (span) => {
    await new Promise((resolve) => setTimeout(resolve, 5)); // pretend to query a database
    const user = users.get(id);
    span.log({ event: user ? 'found' : 'not-found' });
    return user;
  });
}

const app = fastify();
app.register(jaegerFastify, { ignorePaths: ['/health'] }); // first, so its hooks cover every route below

// The server span is named by the route template: `GET /users/:id`, not `GET /users/42`.
app.get('/users/:id', async (request, reply) => {
  tracer.activeSpan()?.setTag('user.id', request.params.id); // the request's server span
  const user = await loadUser(request.params.id);
  if (!user) return reply.code(404).send({ error: 'no such user' });
  return user;
});

// A thrown error: the span gets error=true and a log with the error's kind, message and stack.
app.get('/boom', async () => {
  throw new Error('something broke');
});

// Left untraced (see ignorePaths above): load balancers poll it all day long.
app.get('/health', async () => 'ok');

async function main() {
  const address = await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 3000) });
  console.log(`fastify-example listening on ${address}`);
}

// Without @jt/auto nothing flushes for you: close the server, then the tracer, which sends
// what is still queued.
async function shutdown(signal) {
  console.log(`${signal}: closing`);
  await app.close();
  await tracer.close();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
