/**
 * Main watched (issue 74, docs/merge-queue.md): the sweep (`verify --all --since`) from the first
 * commit the checkout holds, so each red criterion is bisected to its first red commit (from the
 * commit it was last proven at when completion.json says), and one issue per spec gone red, opened
 * or, when one is open, updated: never a second. Names from the repository are code spans.
 */
import type { CriterionProofNow, SweptCriterion, VerifyReport } from '../core/drift';
import { engine, hostCheckout } from '../core/engineBundle';
import type { GithubClient } from './client';

/** The label of the issues the sweep opens (not the run label: labelling one starts no run). */
export const DRIFT_LABEL = 'orchestrator-drift';

export const driftMarker = (specId: string) => `<!-- orchestrator:drift ${specId} -->`;

const code = (text: string) => `\`${text.replace(/[`\r\n]/g, ' ').slice(0, 200)}\``;

export interface SweepOutcome {
  head: string;
  /** Each spec gone red, with its issue. */
  red: { specId: string; criteria: string[]; issue: { number: number; url: string; opened: boolean } }[];
  /** Criteria proven (or flaky) on HEAD. */
  holding: number;
}

export async function sweepMain(input: {
  workspace: string;
  client: GithubClient;
  say: (line: string) => void;
  signal?: AbortSignal;
}): Promise<SweepOutcome> {
  const { workspace, client, say } = input;
  const since = await hostCheckout.firstCommitOf(workspace, 'HEAD');
  const report = await engine.verifySpecs(workspace, [], {
    trusted: true,
    since,
    ...(input.signal ? { signal: input.signal } : {}),
    onCommand: (command) => say(`Proof: ${command}`),
  });
  const sweep = report.sweep!;
  const outcome: SweepOutcome = { head: sweep.head, red: [], holding: 0 };
  for (const spec of sweep.specs) {
    const red = spec.criteria.filter((c) => c.now === 'failing');
    outcome.holding += spec.criteria.length - red.length;
    if (red.length === 0) continue;
    const issue = await client.openOrUpdateIssue({
      marker: driftMarker(spec.specId),
      label: DRIFT_LABEL,
      title: `Spec ${spec.specId} went red on main: ${red.map((c) => c.criterion).join(', ')}`.slice(0, 250),
      body: issueBody(spec.specId, red, proofsOf(report, spec.specId), sweep.head),
    });
    say(
      `${issue.opened ? 'Opened' : 'Updated'} #${issue.number} for ${spec.specId}: ${red.map((c) => c.criterion).join(', ')}`,
    );
    outcome.red.push({ specId: spec.specId, criteria: red.map((c) => c.criterion), issue });
  }
  return outcome;
}

function proofsOf(report: VerifyReport, specId: string): Map<string, CriterionProofNow> {
  const spec = report.specs.find((s) => s.specId === specId);
  return new Map((spec?.requirements ?? []).flatMap((r) => (r.proof ?? []).map((p) => [p.criterion, p] as const)));
}

function issueBody(
  specId: string,
  red: readonly SweptCriterion[],
  proofs: ReadonlyMap<string, CriterionProofNow>,
  head: string,
): string {
  const lines = [
    driftMarker(specId),
    `The completed spec ${code(specId)} no longer holds on main at ${code(head.slice(0, 12))}: the scheduled sweep ran its frozen proof tests again (${new Date().toISOString()}).`,
    '',
  ];
  for (const swept of red) {
    const failed = (proofs.get(swept.criterion)?.tests ?? []).filter((t) => t.outcome === 'failed');
    lines.push(`### ${swept.criterion}`, '');
    lines.push(
      `- Test: ${failed.map((t) => code(t.test ? `${t.file} › ${t.test}` : t.file)).join(', ') || 'its proof'}`,
    );
    const b = swept.bisect;
    if (b?.firstRed)
      lines.push(
        `- First red commit: ${code(b.firstRed)} (last green ${code((b.lastGreen ?? b.from).slice(0, 12))}; ${b.commits} commit${b.commits === 1 ? '' : 's'} bisected in ${b.probes} probe${b.probes === 1 ? '' : 's'})`,
      );
    else if (b?.note) lines.push(`- First red commit not found: ${b.note}`);
    const detail = failed.find((t) => t.detail)?.detail;
    if (detail) lines.push('', '```', detail.replace(/```/g, "'''").slice(0, 3_000), '```');
    lines.push('');
  }
  lines.push(
    `Run again: \`orchestrator verify --all --since ${red[0]?.bisect?.from.slice(0, 12) ?? head.slice(0, 12)}\`. This issue is updated by each sweep while the spec stays red.`,
  );
  return lines.join('\n').slice(0, 65_000);
}
