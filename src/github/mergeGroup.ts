/**
 * A merge queue's group (issue 74, docs/merge-queue.md): GitHub's `merge_group` event names the
 * group's head — its base plus one commit per pull request queued — and that base. The completed
 * specs the group touches have their proofs run on the head (`verify --affected base..head`); each
 * criterion the group turned red is bisected over the group's commits to the one that turned it
 * red, whose pull request is named (with those queued ahead of it: the change it meets may be
 * theirs). The check run `orchestrator/proofs` on the head says it: the queue's required check.
 * Names from the repository are code spans in its text, never markup.
 */
import type { VerifyReport } from '../core/drift';
import { engine, hostCheckout, loadConfig, remoteRefs } from '../core/engineBundle';
import { redactSecrets } from '../core/text/secrets';
import type { GithubClient } from './client';
import { pushableRemote, tokenEnvironment } from './gitPush';
import { mergeGroupPayload } from './payloads';

export const PROOFS_CHECK = 'orchestrator/proofs';

export interface MergeGroup {
  head: string;
  base: string;
  /** `refs/heads/gh-readonly-queue/<base>/pr-<n>-<sha>`: where the head is fetched from. */
  headRef: string;
}

/** The group a `merge_group` payload asks checks for, or why nothing is to be done. */
export function mergeGroupOf(payload: unknown): MergeGroup | { ignored: string } {
  const parsed = mergeGroupPayload.safeParse(payload);
  if (!parsed.success) return { ignored: 'the merge_group payload lacks the fields GitHub sends' };
  const { action, merge_group: group } = parsed.data;
  if (action !== 'checks_requested') return { ignored: `merge_group ${action.slice(0, 30)}: no check is asked` };
  return { head: group.head_sha, base: group.base_sha, headRef: group.head_ref };
}

/** Where a group's head is kept while it is proven. */
const groupRef = (group: MergeGroup) => `refs/orchestrator/merge-group/${group.head}`;

/** The group's head fetched from its `gh-readonly-queue/…` branch (the token in git's environment only); its base must be there after. */
export async function fetchGroup(topLevel: string, group: MergeGroup, token: string): Promise<void> {
  const url = await pushableRemote(topLevel);
  try {
    await remoteRefs.fetch(topLevel, url, [`+${group.headRef}:${groupRef(group)}`], {
      env: tokenEnvironment(token),
      noFetchHead: true,
    });
  } catch (error) {
    throw new Error(`git fetch of ${group.headRef} failed: ${redactSecrets((error as Error).message, [token]).text}`);
  }
  for (const [what, commit] of [
    ['head', group.head],
    ['base', group.base],
  ] as const)
    if (!(await hostCheckout.holds(topLevel, commit)))
      throw new Error(
        `the group's ${what} ${commit.slice(0, 12)} is not in the checkout after fetching ${group.headRef} (actions/checkout with fetch-depth: 0)`,
      );
}

/**
 * serve's `merge_group` delivery: the group proven in a worktree of its head (the checkout serve
 * works in untouched), removed after.
 */
export async function proveGroupInWorktree(
  input: { workspace: string; client: GithubClient; say: (line: string) => void },
  payload: unknown,
): Promise<void> {
  const group = mergeGroupOf(payload);
  if ('ignored' in group) return;
  const { workspace, client, say } = input;
  const topLevel = await hostCheckout.topLevel(workspace);
  await fetchGroup(topLevel, group, await client.pushToken());
  const config = await loadConfig(workspace);
  const tree = await hostCheckout.worktreeAt(workspace, group.head, config.worktree.link);
  try {
    const verdict = await proveGroup({ workspace: tree.dir, group, client, say });
    say(`Merge group ${group.head.slice(0, 12)}: orchestrator/proofs ${verdict.conclusion}. ${verdict.title}`);
  } finally {
    await tree.remove();
    await hostCheckout.dropRef(topLevel, groupRef(group)).catch(() => undefined);
  }
}

export interface GroupVerdict {
  conclusion: 'success' | 'failure';
  title: string;
  summary: string;
  text?: string;
  /** The red criteria's lines (spec, criterion, test, the pull request), for the log. */
  red: string[];
}

/**
 * The group's proofs run in `workspace`, a checkout of its head (or a folder of one), and the check
 * run posted on the head. Commands run there under verify's rules (sandbox, minimal environment).
 */
export async function proveGroup(input: {
  workspace: string;
  group: MergeGroup;
  client: GithubClient;
  say: (line: string) => void;
  signal?: AbortSignal;
}): Promise<GroupVerdict> {
  const { workspace, group, client, say } = input;
  const pulls = new Map(
    (await hostCheckout.subjects(workspace, group.base, group.head)).map(({ commit, subject }) => [
      commit,
      pullOfSubject(subject),
    ]),
  );
  const report = await engine.verifySpecs(workspace, [], {
    trusted: true,
    affected: `${group.base}..${group.head}`,
    culprits: true,
    ...(input.signal ? { signal: input.signal } : {}),
    onCommand: (command) => say(`Proof: ${command}`),
  });
  const verdict = verdictOf(report, [...pulls.entries()]);
  const { conclusion, title, summary, text } = verdict;
  await client.completedCheckRun({
    name: PROOFS_CHECK,
    headSha: group.head,
    conclusion,
    title,
    summary,
    ...(text ? { text } : {}),
  });
  return verdict;
}

/** `Merge pull request #12 from …` (a merge commit) or `Title (#12)` (a squashed one): the pull request a group's commit is. */
export function pullOfSubject(subject: string): number | undefined {
  const m = /^Merge pull request #(\d+)\b/.exec(subject) ?? /\(#(\d+)\)\s*$/.exec(subject);
  return m ? Number(m[1]) : undefined;
}

const code = (text: string) => `\`${text.replace(/[`\r\n]/g, ' ').slice(0, 200)}\``;
const pullName = (commit: string, pull: number | undefined) =>
  pull ? `#${pull} (${commit.slice(0, 12)})` : `commit ${commit.slice(0, 12)}`;

/** The check run's words: each red criterion with its test, output and the pull request that turned it red. */
export function verdictOf(report: VerifyReport, group: [string, number | undefined][]): GroupVerdict {
  const red: string[] = [];
  const text: string[] = [];
  const notes: string[] = [];
  const bisected = new Map(
    (report.sweep?.specs ?? []).flatMap((s) => s.criteria.map((c) => [`${s.specId} ${c.criterion}`, c.bisect])),
  );
  for (const spec of report.specs)
    for (const req of spec.requirements)
      for (const proof of req.proof ?? []) {
        const where = `${code(spec.specId)} ${proof.criterion}`;
        if (proof.now === 'flaky')
          notes.push(`- ${where}: flaky (failed, then passed on the retry): quarantined, not red`);
        if (proof.now !== 'failing') continue;
        const tests = proof.tests.filter((t) => t.outcome === 'failed');
        const testNames = tests.map((t) => code(t.test ? `${t.file} › ${t.test}` : t.file)).join(', ') || 'its proof';
        if (proof.base?.now === 'failing') {
          notes.push(`- ${where}: red on the base already (${testNames}): drift on main, not this group's`);
          continue;
        }
        const firstRed = bisected.get(`${spec.specId} ${proof.criterion}`)?.firstRed;
        const at = firstRed ? group.findIndex(([commit]) => commit === firstRed) : -1;
        const by =
          at >= 0
            ? `broken by pull request ${pullName(...group[at]!)}${
                at > 0
                  ? `, merged on top of ${group
                      .slice(0, at)
                      .map((g) => pullName(...g))
                      .join(', ')}`
                  : ''
              }`
            : 'the group turned it red (the pull request could not be told)';
        red.push(`${spec.specId} ${proof.criterion} (${tests.map((t) => t.test ?? t.file).join(', ')}): ${by}`);
        text.push(`### ${where} is red`, '', `- Test: ${testNames}`, `- ${by}`);
        const detail = tests.find((t) => t.detail)?.detail;
        if (detail) text.push('', '```', detail.replace(/```/g, "'''").slice(0, 3_000), '```');
        text.push('');
      }
  const affected = report.affected?.specs.length ?? report.specs.length;
  const summary = [
    `${affected} completed spec${affected === 1 ? '' : 's'} affected by the group of ${group.length} commit${group.length === 1 ? '' : 's'}; ${red.length} criteri${red.length === 1 ? 'on' : 'a'} red.`,
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n');
  const failed = report.exitCode === 1;
  return {
    conclusion: failed ? 'failure' : 'success',
    title: failed
      ? `${red.length} criteri${red.length === 1 ? 'on' : 'a'} red: ${[...new Set(red.map((line) => line.split(' ')[0]))].sort().join(', ')}`
      : 'Every affected proof holds',
    summary: summary.slice(0, 60_000),
    ...(text.length > 0 ? { text: text.join('\n').slice(0, 60_000) } : {}),
    red,
  };
}
