import type { Instrumentation } from '@jt/core';
import { httpServerInstrumentation, type HttpServerInstrumentationOptions } from '@jt/core';

/**
 * Every instrumentation @jt/auto knows, by the name `JAEGER_INSTRUMENTATIONS` uses. Each
 * integration package is loaded by `load`, so one that fails to load costs only its own spans;
 * one that hooks no built-in (and is not `loadAtStart`) is loaded only when the app first
 * requires one of its `modules`.
 */
export interface IntegrationEntry {
  /** Name in `JAEGER_INSTRUMENTATIONS` / `JAEGER_INSTRUMENTATIONS_DISABLED`. */
  name: string;
  /**
   * Every module its hooks patch: what triggers loading it, and the ESM loader's include list.
   * A hook on a package missing here is not applied (the tests check each entry's hooks).
   */
  modules: readonly string[];
  /**
   * Loaded at start even though it hooks no built-in: it listens on a diagnostics channel,
   * which fires however the library came to be loaded (a bundled app never requires it).
   */
  loadAtStart?: boolean;
  /** `server` carries the inbound-request options (JAEGER_IGNORE_PATHS) for server-side integrations. */
  load(server: HttpServerInstrumentationOptions): Instrumentation;
}

function fromPackage<T>(pkg: string, factory: (mod: T) => Instrumentation): () => Instrumentation {
  return () => factory(require(pkg) as T);
}

type Factory = (options?: object) => Instrumentation;

export const INTEGRATIONS: readonly IntegrationEntry[] = [
  { name: 'http', modules: ['http', 'https'], load: (server) => httpServerInstrumentation(server) },
  {
    name: 'http-client',
    modules: ['http', 'https', 'undici'],
    load: fromPackage<{ httpClientInstrumentation: Factory }>('@jt/http-client', (m) => m.httpClientInstrumentation()),
  },
  {
    name: 'express',
    modules: ['express', 'router'],
    load: (server) =>
      fromPackage<{ expressInstrumentation: Factory }>('@jt/express', (m) => m.expressInstrumentation({ ignorePaths: server.ignorePaths }))(),
  },
  {
    name: 'koa',
    modules: ['koa', '@koa/router'],
    load: (server) =>
      fromPackage<{ koaInstrumentation: Factory }>('@jt/koa', (m) => m.koaInstrumentation({ ignorePaths: server.ignorePaths }))(),
  },
  {
    name: 'fastify',
    modules: ['fastify'],
    loadAtStart: true,
    load: (server) =>
      fromPackage<{ fastifyInstrumentation: Factory }>('@jt/fastify', (m) => m.fastifyInstrumentation({ ignorePaths: server.ignorePaths }))(),
  },
  {
    name: 'redis',
    modules: ['ioredis'],
    load: fromPackage<{ redisInstrumentation: Factory }>('@jt/redis', (m) => m.redisInstrumentation()),
  },
  {
    name: 'pg',
    modules: ['pg'],
    load: fromPackage<{ pgInstrumentation: Factory }>('@jt/pg', (m) => m.pgInstrumentation()),
  },
];

/** Aliases people type for the same integration. */
const ALIASES: Record<string, string> = { ioredis: 'redis', postgres: 'pg', postgresql: 'pg', undici: 'http-client', fetch: 'http-client', https: 'http' };

function parseList(text: string | undefined, variable: string): Set<string> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const known = new Set(INTEGRATIONS.map((i) => i.name));
  const names = new Set<string>();
  for (const raw of text.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    const canonical = ALIASES[name] ?? name;
    if (!known.has(canonical)) {
      throw new Error(`${variable}: unknown instrumentation "${raw.trim()}" (known: ${[...known].join(', ')})`);
    }
    names.add(canonical);
  }
  return names;
}

/**
 * The integrations to turn on: all, or only those in `JAEGER_INSTRUMENTATIONS`, minus those
 * in `JAEGER_INSTRUMENTATIONS_DISABLED`.
 */
export function selectIntegrations(env: NodeJS.ProcessEnv = process.env): IntegrationEntry[] {
  const enabled = parseList(env.JAEGER_INSTRUMENTATIONS, 'JAEGER_INSTRUMENTATIONS');
  const disabled = parseList(env.JAEGER_INSTRUMENTATIONS_DISABLED, 'JAEGER_INSTRUMENTATIONS_DISABLED') ?? new Set();
  return INTEGRATIONS.filter((i) => (enabled === undefined || enabled.has(i.name)) && !disabled.has(i.name));
}
