import { randomUUID } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';
import type { Tag, TagValue } from './span-data';

export const JT_VERSION = '0.1.0';

/** The first non-internal IPv4 address, as jaeger-client reported it; `127.0.0.1` if none. */
export function localIPv4(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}

/**
 * Jaeger process tags: `jaeger.version`, `hostname`, `ip`, `client-uuid`, then the user's
 * (which win on a clash).
 */
export function buildProcessTags(userTags: Record<string, unknown> = {}): Tag[] {
  const tags: Record<string, unknown> = {
    'jaeger.version': `Node-jt-${JT_VERSION}`,
    hostname: safe(hostname, 'unknown'),
    ip: safe(localIPv4, '127.0.0.1'),
    'client-uuid': randomUUID(),
    ...userTags,
  };
  return Object.keys(tags).map((key) => ({ key, value: tags[key] as TagValue }));
}

function safe(read: () => string, fallback: string): string {
  try {
    return read();
  } catch {
    return fallback;
  }
}
