'use strict';
/**
 * Shared by the hello-world apps: the mode (BENCH_MODE = bare | jt | jaeger | otel), the
 * jaeger-client middleware when that mode asks for it, and the READY line the harness waits
 * for (with the port and, under @jt/auto, which integrations it registered).
 */
const MODE = process.env.BENCH_MODE ?? 'bare';
const BODY = 'hello world';

/** jaeger-client's minimal request tracing (only in `jaeger` mode), else null. */
function jaegerTracing() {
  return MODE === 'jaeger' ? require('../tracers/jaeger-client-mw') : null;
}

function ready(server, framework) {
  const handle = globalThis[Symbol.for('jt.auto.handle')];
  const info = {
    port: server.address().port,
    pid: process.pid,
    mode: MODE,
    framework,
    frameworkVersion: frameworkVersion(framework),
    jtInstrumentations: handle ? handle.instrumentations : undefined,
  };
  process.stdout.write(`BENCH_READY ${JSON.stringify(info)}\n`);
}

function frameworkVersion(framework) {
  if (framework === 'http') return process.version;
  try {
    const name = framework.replace(/\d+$/, '');
    return require(require.resolve(`${name}/package.json`, { paths: [process.cwd(), __dirname] })).version;
  } catch {
    return undefined;
  }
}

const HOST = '127.0.0.1';
module.exports = { MODE, BODY, HOST, jaegerTracing, ready };
