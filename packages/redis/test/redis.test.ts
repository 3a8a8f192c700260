import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type RedisDefault from 'ioredis';
import { defineIoredisSuite } from './ioredis-suite';

// ioredis 5 is installed at the repository root. ioredis 6 runs the same suite when it is
// installed as a real `ioredis` in the fixture folder (an npm alias would not be seen as
// `ioredis` by require-in-the-middle): cd test/fixtures/ioredis6 && npm install ioredis@6
function load(dir: string): { module: typeof RedisDefault; version: string } {
  const module = require(dir) as typeof RedisDefault;
  const version = (require(join(dir, 'package.json')) as { version: string }).version;
  return { module, version };
}

const root = load(require.resolve('ioredis').replace(/built[\\/]index\.js$/, ''));
defineIoredisSuite(root.version.split('.')[0]!, root.module, root.version);

const fixture = join(__dirname, 'fixtures', 'ioredis6', 'node_modules', 'ioredis');
if (existsSync(fixture)) {
  const six = load(fixture);
  defineIoredisSuite(six.version.split('.')[0]!, six.module, six.version);
} else {
  describe('ioredis 6 instrumentation (real Redis)', () => {
    it.skip('needs ioredis@6 in packages/redis/test/fixtures/ioredis6 (not installed)');
  });
}
