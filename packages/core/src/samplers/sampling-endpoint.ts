/**
 * Where the remote sampler asks for its strategy, and its defaults: apart from the sampler so
 * that validating a sampler config does not load it (lazy.ts says why).
 */
export const DEFAULT_SAMPLING_HOST = 'localhost';
export const DEFAULT_SAMPLING_PORT = 5778;
export const DEFAULT_SAMPLING_PATH = '/sampling';
export const DEFAULT_REFRESH_INTERVAL_MS = 60_000;
export const DEFAULT_INITIAL_SAMPLING_RATE = 0.001;
export const DEFAULT_SAMPLING_REQUEST_TIMEOUT_MS = 5_000;

/**
 * Splits `'host:port'`, `'[::1]:port'` or `'http://host:port'`; the port defaults to 5778.
 * Throws an Error naming the bad value.
 */
export function parseHostPort(hostPort: string): { host: string; port: number } {
  const address = String(hostPort).trim().replace(/^https?:\/\//i, '').replace(/\/.*$/, '');
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(address);
  const port = match?.[3] === undefined ? DEFAULT_SAMPLING_PORT : Number(match[3]);
  if (!match || port < 1 || port > 65535) {
    throw new Error(`sampler.hostPort must look like "host:port", got ${JSON.stringify(hostPort)}`);
  }
  return { host: match[1] ?? match[2], port };
}
