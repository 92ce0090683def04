/**
 * `verify --affected <base>..<head>` (issue 74): the completed specs a change touches are those
 * whose recorded files, tests or proof tests it changes; only they are verified. The paths come
 * from each spec's basis (completion.json, or the matrix rebuilt from its journals).
 */
import { EngineUsageError } from '../errors';
import { commitOf, pathsChangedBetween } from '../git';
import type { Spec } from '../project/specs';
import type { DriftBasis } from './driftBasis';
import type { AffectedSpecs } from './types';

/** `base..head` → its two ends; a missing end is refused rather than guessed. */
function rangeEnds(range: string): [string, string] {
  const m = /^([^.\s][^\s]*?)\.\.([^.\s][^\s]*)$/.exec(range);
  if (!m)
    throw new EngineUsageError(`--affected takes a range of two commits, base..head (got ${JSON.stringify(range)})`);
  return [m[1]!, m[2]!];
}

export async function changedPaths(workspace: string, range: string): Promise<Set<string>> {
  const [base, head] = rangeEnds(range);
  try {
    return new Set(await pathsChangedBetween(workspace, base, head));
  } catch (error) {
    throw new EngineUsageError(`--affected ${range}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The commit the range's base names (where a proof failing on the head is run again). */
export function baseOf(workspace: string, range: string): Promise<string> {
  return commitOf(workspace, rangeEnds(range)[0]);
}

/** The commit the range's head names (a merge group's head: where the culprits' bisection ends). */
export function headOf(workspace: string, range: string): Promise<string> {
  return commitOf(workspace, rangeEnds(range)[1]);
}

/** Every path a spec's proof rests on: its requirements' files and tests, their proof tests, the record's files. */
function pathsOf(basis: DriftBasis): Set<string> {
  const paths = new Set(Object.keys(basis.files ?? {}));
  for (const req of basis.requirements) {
    for (const path of [...req.files, ...req.tests]) paths.add(path);
    for (const criterion of req.criteria) for (const test of criterion.proof?.tests ?? []) paths.add(test.file);
  }
  return paths;
}

/** The specs among `specs` whose paths the change touches, in their order, with the paths touched. */
export function touched(
  range: string,
  changed: ReadonlySet<string>,
  specs: readonly { spec: Spec; basis: DriftBasis }[],
): AffectedSpecs {
  const hit = specs.flatMap(({ spec, basis }) => {
    const files = [...pathsOf(basis)].filter((path) => changed.has(path)).sort();
    return files.length > 0 ? [{ specId: spec.id, files }] : [];
  });
  return { range, changed: changed.size, specs: hit, untouched: specs.length - hit.length };
}
