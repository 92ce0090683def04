/**
 * The Action's proof jobs (issue 74, docs/merge-queue.md), which call no model:
 * - `on: merge_group`: the group's head fetched from its `gh-readonly-queue/…` branch and checked
 *   out in the job's checkout, the group proven (../mergeGroup.ts): the check run
 *   `orchestrator/proofs` on the head is the queue's required check;
 * - `on: schedule`: main swept (../driftIssues.ts): one issue per spec gone red, opened or updated.
 * Both ready the sandbox first: the proofs are the repository's own commands.
 */
import { hostCheckout } from '../../core/engineBundle';
import type { GithubClient } from '../client';
import { sweepMain } from '../driftIssues';
import { fetchGroup, mergeGroupOf, proveGroup } from '../mergeGroup';
import type { JobStatus } from './jobSummary';
import { readySandboxOnRunner } from './runnerSandbox';

export interface ProofJob {
  payload: unknown;
  client: GithubClient;
  topLevel: string;
  workspace: string;
  token: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  fail: (why: string) => void;
}

type Outcome = { status: JobStatus; why: string };

export async function mergeGroupJob(job: ProofJob): Promise<Outcome> {
  const { client, topLevel, token, log } = job;
  const group = mergeGroupOf(job.payload);
  if ('ignored' in group) return { status: 'ignored', why: `Nothing to do: ${group.ignored}.` };
  await fetchGroup(topLevel, group, token);
  await hostCheckout.checkoutDetached(topLevel, group.head);
  const unready = await sandboxUnready(job);
  if (unready) return unready;
  log(`Merge group ${group.base.slice(0, 12)}..${group.head.slice(0, 12)}: its affected proofs run`);
  const verdict = await proveGroup({ workspace: job.workspace, group, client, say: log });
  for (const line of verdict.red) log(`Red: ${line}`);
  if (verdict.conclusion === 'failure') job.fail(`${verdict.title} (check run orchestrator/proofs)`);
  return {
    status: verdict.conclusion === 'success' ? 'completed' : 'stopped',
    why: `The check run orchestrator/proofs on ${group.head.slice(0, 12)}: ${verdict.conclusion}. ${verdict.title}.`,
  };
}

export async function sweepJob(job: ProofJob): Promise<Outcome> {
  const unready = await sandboxUnready(job);
  if (unready) return unready;
  job.log('Main swept: every completed spec proof runs again');
  const outcome = await sweepMain({ workspace: job.workspace, client: job.client, say: job.log });
  const at = outcome.head.slice(0, 12);
  if (outcome.red.length === 0)
    return { status: 'completed', why: `Every completed spec holds on ${at} (${outcome.holding} criteria proven).` };
  const issues = outcome.red.map((r) => `${r.specId} (#${r.issue.number}: ${r.criteria.join(', ')})`).join('; ');
  job.fail(`${outcome.red.length} spec${outcome.red.length === 1 ? '' : 's'} red on ${at}: ${issues}`);
  return { status: 'stopped', why: `Red on ${at}: ${issues}.` };
}

async function sandboxUnready(job: ProofJob): Promise<Outcome | undefined> {
  const sandbox = await readySandboxOnRunner({ log: job.log, env: job.env });
  if (sandbox.ok) return undefined;
  job.fail(`the sandbox cannot start on this runner: ${sandbox.reason}`);
  return { status: 'stopped', why: `The proofs did not run: the sandbox cannot start (${sandbox.reason}).` };
}
