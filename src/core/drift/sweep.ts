/**
 * The sweep, `verify --all --since <commit>` (issue 74, "main is watched"): every completed spec's
 * proof has run on HEAD (verifySpec); each criterion red there is bisected over the first-parent
 * commits after the later of `--since` and the commit it was last proven at, up to HEAD, to the
 * first commit it is red at. Each probe is a worktree at that commit (commitProbes.ts), its proof
 * read as on HEAD (a failure retried once: a flaky probe counts as green). ⌈log₂ N⌉ probes for N
 * commits, plus one at the range's start unless the record says it was proven there.
 */
import { firstParentCommits } from '../git';
import type { CommitProbes } from './commitProbes';
import type { DriftBasis } from './driftBasis';
import type { SpecDrift, SweepReport, SweptCriterion } from './types';

export async function sweepSpec(
  workspace: string,
  probes: CommitProbes,
  range: { since: string; head: string },
  basis: DriftBasis,
  drift: SpecDrift,
  { group }: { group: boolean } = { group: false },
): Promise<SweepReport['specs'][number]> {
  const criteria: SweptCriterion[] = [];
  for (const req of basis.requirements)
    for (const criterion of req.criteria) {
      const now = drift.requirements.flatMap((r) => r.proof ?? []).find((p) => p.criterion === criterion.id);
      if (!now) continue;
      const lastProven = group ? undefined : criterion.proof?.lastProven?.commit;
      const swept: SweptCriterion = { criterion: criterion.id, now: now.now, ...(lastProven ? { lastProven } : {}) };
      if (now.now === 'failing' && !(group && now.base?.now === 'failing')) {
        const probe = async (commit: string) => {
          const at = await probes.criterionAt(commit, req, criterion.id);
          return at?.absent ? 'proven' : at?.now;
        };
        // A group's base is green: --affected probed it (or trusts it: our queue's target).
        swept.bisect = await bisect(workspace, range, lastProven, probe, group);
      }
      criteria.push(swept);
    }
  return { specId: drift.specId, criteria };
}

type Probe = (commit: string) => Promise<SweptCriterion['now'] | undefined>;

async function bisect(
  workspace: string,
  { since, head }: { since: string; head: string },
  lastProven: string | undefined,
  probe: Probe,
  startGreen: boolean,
): Promise<NonNullable<SweptCriterion['bisect']>> {
  const sinceRange = await firstParentCommits(workspace, since, head);
  // The later start: the recorded commit when it lies after --since on HEAD's line.
  const proven = lastProven !== undefined && sinceRange.includes(lastProven);
  const from = proven ? lastProven : since;
  const commits = proven ? sinceRange.slice(sinceRange.indexOf(lastProven) + 1) : sinceRange;
  let probes = 0;
  const probeAt = async (commit: string) => {
    probes++;
    return probe(commit);
  };
  const result = { from, commits: commits.length };
  if (commits.length === 0) return { ...result, probes, note: `HEAD is ${from.slice(0, 12)}: no commit to bisect` };
  if (!proven && !startGreen) {
    const start = await probeAt(from);
    if (start === 'failing')
      return { ...result, probes, note: `red already at ${from.slice(0, 12)}: the range starts too late to find it` };
    if (start === 'not-run' || start === undefined)
      return { ...result, probes, note: `its proof could not run at ${from.slice(0, 12)}` };
  }
  // Invariant: green at `good` (−1 is `from`), red at `bad` (the last is HEAD, red on this sweep).
  let good = -1;
  let bad = commits.length - 1;
  while (bad - good > 1) {
    const mid = Math.floor((good + bad) / 2);
    const now = await probeAt(commits[mid]!);
    if (now === 'failing') bad = mid;
    else if (now === 'proven' || now === 'flaky') good = mid;
    else
      return {
        ...result,
        probes,
        lastGreen: good < 0 ? from : commits[good]!,
        note: `its proof could not run at ${commits[mid]!.slice(0, 12)}: first red between the last green and HEAD`,
      };
  }
  return { ...result, firstRed: commits[bad]!, lastGreen: good < 0 ? from : commits[good]!, probes };
}
