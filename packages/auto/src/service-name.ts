import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * A service name for an app started with no `JAEGER_SERVICE_NAME`: the `name` of the
 * nearest package.json above the main script, else the script's file name.
 */
export function guessServiceName(script: string | undefined = process.argv[1]): string {
  if (script === undefined || script === '') return 'node-app';
  let dir = path.dirname(path.resolve(script));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (typeof pkg.name === 'string' && pkg.name !== '') return pkg.name.replace(/^@[^/]+\//, '');
    } catch {
      // no package.json here: keep looking upwards
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return path.basename(script).replace(/\.[cm]?[jt]s$/, '') || 'node-app';
}
