import * as path from 'node:path';

/** One installed version of a library under test: its own copy is found from `from`. */
export interface VersionUnderTest {
  readonly label: string;
  readonly major: number;
  /** A folder whose `node_modules` holds this version (the test dir, or a fixture). */
  readonly from: string;
}

function packageDir(name: string, from: string): string {
  return path.dirname(require.resolve(`${name}/package.json`, { paths: [from] }));
}

/**
 * Requires `version`'s own copy of `name`, first forgetting every loaded file of it (and of
 * the packages in `alsoForget`, found from its folder), so hooks registered before this call
 * see a fresh load. Fails when the copy found is not of `version.major`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function requireFresh(name: string, version: VersionUnderTest, alsoForget: readonly string[] = []): any {
  const dir = packageDir(name, version.from);
  const dirs = [dir, ...alsoForget.map((other) => packageDir(other, dir))];
  for (const file of Object.keys(require.cache)) {
    if (dirs.some((forgotten) => file.startsWith(forgotten + path.sep))) delete require.cache[file];
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const found = (require(path.join(dir, 'package.json')) as { version: string }).version;
  if (Number(found.split('.')[0]) !== version.major) throw new Error(`${version.label}: found ${name} ${found}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve(name, { paths: [version.from] }));
}
