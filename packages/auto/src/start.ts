import { isBuiltin } from 'node:module';
import {
  initTracerFromEnv,
  registerInstrumentations,
  type DeferredInstrumentation,
  type HttpServerInstrumentationOptions,
  type Instrumentation,
  type Logger,
  type Tracer,
} from '@jt/core';
import { bridgeEsmImports } from './esm-bridge';
import { installExitFlush } from './exit-flush';
import { selectIntegrations, type IntegrationEntry } from './integrations';
import { guessServiceName } from './service-name';

/** What `start()` set up; `shutdown()` flushes and closes the tracer and removes the exit hooks. */
export interface AutoHandle {
  tracer: Tracer;
  instrumentations: readonly string[];
  shutdown(): Promise<void>;
}

const HANDLE_KEY = Symbol.for('jt.auto.handle');
type Holder = { [HANDLE_KEY]?: AutoHandle | null };
const holder = globalThis as Holder;

/** Problems go to stderr (once each); info lines (e.g. `JAEGER_REPORTER_LOG_SPANS`) to stdout. */
const consoleLogger: Logger = {
  info: (message: string) => console.log(message),
  error: (message: string) => console.warn(message),
};

function ignorePathsFromEnv(): string[] | undefined {
  const text = process.env.JAEGER_IGNORE_PATHS;
  if (text === undefined || text.trim() === '') return undefined;
  return text.split(',').map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * An integration that hooks packages only is deferred: its package (and its patch code) is
 * loaded when the app first requires one of them. One that hooks a built-in (`http`) is
 * loaded now, as Node has loaded the built-in already, and so is one marked `loadAtStart`.
 */
function instrumentationsOf(
  integrations: readonly IntegrationEntry[],
  server: HttpServerInstrumentationOptions,
): (Instrumentation | DeferredInstrumentation)[] {
  const list: (Instrumentation | DeferredInstrumentation)[] = [];
  for (const integration of integrations) {
    if (integration.loadAtStart !== true && !integration.modules.some((name) => isBuiltin(name))) {
      list.push({ name: integration.name, modules: integration.modules, load: () => integration.load(server) });
      continue;
    }
    try {
      list.push(integration.load(server));
    } catch (err) {
      console.warn(`[jt] ${integration.name} instrumentation not loaded: ${(err as Error).message ?? String(err)}`);
    }
  }
  return list;
}

/**
 * Traces the whole process from the environment: `initTracerFromEnv` (service name
 * guessed from package.json when unset; every trace sampled unless `JAEGER_SAMPLER_*`
 * says otherwise), every installed integration registered (filtered by
 * `JAEGER_INSTRUMENTATIONS` / `JAEGER_INSTRUMENTATIONS_DISABLED`), spans flushed on exit.
 * Idempotent. If anything fails, one warning line and the app runs untraced.
 */
export function start(): AutoHandle | null {
  if (holder[HANDLE_KEY] !== undefined) return holder[HANDLE_KEY];
  holder[HANDLE_KEY] = null;
  try {
    const env = process.env;
    const sampler = env.JAEGER_SAMPLER_TYPE === undefined ? { type: 'const', param: 1 } : undefined;
    const tracer = initTracerFromEnv(
      { serviceName: env.JAEGER_SERVICE_NAME ?? env.OTEL_SERVICE_NAME ?? guessServiceName(), sampler },
      { logger: consoleLogger },
    );
    const integrations = selectIntegrations(env);
    const server = { ignorePaths: ignorePathsFromEnv() };
    const registration = registerInstrumentations(instrumentationsOf(integrations, server), { logger: consoleLogger });
    bridgeEsmImports(
      integrations.flatMap((i) => i.modules),
      (err) => consoleLogger.error(`[jt] ESM import hook failed: ${String(err)}`),
    );
    const removeExitHooks = installExitFlush(tracer);
    const handle: AutoHandle = {
      tracer,
      instrumentations: registration.names,
      async shutdown() {
        removeExitHooks();
        registration.unregister();
        await tracer.close();
      },
    };
    holder[HANDLE_KEY] = handle;
    return handle;
  } catch (err) {
    console.warn(`[jt] tracing disabled, the app runs untraced: ${(err as Error)?.message ?? String(err)}`);
    return null;
  }
}
