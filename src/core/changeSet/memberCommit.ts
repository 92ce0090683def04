/**
 * A member's part committed on the set's branch once it passed on the combined heads (issue 73):
 * `publish <branch>` pushes what the set made, with no commit by hand. What changed in its work
 * tree since the set began (its runs' files, its spec, a client its link step regenerated), never
 * what the user had not committed before the set began, unless its runs changed it too.
 */
import { changedPaths, commitPaths } from '../git';
import { listRuns } from '../journal';
import { changesOfRun } from '../pipeline/run';

export async function commitMemberPart(
  member: { name: string; path: string },
  part: { specId: string; title: string; uncommitted: readonly string[] },
  set: { setId: string; at: number; of: number },
): Promise<string | undefined> {
  const theirs = new Set(part.uncommitted);
  for (const run of listRuns(member.path).filter((r) => r.specId === part.specId))
    for (const file of await changesOfRun(member.path, run.runId).catch(() => [])) theirs.delete(file.path);
  const paths = (await changedPaths(member.path)).filter((path) => !theirs.has(path));
  const message = `${part.title}\n\nChange-set ${set.setId}: ${member.name} (${set.at}/${set.of}), spec ${part.specId}`;
  return commitPaths(member.path, paths, message);
}

/** Each member's paths not committed when the set begins (recorded with the set). */
export async function uncommittedOf(
  members: readonly { name: string; path: string }[],
): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const member of members) found[member.name] = await changedPaths(member.path);
  return found;
}
