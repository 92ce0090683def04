/**
 * A member's own checks as its check on the combined heads (issue 73, docs/changesets.md): each of
 * its validate commands that passed in its run is kept with the trees it passed on: the member's
 * work tree and each linked producer's, as git would take them (tracked and untracked files; what
 * .gitignore leaves out is not compared), when none changed while the commands ran. Once its
 * producers' runs are finished, its check on the combined heads is those verdicts when every one of
 * its validate commands passed on the trees as they are then (our own files aside: the spec's ticks
 * and archive, `.claude/`, written after a check by the run itself): the same commands on the same
 * content, not run again. Anything else (a producer's review changing it after the member's check,
 * a command set aside, a producer not linked in the run) and the check runs (combined/).
 */
import { relative, sep } from 'node:path';
import type { CombinedLink, CombinedMember } from '../combined';
import { locateRepo, treeChanges, writeWorktreeTree } from '../git';
import { isOurFile } from '../project/ownFiles';

/** The trees the member and each of its producers had: git tree ids, by member name. */
type Trees = ReadonlyMap<string, string>;

interface Kept {
  ms: number;
  trees: Trees;
}

export interface MemberEvidence {
  /** A layer's own commands about to run: the trees now, to hold them to after. */
  checking(): Promise<MemberCheck>;
  /** Its check on the combined heads from its run's own commands, when every one passed on the trees as they are now. */
  standing(commands: readonly string[], linked: readonly CombinedLink[]): Promise<CombinedMember | undefined>;
}

export interface MemberCheck {
  /** Its producers' trees now are those the commands began on, our own files aside (false when not taken). */
  producersUnchanged(): Promise<boolean>;
  /**
   * The commands passed: each kept with the trees if they are the same after (taken then, awaited
   * by `standing`, not by the run).
   */
  passed(ran: readonly { command: string; ms: number }[]): void;
}

export function memberEvidence(
  member: { name: string; path: string },
  producers: readonly { name: string; path: string }[],
  linkedInRun: boolean,
): MemberEvidence {
  const kept = new Map<string, Kept>();
  const keeping: Promise<void>[] = [];
  const places: readonly { name: string; path: string }[] = [member, ...producers];
  const treesNow = async (of = places): Promise<Trees | undefined> => {
    try {
      const trees = await Promise.all(of.map(async (p) => writeWorktreeTree(await locateRepo(p.path))));
      return new Map(of.map((p, k) => [p.name, trees[k]!]));
    } catch {
      // Not a git work tree (or git failed): nothing kept, the check runs.
      return undefined;
    }
  };
  /** Each place's two trees differ in our own files at most. */
  const sameTrees = async (a: Trees, b: Trees, among = places): Promise<boolean> => {
    for (const place of among)
      if (!(await sameButOurs(place.path, a.get(place.name)!, b.get(place.name)!))) return false;
    return true;
  };
  return {
    checking: async () => {
      const before = linkedInRun ? await treesNow() : undefined;
      return {
        producersUnchanged: async () => {
          if (!before) return false;
          const now = await treesNow(producers);
          return now !== undefined && (await sameTrees(before, now, producers));
        },
        passed: (ran) => {
          if (!before) return;
          keeping.push(
            treesNow().then(async (after) => {
              // Changed since they began (another layer's agent writing beside them): they say nothing of either tree.
              if (!after || !(await sameTrees(before, after))) return;
              for (const { command, ms } of ran) kept.set(command, { ms, trees: after });
            }),
          );
        },
      };
    },
    standing: async (commands, linked) => {
      await Promise.all(keeping);
      if (commands.length === 0 || commands.some((c) => !kept.has(c))) return undefined;
      const now = await treesNow();
      if (!now) return undefined;
      // The commands of one layer passed on the same trees: each set of trees compared once.
      for (const trees of new Set(commands.map((c) => kept.get(c)!.trees)))
        if (!(await sameTrees(trees, now))) return undefined;
      const with_ = producers.length > 0 ? `with ${producers.map((p) => p.name).join(', ')} linked in, ` : '';
      return {
        name: member.name,
        status: 'passed',
        reason: `its run's own checks stand: they passed ${with_}and nothing changed after them (not run again)`,
        linked: [...linked],
        commands: commands.map((command) => ({ command, outcome: { status: 'passed', ms: kept.get(command)!.ms } })),
      };
    },
  };
}

/** The two trees differ in our own files at most (paths of the member's folder). */
async function sameButOurs(path: string, kept: string, now: string): Promise<boolean> {
  if (kept === now) return true;
  const top = (await locateRepo(path)).topLevel;
  const changes = await treeChanges(top, kept, now);
  return changes.every(({ path: changed }) => {
    const rel = relative(path, `${top}${sep}${changed}`);
    return !rel.startsWith('..') && isOurFile(rel);
  });
}
