/**
 * What an issue's state commit holds (stateRef.ts), as files: `state.json` (the issue's links to
 * its runs as the channel keeps them, store.ts; where each run's work is; what its jobs spent; the
 * last job's beat) and `journals/<runId>.jsonl` (each run's journal). Read back zod-checked: anyone
 * who may push to the repository may write that ref.
 */
import * as z from 'zod/mini';
import { answeredSchema, askedSchema } from '../../core/engineBundle';
import type { IssueLink } from '../store';

/** Where a run's work is between jobs: its base commit, the commit of its work on it, its checkpoint. */
export interface RunWork {
  base: string;
  work?: string;
  checkpoint?: { ref: string; commit: string };
}

export interface IssueState {
  issue: number;
  links: IssueLink[];
  runs: Record<string, RunWork>;
  /** Each run's journal, by run id. */
  journals: Map<string, string>;
  /** What all jobs of the issue's runs spent (USD): max-budget-usd caps it. */
  spentUsd: number;
  /** The last job that wrote the state while a run went (its workflow run), and when. */
  beat?: { at: string; job: string };
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const sha = z.string().check(z.regex(/^[0-9a-f]{40,64}$/));
const runId = z.string().check(z.regex(RUN_ID));

/** A link as the channel writes it; fields this build does not know are kept. */
const link = z.looseObject({
  issue: z.number().check(z.int(), z.positive()),
  issueUrl: z.string(),
  runId,
  kind: z.enum(['feature', 'bugfix']),
  by: z.string(),
  status: z.enum(['running', 'waiting', 'completed', 'stopped', 'cancelled', 'failed']),
  specId: z.optional(z.string()),
  branch: z.optional(z.string().check(z.startsWith('orchestrator/'))),
  // What a run set aside on a confirmation asked, and the answers that continue it (issueConfirmations.ts).
  confirmation: z.optional(
    z.extend(askedSchema, {
      since: z.string(),
      parked: z.optional(z.object({ waitSec: z.number().check(z.positive()) })),
      questionId: z.optional(z.string()),
    }),
  ),
  answered: z.optional(z.array(answeredSchema)),
  unanswered: z.optional(z.literal(true)),
});

const stateFile = z.object({
  version: z.literal(1),
  issue: z.number().check(z.int(), z.positive()),
  links: z.array(link),
  runs: z.record(
    runId,
    z.object({
      base: sha,
      work: z.optional(sha),
      checkpoint: z.optional(
        z.object({
          ref: z.string().check(z.regex(/^refs\/orchestrator\/[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/)),
          commit: sha,
        }),
      ),
    }),
  ),
  spentUsd: z.number().check(z.nonnegative()),
  beat: z.optional(z.object({ at: z.string(), job: z.string() })),
});

const STATE_FILE = 'state.json';
const journalFile = (id: string) => `journals/${id}.jsonl`;

export function emptyState(issue: number): IssueState {
  return { issue, links: [], runs: {}, journals: new Map(), spentUsd: 0 };
}

/** The state a commit's files hold; throws naming the file and the field when they are not a state. */
export function stateOfFiles(issue: number, files: ReadonlyMap<string, string>): IssueState {
  const text = files.get(STATE_FILE);
  if (text === undefined) throw new Error(`the state of issue #${issue} has no ${STATE_FILE}`);
  const parsed = stateFile.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const problem = parsed.error.issues[0]!;
    throw new Error(`${STATE_FILE} of issue #${issue}: ${problem.path.join('.') || 'the file'}: ${problem.message}`);
  }
  if (parsed.data.issue !== issue || parsed.data.links.some((l) => l.issue !== issue))
    throw new Error(`${STATE_FILE} of issue #${issue} is another issue's`);
  const journals = new Map<string, string>();
  for (const [path, body] of files) {
    const id = /^journals\/(.+)\.jsonl$/.exec(path)?.[1];
    if (id && RUN_ID.test(id)) journals.set(id, body);
  }
  const { links, runs, spentUsd, beat } = parsed.data;
  return { issue, links: links as unknown as IssueLink[], runs, journals, spentUsd, ...(beat ? { beat } : {}) };
}

export function filesOfState(state: IssueState): Map<string, string> {
  const body = {
    version: 1,
    issue: state.issue,
    links: state.links,
    runs: state.runs,
    spentUsd: state.spentUsd,
    ...(state.beat ? { beat: state.beat } : {}),
  };
  const files = new Map([[STATE_FILE, `${JSON.stringify(body, null, 1)}\n`]]);
  for (const [id, text] of state.journals) files.set(journalFile(id), text);
  return files;
}

/** The commits a state keeps (its parents): each run's base (a pull request's head a depth-1 checkout lacks), work and checkpoint. */
export function keptCommits(state: IssueState): string[] {
  return [
    ...new Set(
      Object.values(state.runs).flatMap((run) =>
        [run.base, run.work, run.checkpoint?.commit].filter((c): c is string => c !== undefined),
      ),
    ),
  ];
}
