/**
 * A job of the merge queue (issue 74, docs/merge-queue.md): `on: merge_group`. The group's head is
 * fetched from its `gh-readonly-queue/…` branch (the token in git's environment only) and checked
 * out in the job's checkout, the sandbox readied, and the group proven (../mergeGroup.ts): the
 * check run `orchestrator/proofs` on the head is the queue's required check. No model is called.
 */
import { hostCheckout } from '../../core/engineBundle';
import type { GithubClient } from '../client';
import { fetchGroup, mergeGroupOf, proveGroup } from '../mergeGroup';
import type { JobStatus } from './jobSummary';
import { readySandboxOnRunner } from './runnerSandbox';

export async function mergeGroupJob(input: {
  payload: unknown;
  client: GithubClient;
  topLevel: string;
  workspace: string;
  token: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  fail: (why: string) => void;
}): Promise<{ status: JobStatus; why: string }> {
  const { client, topLevel, token, log } = input;
  const group = mergeGroupOf(input.payload);
  if ('ignored' in group) return { status: 'ignored', why: `Nothing to do: ${group.ignored}.` };
  await fetchGroup(topLevel, group, token);
  await hostCheckout.checkoutDetached(topLevel, group.head);
  const sandbox = await readySandboxOnRunner({ log, env: input.env });
  if (!sandbox.ok) {
    input.fail(`the sandbox cannot start on this runner: ${sandbox.reason}`);
    return { status: 'stopped', why: `The group's proofs did not run: the sandbox cannot start (${sandbox.reason}).` };
  }
  log(`Merge group ${group.base.slice(0, 12)}..${group.head.slice(0, 12)}: its affected proofs run`);
  const verdict = await proveGroup({ workspace: input.workspace, group, client, say: log });
  for (const line of verdict.red) log(`Red: ${line}`);
  if (verdict.conclusion === 'failure') input.fail(`${verdict.title} (check run orchestrator/proofs)`);
  return {
    status: verdict.conclusion === 'success' ? 'completed' : 'stopped',
    why: `The check run orchestrator/proofs on ${group.head.slice(0, 12)}: ${verdict.conclusion}. ${verdict.title}.`,
  };
}
