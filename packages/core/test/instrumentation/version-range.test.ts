import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import Range from 'semver/classes/range';
import satisfies from 'semver/functions/satisfies';
import { satisfiesRange } from '../../src/instrumentation/version-range';

const RANGES = [
  '*', '', ' ', '>=4 <6', '>=2 <3', '>=8 <9', '>=5 <7', '>=4.0.0 <6.0.0', '>=4.17 <4.18', '>4', '>4.17', '>4.17.1',
  '<6', '<6.1', '<6.0.1', '<=4', '<=4.17', '<=4.17.1', '=4', '=4.17', '=4.17.1', '4', '4.17', '4.17.1', '0', '>=0.0.0',
  '  >=4   <6  ', '>=4\t<6', '>=4\u00a0<6', '<0', '>=0', '>=1234567890123456', '<=999999999999999',
  // a false comparator first, then one only semver reads: the whole range must go to semver
  '>=4 <5 || >=6', '<5 ^6',
  // semver's own cases
  '^4.0.0', '^4', '~4.17', '4.x', '4.17.x', 'x', '^4 || ^5', '4 - 5', '>= 4 < 6', '>=1.0.0-0 <2', '>=01', 'v4', '=v4.1.0', 'not a range',
];
const VERSIONS = [
  '0.0.0', '0.2.5', '1.0.0', '3.9.9', '4.0.0', '4.17.0', '4.17.1', '4.17.2', '4.18.0', '4.21.2', '5.0.0', '5.99.99', '6.0.0', '6.0.1', '6.1.0', '8.11.3',
  '123456789012345.0.0', '1234567890123456.0.0', '999999999999999.0.0',
  // sent to semver
  '5.0.0-beta.1', '6.0.0-alpha.1', '4.17.1+build.5', 'v4.17.1', '04.1.0', '4.1', 'garbage', '',
];

describe('satisfiesRange', () => {
  it('answers as semver.satisfies with prereleases included, for every range and version here', () => {
    for (const range of RANGES) {
      for (const version of VERSIONS) {
        assert.equal(satisfiesRange(version, range), satisfies(version, range, { includePrerelease: true }), `${JSON.stringify(version)} in ${JSON.stringify(range)}`);
      }
    }
  });

  it('hands a range that is not a string (a semver Range, a number) to semver rather than throwing', () => {
    const range = new Range('>=4 <6');
    assert.equal(satisfiesRange('4.21.2', range as never), satisfies('4.21.2', range, { includePrerelease: true }));
    assert.equal(satisfiesRange('4.21.2', range as never), true);
    assert.equal(satisfiesRange('4.21.2', 4 as never), satisfies('4.21.2', 4 as never, { includePrerelease: true }));
    assert.equal(satisfiesRange('4.21.2', undefined as never), false);
  });

  it('decides plain comparators on release versions without loading semver, and loads it for the rest', () => {
    const script = `
      const { satisfiesRange } = require('@jt/core/dist/instrumentation/version-range');
      const loaded = () => Object.keys(require.cache).some((f) => f.includes('/node_modules/semver/'));
      const simple = [satisfiesRange('4.21.2', '>=4 <6'), satisfiesRange('6.0.0', '>=4 <6'), satisfiesRange('1.0.0', '*')];
      const before = loaded();
      const caret = satisfiesRange('4.21.2', '^4');
      console.log(JSON.stringify({ simple, before, caret, after: loaded() }));`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '../../../..'), encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { simple: [true, false, true], before: false, caret: true, after: true });
  });
});
