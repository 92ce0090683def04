/**
 * A decision on a spec waiting at the approval gate, made away from the run that asked (the
 * supervisor portal): recorded in the spec's front matter (`decision: {action, by, at, feedback?}`,
 * and `approved` for an approval) and appended to `.claude/runs/spec-decisions.jsonl`. Nothing runs
 * here: a VS Code window waiting at that spec's gate hears the change and continues; a spec saved
 * by the CLI is implemented by the next `orchestrator approve <id>` (docs/portal.md).
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadConfig } from '../config';
import { loadSpec, updateSpecFrontMatter, type Spec } from './specs';
import { unownedInSpecFile } from './specWork';

/** The statuses of a spec at the gate: written and not yet decided, or saved for later. */
export const WAITING_SPEC_STATUSES: readonly string[] = ['awaiting-approval', 'saved'];

export const SPEC_DECISIONS_FILE = '.claude/runs/spec-decisions.jsonl';

export type SpecGateAction = 'approve' | 'save' | 'changes';

export interface RecordedSpecDecision {
  action: SpecGateAction;
  by: string;
  at: string;
  feedback?: string;
}

/** A decision the gate refuses (not waiting, work no layer owns, no feedback): the caller's mistake. */
export class SpecGateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecGateError';
  }
}

export async function recordSpecDecision(
  workspace: string,
  specId: string,
  input: { action: SpecGateAction; by: string; feedback?: string },
  now = new Date(),
): Promise<Spec> {
  const spec = await loadSpec(workspace, specId);
  if (spec.location !== 'active' || !WAITING_SPEC_STATUSES.includes(spec.frontMatter.status)) {
    throw new SpecGateError(`spec ${specId} is ${spec.frontMatter.status}, not waiting for approval`);
  }
  const feedback = input.feedback?.trim();
  if (input.action === 'changes' && !feedback)
    throw new SpecGateError('say what to change: the feedback goes to the spec agent');
  if (input.action === 'approve') {
    // The gate `approve` keeps: work that no layer owns is assigned before anything is approved.
    const unowned = await unownedInSpecFile(workspace, spec.path, await loadConfig(workspace));
    if (unowned.length > 0) {
      const lines = unowned
        .slice(0, 5)
        .map((u) => `line ${u.line}: ${u.text}`)
        .join('; ');
      throw new SpecGateError(
        `spec ${specId} has ${unowned.length} task(s) or file(s) no layer owns (${lines}): assign them in VS Code or with \`orchestrator approve ${specId} --assign "<task>=<layer>"\``,
      );
    }
  }
  const decision: RecordedSpecDecision = {
    action: input.action,
    by: input.by,
    at: now.toISOString(),
    ...(feedback ? { feedback } : {}),
  };
  const status = input.action === 'approve' ? 'approved' : input.action === 'save' ? 'saved' : spec.frontMatter.status;
  const updated = await updateSpecFrontMatter(workspace, specId, {
    status,
    ...(input.action === 'approve' ? { approved: decision.at } : {}),
    decision,
  } as Parameters<typeof updateSpecFrontMatter>[2]);
  const log = join(workspace, SPEC_DECISIONS_FILE);
  await mkdir(dirname(log), { recursive: true });
  await appendFile(log, `${JSON.stringify({ specId, ...decision })}\n`);
  return updated;
}

/** The decision recorded in a spec's front matter, when there is one. */
export function recordedDecision(spec: Spec): RecordedSpecDecision | undefined {
  const raw = (spec.frontMatter as Record<string, unknown>).decision as Partial<RecordedSpecDecision> | undefined;
  if (
    !raw ||
    typeof raw !== 'object' ||
    !['approve', 'save', 'changes'].includes(String(raw.action)) ||
    typeof raw.by !== 'string' ||
    typeof raw.at !== 'string'
  )
    return undefined;
  return {
    action: raw.action!,
    by: raw.by,
    at: raw.at,
    ...(typeof raw.feedback === 'string' ? { feedback: raw.feedback } : {}),
  };
}
