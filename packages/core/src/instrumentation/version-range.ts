/**
 * Whether an installed package's version is inside a hook's `versions` range, with semver's
 * meaning (prereleases included, as `includePrerelease` has it).
 *
 * The ranges hooks declare are nearly always `*` or plain comparators (`>=4 <6`), and installed
 * versions nearly always releases: those are decided here. Anything else (`^`, `~`, x-ranges,
 * `||`, hyphen ranges, a prerelease or odd version) goes to `semver`, which loads then. Loaded
 * at start, semver kept ~80 KB of code and source in a traced express app's heap, and a 64 KB
 * table outside it (lazy.ts says why that matters).
 */
import { lazy } from '../lazy';

const loadSemverSatisfies = lazy(() => (require('semver/functions/satisfies') as typeof import('semver/functions/satisfies')));

/** A release version `major.minor.patch` as semver reads it (no leading zeros, safe integers). */
const RELEASE = /^(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})$/;
/** One comparator: an operator and a full or partial release version (`>=4`, `<6.1`, `=1.2.3`, `2`). */
const COMPARATOR = /^(>=|<=|>|<|=)?(0|[1-9]\d{0,14})(?:\.(0|[1-9]\d{0,14})(?:\.(0|[1-9]\d{0,14}))?)?$/;

/** Whether a comparator holds, given how the version's parts compare with its bound's. */
const HOLDS: Record<string, (order: number) => boolean> = {
  '>=': (order) => order >= 0,
  '>': (order) => order > 0,
  '<=': (order) => order <= 0,
  '<': (order) => order < 0,
  '=': (order) => order === 0,
};

/** Whether `version` is inside `range` (a semver range), as `semver.satisfies` with prereleases included says. */
export function satisfiesRange(version: string, range: string): boolean {
  const decided = decideSimply(version, range);
  return decided ?? loadSemverSatisfies()(version, range, { includePrerelease: true });
}

/** The answer for a release version against `*` or space-separated plain comparators; `undefined` for anything else. */
function decideSimply(version: string, range: string): boolean | undefined {
  // a JavaScript caller's hook may hold anything (a semver Range, a number): semver answers those
  if (typeof version !== 'string' || typeof range !== 'string') return undefined;
  const release = RELEASE.exec(version);
  if (release === null) return undefined;
  const trimmed = range.trim();
  if (trimmed === '' || trimmed === '*') return true;
  const v = [Number(release[1]), Number(release[2]), Number(release[3])];
  // every comparator is read (one semver must read sends the whole range there) before the answer
  let all = true;
  for (const part of trimmed.split(/\s+/)) {
    const comparator = COMPARATOR.exec(part);
    if (comparator === null) return undefined;
    // A partial version compares on the parts it gives: `<6` is below 6.0.0, `<=4` anything 4.x,
    // `>4` anything from 5.0.0, `4` (or `=4`) anything 4.x; as semver desugars them.
    const bound = [comparator[2], comparator[3], comparator[4]].filter((p) => p !== undefined).map(Number);
    all &&= HOLDS[comparator[1] ?? '='](comparePrefix(v, bound));
  }
  return all;
}

/** -1, 0 or 1 as `version`'s first `bound.length` parts are below, equal to or above `bound`. */
function comparePrefix(version: number[], bound: number[]): number {
  for (let i = 0; i < bound.length; i++) {
    if (version[i]! !== bound[i]!) return version[i]! < bound[i]! ? -1 : 1;
  }
  return 0;
}
