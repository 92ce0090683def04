/**
 * The GitHub Action's room (issue 48; action.yml at the repository's root):
 * one job per event, the GitHub channel's decisions (src/github/channel.ts) in the job's checkout,
 * the state on the remote between jobs. Its one door: a job, given the runner's
 * environment and where its lines go.
 */
import { runJob } from './job';
import { runnerIo } from './runnerIo';

export type { JobStatus } from './jobSummary';
export { INPUT_NAMES, inputVariable } from './inputs';
export { stateRefOf } from './stateRef';

/** One job as the runner starts it: its environment, its log on `write`; resolves to the exit code. */
export function runAction(env: NodeJS.ProcessEnv, write: (text: string) => void): Promise<number> {
  const io = runnerIo({
    write,
    ...(env.GITHUB_OUTPUT ? { outputFile: env.GITHUB_OUTPUT } : {}),
    ...(env.GITHUB_STEP_SUMMARY ? { summaryFile: env.GITHUB_STEP_SUMMARY } : {}),
  });
  return runJob(env, io);
}
