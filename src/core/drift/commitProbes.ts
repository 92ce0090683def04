/**
 * Proof tests run at another commit than the work tree's (issue 74): the base of `verify --affected`
 * (is a red proof already red there?) and the commits a sweep bisects. Each commit gets a detached
 * git worktree in a temporary folder (the user's checkout, HEAD and index untouched), the
 * checkout's `worktree.link` folders linked in (node_modules), and its own check runner under the
 * same rules as the work tree's (sandbox, minimal environment, timeout). All are removed on close.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addWorktree, linkFolders, prefixOf, removeWorktree, topLevelOf } from '../git';
import type { OrchestratorConfig } from '../project/config';
import { CheckRunner } from './checkRunner';
import { recheckProofs } from './proofRecheck';
import type { CriterionProofNow, RecordedRequirement } from './types';

export class CommitProbes {
  private readonly trees = new Map<string, Promise<CheckRunner>>();
  private folder?: Promise<{ topLevel: string; prefix: string; dir: string }>;

  constructor(
    private readonly workspace: string,
    private readonly config: OrchestratorConfig,
    private readonly signal?: AbortSignal,
    private readonly onCommand: (command: string) => void = () => {},
  ) {}

  /** The proof of one criterion of `req` at `commit`, read as the work tree's is (retry included). */
  async criterionAt(
    commit: string,
    req: RecordedRequirement,
    criterion: string,
  ): Promise<CriterionProofNow | undefined> {
    const one = { ...req, criteria: req.criteria.filter((c) => c.id === criterion) };
    const checks = await this.checksAt(commit);
    // A proof test the commit lacks (its spec came later: a pull request of the range) is not run there, not red.
    const { prefix, dir } = await this.folder!;
    const tests = one.criteria.flatMap((c) => c.proof?.tests ?? []);
    const absent = tests.filter((t) => !existsSync(join(dir, commit, prefix, t.file)));
    if (absent.length > 0)
      return {
        criterion,
        then: one.criteria[0]?.proof?.status ?? 'proven',
        now: 'not-run',
        absent: true,
        tests: tests.map((t) => ({
          file: t.file,
          ...(t.test ? { test: t.test } : {}),
          outcome: 'not-run' as const,
          detail: `not in ${commit.slice(0, 12)}`,
        })),
      };
    return (await recheckProofs(this.config, checks, [one])).get(criterion);
  }

  /** How many commits have been probed (one worktree each). */
  get commits(): number {
    return this.trees.size;
  }

  async close(): Promise<void> {
    if (!this.folder) return;
    const { topLevel, dir } = await this.folder;
    for (const commit of this.trees.keys())
      await removeWorktree(topLevel, join(dir, commit), dir).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }

  private checksAt(commit: string): Promise<CheckRunner> {
    let checks = this.trees.get(commit);
    if (!checks) {
      checks = this.make(commit);
      this.trees.set(commit, checks);
    }
    return checks;
  }

  private async make(commit: string): Promise<CheckRunner> {
    const { topLevel, prefix, dir } = await (this.folder ??= this.makeFolder());
    const tree = join(dir, commit);
    await addWorktree(topLevel, tree, commit);
    linkFolders(topLevel, tree, this.config.worktree.link);
    return new CheckRunner(
      join(tree, prefix),
      this.config,
      // Made only where commands may run at all (verifyCommand.ts): a trusted workspace.
      true,
      this.signal,
      (command) => this.onCommand(`${command} (at ${commit.slice(0, 12)})`),
      { worktree: tree, checkout: this.workspace },
    );
  }

  private async makeFolder(): Promise<{ topLevel: string; prefix: string; dir: string }> {
    const topLevel = await topLevelOf(this.workspace);
    return {
      topLevel,
      prefix: await prefixOf(this.workspace),
      dir: await mkdtemp(join(tmpdir(), 'orchestrator-verify-')),
    };
  }
}
