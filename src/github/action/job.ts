/**
 * One job of the GitHub Action (issue 48, action.yml): the GitHub channel of `serve`
 * (channel.ts, the same decisions) given one event, in a job's checkout. The job reads its inputs
 * and masks its secrets, reads the event, finds the issue whose run it concerns (a fork's pull
 * request is refused here, calling no model), reads the issue's state from its ref and puts it in
 * place, resumes a run a killed job left, hands the event to the channel, waits for the run it
 * started or continued to end or park at its gate, pushes the state a last time and says what it
 * did: a line per phase and layer in the log, outputs, the summary. A job that loses the state's
 * lease stops without acting (`ignored`); a sandbox that cannot start fails the job.
 */
import { join, resolve } from 'node:path';
import type { EngineEvent } from '../../core/events';
import { engine, hostCheckout, loadConfig } from '../../core/engineBundle';
import { GithubChannel } from '../channel';
import { GithubClient } from '../client';
import { note } from '../comments';
import { pushableRemote } from '../gitPush';
import { inTheClear, type GithubSettings } from '../settings';
import { GithubStore, type IssueLink } from '../store';
import { readInputs, SECRET_INPUTS, inputVariable, workspaceOf } from './inputs';
import { JobBudget } from './jobBudget';
import { readJobEvent, targetOf, type Target } from './jobEvent';
import { jobPlace } from './jobPlace';
import { mergeGroupJob, sweepJob } from './proofJobs';
import { BEAT_MS, putInPlace, readState, StateKeeper } from './jobState';
import { jobSummary, type JobStatus } from './jobSummary';
import { stateOfFiles } from './issueState';
import { readySandboxOnRunner } from './runnerSandbox';
import type { RunnerIo } from './runnerIo';
import { LeaseLost, StateRemote, stateRefOf } from './stateRef';

/** A run whose last job wrote no state for this long is taken for dead (its job was cancelled, its runner lost). */
const STALE_MS = 5 * BEAT_MS;

/** Variables a JavaScript action's process holds that no agent or command may see (main.ts takes them out of its environment). */
export const HELD = [
  'GITHUB_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  ...SECRET_INPUTS.map(inputVariable),
];

interface Outcome {
  status: JobStatus;
  why: string;
  issue?: number;
  link?: IssueLink;
  journal?: EngineEvent[];
  budget?: string;
}

/** One job: what it did said to the runner; the exit code (1: it failed, saying why). */
export async function runJob(env: NodeJS.ProcessEnv, io: RunnerIo): Promise<number> {
  if (env[inputVariable('mode')]?.trim() === 'ready-sandbox') return readySandboxOnly(env, io);
  let outcome: Outcome;
  let failed: string | undefined;
  try {
    outcome = await act(env, io, (why) => (failed = why));
  } catch (error) {
    failed = (error as Error).message;
    outcome = { status: 'stopped', why: `The job failed: ${failed}` };
  }
  if (failed) io.error(failed);
  const { link } = outcome;
  io.output('status', outcome.status);
  io.output('run-id', link?.runId ?? '');
  io.output('spec-id', link?.specId ?? '');
  io.output('pull-request', link?.pull?.url ?? '');
  io.summary(jobSummary(outcome));
  io.log(`Orchestrator: ${outcome.status}. ${outcome.why}`);
  return failed ? 1 : 0;
}

async function act(env: NodeJS.ProcessEnv, io: RunnerIo, fail: (why: string) => void): Promise<Outcome> {
  const inputs = readInputs(env);
  for (const secret of [inputs.anthropicApiKey, inputs.openaiApiKey, inputs.githubToken]) if (secret) io.mask(secret);
  const event = await readJobEvent(env);
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner, repo] = repository.split('/');
  if (!owner || !repo) throw new Error('GITHUB_REPOSITORY is not owner/name');
  const checkout = resolve(env.GITHUB_WORKSPACE ?? process.cwd());
  const workspace = workspaceOf(checkout, inputs.config);
  // A ProjectFileError names the file, the line and the key.
  const config = await loadConfig(workspace);
  const apiUrl = (env.GITHUB_API_URL || config.github.apiUrl).replace(/\/+$/, '');
  const clear = inTheClear(apiUrl);
  if (clear) throw new Error(`the GitHub API at ${clear}`);
  const settings: GithubSettings = {
    owner,
    repo,
    apiUrl,
    label: inputs.label,
    maxCiFixes: config.github.maxCiFixes,
    auth: { kind: 'token', token: inputs.githubToken },
    webhookSecret: '',
  };
  const client = await GithubClient.open(settings);
  io.log(`Orchestrator: ${event.name}${actionOf(event.payload)} in ${repository}`);

  if (event.name === 'merge_group' || event.name === 'schedule') {
    const topLevel = await hostCheckout.topLevel(checkout);
    await forgetPersistedCredentials(topLevel, io);
    const { githubToken: token } = inputs;
    const job = {
      payload: event.payload,
      client,
      topLevel,
      workspace,
      token,
      env: withoutHeld(env),
      log: io.log,
      fail,
    };
    return event.name === 'merge_group' ? mergeGroupJob(job) : sweepJob(job);
  }
  const target = await targetOf(event, client, repository);
  if (target.kind === 'ignored') return { status: 'ignored', why: `Nothing to do: ${target.why}.` };
  if (target.kind === 'fork') return refuseFork(client, target, io);

  const topLevel = await hostCheckout.topLevel(checkout);
  await forgetPersistedCredentials(topLevel, io);
  const remote = new StateRemote(topLevel, await pushableRemote(topLevel), inputs.githubToken);
  const issue = target.kind === 'issue' ? target.issue : await issueOfSpec(remote, target);
  if (issue === undefined)
    return { status: 'ignored', why: `No issue's run has the spec ${'specId' in target ? target.specId : ''}.` };

  const reading = Date.now();
  const { commit, state } = await readState(remote, issue);
  io.log(
    `State: ${stateRefOf(issue)} ${commit ? `at ${commit.slice(0, 12)} (${state.links.length} run${state.links.length === 1 ? '' : 's'})` : 'not made yet'}, read in ${Date.now() - reading} ms`,
  );
  const dataEnv = {
    ...env,
    ORCHESTRATOR_DATA_DIR: join(resolve(env.RUNNER_TEMP ?? join(checkout, '..')), 'orchestrator-data'),
  };
  const store = new GithubStore(workspace, dataEnv);
  await putInPlace(state, workspace, topLevel, store);
  const head = await hostCheckout.commitOf(topLevel, 'HEAD');
  const before = JSON.stringify(store.links());

  const budget =
    inputs.maxBudgetUsd !== undefined
      ? new JobBudget(inputs.maxBudgetUsd, state.spentUsd, 'max-budget-usd')
      : new JobBudget(config.limits.maxBudgetUsd, state.spentUsd, 'limits.maxBudgetUsd');
  let lost: { cancelledBy?: string } | undefined;
  // The channel the keeper stops when the lease is lost (made once the keeper is).
  const running: { channel?: GithubChannel } = {};
  const keeper = new StateKeeper({
    remote,
    issue,
    ...(commit ? { expected: commit } : {}),
    state,
    workspace,
    topLevel,
    store,
    deny: [...config.privacy.deny, '.claude/runs'],
    job: `${env.GITHUB_RUN_ID ?? 'local'}/${env.GITHUB_RUN_ATTEMPT ?? '1'}`,
    head,
    spentUsd: () => budget.spentUsd,
    log: io.log,
    lost(cancelledBy) {
      lost = cancelledBy ? { cancelledBy } : {};
      io.log(
        cancelledBy
          ? `Run cancelled by @${cancelledBy} (another job marked the issue's state): its agents stop here`
          : `Another job of issue #${issue} moved its state (${stateRefOf(issue)}) since this job read it: this job stops without acting`,
      );
      void running.channel?.close();
    },
  });
  client.guardWrites(keeper.guard);

  let sandboxReady: Promise<void> | undefined;
  const ready = () =>
    (sandboxReady ??= readySandboxOnRunner({ log: io.log, env: withoutHeld(env) }).then((result) => {
      if (!result.ok) {
        fail(`the sandbox cannot start on this runner: ${result.reason}`);
        throw new Error(`the sandbox cannot start on this runner: ${result.reason}`);
      }
    }));
  const place = jobPlace({
    keeper,
    remote,
    budget,
    deny: [...config.privacy.deny, '.claude/runs'],
    topLevel,
    ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
    ready,
    log: io.log,
  });
  const refusals: string[] = [];
  const engineEnv = modelKeys(withoutHeld(env), inputs);
  const channel = (running.channel = new GithubChannel({
    workspace,
    settings,
    client,
    store,
    env: engineEnv,
    say: io.log,
    place,
    refused: (by, what) =>
      refusals.push(`@${by} may not ${what === 'start' ? 'start a run' : `decide (${what})`}: they need write access`),
  }));

  try {
    // A run its last job left going, that job dead (no beat for a while, or a person says so with
    // workflow_dispatch): resumed here first. A job still alive would lose the lease to it and stop.
    const beat = state.beat ? Date.parse(state.beat.at) : 0;
    const alive = state.links.some((link) => link.status === 'running') && Date.now() - beat <= STALE_MS;
    if (alive)
      io.log(
        `A run of issue #${issue} goes in another job (${state.beat!.job}, its state written ${Math.round((Date.now() - beat) / 1000)} s ago)${target.kind === 'spec' ? ': taken up here all the same, as workflow_dispatch asks' : ''}`,
      );
    if (!alive || target.kind === 'spec') await channel.recover();
    if (target.kind === 'spec') await channel.askAgain(target.specId);
    if (target.kind === 'issue') await channel.handle(event.name, event.payload);
    await channel.settled();
    await keeper.close();
  } catch (error) {
    if (!(error instanceof LeaseLost)) throw error;
    await channel.settled();
  }
  const after = store.links();
  const outcome = outcomeOf(JSON.parse(before) as IssueLink[], after, {
    refusals,
    lost,
    dispatch: target.kind === 'spec',
  });
  const journal = outcome.link
    ? (await engine.runEvents(workspace, outcome.link.runId, 'journal').catch(() => [])).map(
        (line) => JSON.parse(line) as EngineEvent,
      )
    : [];
  return { ...outcome, issue, journal, budget: budget.line() };
}

/**
 * `mode: ready-sandbox`: the sandbox readied as a job readies it, and nothing else: the steps after
 * it run the vendored CLI (the checks workflow of `init --ci github`). A sandbox that cannot start
 * fails the step with the reason, as it fails a job.
 */
async function readySandboxOnly(env: NodeJS.ProcessEnv, io: RunnerIo): Promise<number> {
  try {
    const inputs = readInputs(env);
    for (const secret of [inputs.anthropicApiKey, inputs.openaiApiKey, inputs.githubToken]) if (secret) io.mask(secret);
    const result = await readySandboxOnRunner({ log: io.log, env: withoutHeld(env) });
    if (!result.ok) {
      io.error(`the sandbox cannot start on this runner: ${result.reason}`);
      return 1;
    }
    io.log(`Orchestrator: the sandbox is ready for the steps after this one (${result.took}).`);
    return 0;
  } catch (error) {
    io.error((error as Error).message);
    return 1;
  }
}

/** What the job did, by the issue's links before and after it. */
function outcomeOf(
  before: IssueLink[],
  after: readonly IssueLink[],
  seen: { refusals: string[]; lost?: { cancelledBy?: string }; dispatch: boolean },
): Omit<Outcome, 'issue'> {
  // A run set aside on a confirmation waits as it waited at its gate: its question tells them apart.
  const stage = (link: IssueLink) => `${link.status} ${link.confirmation?.since ?? ''}`;
  const was = new Map(before.map((link) => [link.runId, stage(link)]));
  const touched =
    after.filter((link) => was.get(link.runId) !== stage(link)).at(-1) ?? (seen.dispatch ? after.at(-1) : undefined);
  if (seen.lost && !seen.lost.cancelledBy)
    return {
      status: 'ignored',
      why: 'Another job of this issue moved its state first: this job stopped without acting twice.',
    };
  if (seen.lost?.cancelledBy)
    return {
      status: 'stopped',
      why: `The run was cancelled by @${seen.lost.cancelledBy}: its agents stopped.`,
      ...(touched ? { link: touched } : {}),
    };
  if (seen.refusals.length > 0 && !touched)
    return { status: 'refused', why: `Refused: ${seen.refusals.join('; ')}. Nothing was run.` };
  if (!touched) return { status: 'ignored', why: 'Nothing to do for this event.' };
  const status: JobStatus =
    touched.status === 'waiting'
      ? 'awaiting-approval'
      : touched.status === 'running'
        ? 'running'
        : touched.status === 'completed'
          ? 'completed'
          : 'stopped';
  const why = {
    'awaiting-approval': touched.confirmation?.parked
      ? `The run is set aside on a confirmation asked on the issue${touched.confirmation.commentUrl ? ` (${touched.confirmation.commentUrl})` : ''}: \`/allow\` or \`/deny\` continues it, \`/cancel\` ends it.`
      : 'The spec waits for approval in its comment on the issue: `/approve`, `/changes <what>` or `/cancel`.',
    running: 'The run goes on.',
    completed: touched.pull ? `The run completed: ${touched.pull.url}` : 'The run completed.',
    stopped: `The run ended ${touched.status}.`,
  }[status as 'awaiting-approval' | 'running' | 'completed' | 'stopped'];
  return { status, why, link: touched };
}

/** A fork's pull request: nothing runs, no model is called; said there when someone asked for something. */
async function refuseFork(
  client: GithubClient,
  target: Extract<Target, { kind: 'fork' }>,
  io: RunnerIo,
): Promise<Outcome> {
  const why = `the head of pull request #${target.pull} is in another repository (\`${target.head.replace(/`/g, "'")}\`, a fork)`;
  if (target.say && target.pull > 0) {
    // A fork's workflow may hold a read-only token: the refusal stands all the same, said in the log.
    await client
      .comment(
        target.pull,
        note(
          'refused',
          `The orchestrator runs nothing for this pull request: ${why}. No agent ran and no model was called.`,
        ),
      )
      .catch((error: unknown) =>
        io.log(`The refusal could not be said on #${target.pull}: ${(error as Error).message}`),
      );
  }
  return { status: 'refused', why: `Refused: ${why}; nothing ran and no model was called.` };
}

/** The issue whose run has this spec, among every issue's state. */
async function issueOfSpec(remote: StateRemote, target: Target): Promise<number | undefined> {
  if (target.kind !== 'spec') return undefined;
  for (const [issue, commit] of await remote.fetchAll()) {
    const files = await remote.read(commit);
    if (stateOfFiles(issue, files).links.some((link) => link.specId === target.specId)) return issue;
  }
  return undefined;
}

/**
 * actions/checkout keeps the job's token in the checkout's git config (`persist-credentials`, on by
 * default), where an agent working in the checkout could read it: removed. The channel's git calls
 * carry the token in their environment only (gitPush.ts).
 */
async function forgetPersistedCredentials(topLevel: string, io: RunnerIo): Promise<void> {
  const keys = await hostCheckout.forgetCredentials(topLevel);
  if (keys.length > 0)
    io.log(
      `The checkout's persisted credentials (${[...new Set(keys)].join(', ')}) were removed: no agent can read them (set persist-credentials: false on actions/checkout)`,
    );
}

/** The model keys the job's runs use (the inputs, else the job's own variables), as serve's runs find them. */
export function modelKeys(
  env: NodeJS.ProcessEnv,
  inputs: { anthropicApiKey?: string; openaiApiKey?: string },
): NodeJS.ProcessEnv {
  const anthropic = inputs.anthropicApiKey ?? env.ANTHROPIC_API_KEY;
  const openai = inputs.openaiApiKey ?? env.OPENAI_API_KEY;
  return {
    ...env,
    ...(anthropic ? { ANTHROPIC_API_KEY: anthropic } : {}),
    ...(openai ? { OPENAI_API_KEY: openai } : {}),
  };
}

export function withoutHeld(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of HELD) delete copy[name];
  return copy;
}

function actionOf(payload: unknown): string {
  const action = (payload as { action?: unknown } | null)?.action;
  return typeof action === 'string' && /^[a-z_]{1,30}$/.test(action) ? ` (${action})` : '';
}
