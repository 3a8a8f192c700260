/** Reads environment variables as people write them, with errors that name the variable. */
export type Env = Readonly<Record<string, string | undefined>>;

const TRUE = new Set(['1', 'true', 'yes', 'on', 't', 'y']);
const FALSE = new Set(['0', 'false', 'no', 'off', 'f', 'n', '']);

/** The first of `names` that is set (non-empty); later names are deprecated aliases. */
export function envValue(env: Env, ...names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return { name, value: value.trim() };
  }
  return undefined;
}

export function envString(env: Env, ...names: string[]): string | undefined {
  return envValue(env, ...names)?.value;
}

export function envBool(env: Env, ...names: string[]): boolean | undefined {
  const found = envValue(env, ...names);
  if (found === undefined) return undefined;
  const lower = found.value.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  throw new Error(`${found.name}=${JSON.stringify(found.value)} is not a boolean (use true or false)`);
}

export function envInt(env: Env, ...names: string[]): number | undefined {
  const found = envValue(env, ...names);
  if (found === undefined) return undefined;
  if (!/^\d+$/.test(found.value)) {
    throw new Error(`${found.name}=${JSON.stringify(found.value)} is not a non-negative integer`);
  }
  return Number(found.value);
}

/**
 * `JAEGER_TAGS`: `k=v,k2=${ENV_VAR:default}`; a `${VAR}` reference reads another variable,
 * falling back to the default after `:`.
 */
export function parseTagList(text: string, env: Env, source = 'JAEGER_TAGS'): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const item of text.split(',')) {
    if (item.trim() === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`${source}: "${item.trim()}" is not key=value`);
    const key = item.slice(0, eq).trim();
    let value = item.slice(eq + 1).trim();
    const ref = /^\$\{([^}:]+)(?::([^}]*))?\}$/.exec(value);
    if (ref !== null) value = env[ref[1]!] ?? ref[2] ?? '';
    tags[key] = value;
  }
  return tags;
}
