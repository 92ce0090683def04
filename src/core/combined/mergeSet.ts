/**
 * `orchestrator merge <set>` (issue 73, docs/changesets.md "Merged in order, never half"): the set
 * published and checked on its combined heads (publishSet.ts), then merged producers first. Nothing
 * merges unless the set's status is green and every member can merge now (no conflict, no required
 * review, no red or pending check of its own): one that cannot holds the rest, named. Each merge is
 * journaled before and after (mergeJournal.ts): a run killed between two merges is resumed by the
 * next, which finishes the set; a member that cannot merge once others have leaves the set stuck,
 * and a pull request (GitHub) or the report (git) says which merged and proposes their revert.
 */
import { pushRevertBranch } from '../git';
import { journalPath, type MergeJournal, readJournal, writeJournal } from './mergeJournal';
import { describeAll, loadSet, type PublishReport, publishSet, type SetMember, type SetOptions } from './publishSet';

export interface MergedMember {
  name: string;
  /** `merged` now, `resumed`: merged before (a killed run's, or by hand), `held`: left unmerged, `waiting`: after the one holding. */
  status: 'merged' | 'resumed' | 'held' | 'waiting';
  commit?: string;
  reason?: string;
}

export interface MergeReport {
  set: string;
  published: PublishReport;
  members: MergedMember[];
  /** `merged`: the whole set; `held`: nothing merged, `held` names why; `stuck`: some merged, the revert proposed. */
  outcome: 'merged' | 'held' | 'stuck';
  held?: { member: string; reason: string };
  /** `stuck`: the revert proposed for each merged member (a pull request's address, or how to revert). */
  revert?: string[];
  /** A killed run's merge taken up again. */
  resumed: boolean;
  journal: string;
}

export async function mergeSet(start: string, set: string, options: SetOptions): Promise<MergeReport> {
  const say = options.onStep ?? (() => undefined);
  const loaded = await loadSet(start, set, options);
  const { members } = loaded;
  const path = await journalPath(members[0]!.path, set);
  const previous = readJournal(path);
  const heads = Object.fromEntries(members.map((m) => [m.name, m.head]));
  const resumed =
    previous?.state === 'merging' && members.every((m) => previous.heads[m.name] === m.head) ? previous : undefined;
  const journal: MergeJournal = resumed ?? { set, heads, merged: {}, state: 'merging' };
  const published = await publishSet(start, set, options, loaded);
  const base = { set, published, resumed: Boolean(resumed), journal: path };
  const report = (outcome: MergeReport['outcome'], list: MergedMember[], more: Partial<MergeReport> = {}) => ({
    ...base,
    outcome,
    members: list,
    ...more,
  });

  // Merged already: recorded by a killed run, or seen merged on the remote (killed after the merge, before the record).
  const done = new Map<string, string>();
  const now = new Set<string>();
  for (const member of members)
    if (journal.merged[member.name] || (await member.forge.merged(member.head)))
      done.set(member.name, journal.merged[member.name] ?? member.head);
  for (const m of published.members) if (done.has(m.name)) m.merged = true;
  // Red on the combined heads holds the set, naming the member that failed; else each member still to merge is asked.
  const { failing } = published;
  const blocked = failing
    ? { member: failing.member, reason: `red on the combined heads: ${failing.reason}` }
    : await firstBlocked(members, done);
  if (blocked) return stop(blocked);
  writeJournal(path, journal);
  for (const member of members) {
    if (done.has(member.name)) {
      say(member.name, 'merged before: resumed');
      continue;
    }
    const order = `${members.indexOf(member) + 1}/${members.length}`;
    try {
      const commit = await member.forge.merge(member.head, `Merge change-set ${set}: ${member.name} (${order})`);
      done.set(member.name, commit);
      now.add(member.name);
      journal.merged[member.name] = commit;
      writeJournal(path, journal);
      say(member.name, `merged (${order})`);
      // Each body says so; a body not rewritten is no reason to stop a set half merged.
      published.members.find((m) => m.name === member.name)!.merged = true;
      await describeAll(set, members, published.members, published.outside).catch(() => undefined);
    } catch (error) {
      return stop({ member: member.name, reason: (error as Error).message.split('\n')[0]! });
    }
  }
  writeJournal(path, { ...journal, state: 'merged' });
  return report('merged', statuses(members, done), {});

  /** Nothing merged: held; some merged: stuck, their revert proposed. */
  async function stop(held: { member: string; reason: string }): Promise<MergeReport> {
    const list = statuses(members, done, held);
    if (done.size === 0) return report('held', list, { held });
    return report('stuck', list, { held, revert: await proposeRevert(members, done, set, held, path, journal) });
  }

  function statuses(all: SetMember[], merged: ReadonlyMap<string, string>, held?: { member: string; reason: string }) {
    return all.map((m): MergedMember => {
      if (merged.has(m.name))
        return { name: m.name, status: now.has(m.name) ? 'merged' : 'resumed', commit: merged.get(m.name)! };
      if (held?.member === m.name) return { name: m.name, status: 'held', reason: held.reason };
      return { name: m.name, status: 'waiting', ...(held ? { reason: `held by ${held.member}` } : {}) };
    });
  }
}

/** The first member still to merge that cannot now (a conflict, a required review, a red check of its own), and why. */
async function firstBlocked(
  members: readonly SetMember[],
  done: ReadonlyMap<string, string>,
): Promise<{ member: string; reason: string } | undefined> {
  for (const member of members) {
    if (done.has(member.name)) continue;
    const reason = await member.forge.blocker(member.head);
    if (reason) return { member: member.name, reason };
  }
  return undefined;
}

/** The set cannot finish: a pull request on each merged member proposing the revert of its merge; the journal says stuck. */
async function proposeRevert(
  members: readonly SetMember[],
  done: ReadonlyMap<string, string>,
  set: string,
  held: { member: string; reason: string },
  path: string,
  journal: MergeJournal,
): Promise<string[]> {
  const merged = members.filter((m) => done.has(m.name));
  const body = [
    `The change-set \`${set}\` could not finish: ${held.member} cannot merge (${held.reason}).`,
    `Merged: ${merged.map((m) => `${m.name} (${done.get(m.name)!.slice(0, 12)})`).join(', ')}; not merged: ${members
      .filter((m) => !done.has(m.name))
      .map((m) => m.name)
      .join(', ')}.`,
    'Merge this to revert the merged part, or make the held member mergeable and run `orchestrator merge` again.',
  ].join('\n\n');
  const revert: string[] = [];
  for (const member of merged) {
    const commit = done.get(member.name)!;
    const how = `git revert -m 1 ${commit}`;
    const branch = `revert-${set}`;
    const title = `Revert change-set ${set} in ${member.name}`;
    const pushed = await pushRevertBranch(member.path, 'origin', member.base!, commit, branch, title).catch(
      () => false,
    );
    const pull = pushed
      ? ((await member.forge.proposeRevert(branch, title, body).catch(() => undefined)) ??
        `branch ${branch} on ${member.forge.where}`)
      : undefined;
    revert.push(`${member.name}: ${pull ?? how}`);
  }
  writeJournal(path, { ...journal, state: 'stuck', stuck: { ...held, revert } });
  return revert;
}
