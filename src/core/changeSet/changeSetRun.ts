/**
 * `feature` over a workspace of repositories (issue 73, docs/changesets.md): a coordinator over the
 * one pipeline, never a second one. Each member is an ordinary run of the engine in its own
 * repository, on the set's branch (the same name in each), its agents inside its own `owns`. Each
 * member's spec agent writes its part once its producers' parts are written, shown them (the gate
 * answered "save": the set asks once); the parts are joined into the set's one spec; its approval
 * (`--approve`: each part implemented as soon as it is written; `approve <setId>` later) approves
 * every part. The members implement at once, each from its part's contract, with its producers'
 * heads linked into its checkout (memberLinks.ts); a consumer's checks wait until its producers'
 * work is accepted (every layer green), its links taken again then, so its proof (red on its base,
 * green after) and validate commands run against their changed heads, never the published version;
 * a producer's layers are held to its consumers' checks too (consumersGate.ts: retried as any
 * failed gate). A member's run that does not complete stops the set, naming the member and its
 * report (its failing test and criterion); its consumers stop at their checks, the others finish.
 * Once its producers' parts are done, a member is checked on the combined heads (combined/) and its
 * part committed on the set's branch (memberCommit.ts). One budget across the set (setBudget.ts).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RunOptions, RunStatus, RunSummary, SetMemberWiring } from '../api';
import { checkCombinedHeads, type CombinedReport } from '../combined';
import { EngineUsageError, RunCancelled, RunStop } from '../errors';
import { switchToBranch } from '../git';
import type { Host } from '../host';
import { findLatestResumableRun } from '../journal';
import { resumeRun, startFromSpec, startRun } from '../pipeline/run';
import {
  type ChangeSetWorkspace,
  findWorkspaceRoot,
  loadWorkspace,
  producersOf,
  type WorkspaceMember,
} from '../project/changeSet';
import { loadConfig, type OrchestratorConfig } from '../project/config';
import { loadSpec } from '../project/specs';
import { consumersGate } from './consumersGate';
import { commitMemberPart, uncommittedOf } from './memberCommit';
import { linkProducers, type LinkedMember, type MemberLink } from './memberLinks';
import { memberMoments, type Moment, reached } from './memberMoments';
import { SetBudget } from './setBudget';
import {
  memberRequest,
  newSetId,
  readSetRecord,
  setFolder,
  type SetPart,
  type SetRecord,
  setSpecText,
  writeSetRecord,
} from './setSpec';

export interface ChangeSetMember {
  name: string;
  path: string;
  /** Its run's end; `not-run`: the set stopped before it. */
  status: RunStatus | 'not-run';
  specId?: string;
  /** Its runs: the one that wrote its part, the one that implemented it. */
  runIds: string[];
  /** Spent by its runs, against the set's one budget. */
  costUsd: number;
  filesChanged: string[];
  /** Its part committed on the set's branch (what its runs changed, its spec), once it passed on the combined heads. */
  commit?: string;
  /** Its producers' changed heads, linked in before its run. */
  linked: MemberLink[];
  /** Why it did not complete (a run's error, a link step that failed), or was not checked on the combined heads. */
  reason?: string;
  /** How long its run waited for its producers' work before its checks (its agents worked meanwhile). */
  waitedSec: number;
  /** Its run's report when it stopped: the failing tests and criteria. */
  report?: string;
}

export interface ChangeSetSummary {
  setId: string;
  /** The workspace file. */
  file: string;
  /** The set's one spec (absolute). */
  specPath: string;
  branch: string;
  /** `spec-saved`: waiting for `approve <setId>`; `stopped`: a member's run did not complete, or its checks failed on the combined heads. */
  status: 'completed' | 'spec-saved' | 'stopped';
  /** Producers first. */
  members: ChangeSetMember[];
  costUsd: number;
  budgetUsd: number;
  /** The member whose run (or link step) stopped the set. */
  stoppedAt?: string;
  /** Each member's checks on the combined heads, run after its run with its producers' changed heads linked in. */
  combined?: CombinedReport;
}

interface SetPlace {
  root: string;
  workspace: ChangeSetWorkspace;
  members: (WorkspaceMember & { path: string; config: OrchestratorConfig })[];
  budget: SetBudget;
}

/** `feature "<request>"` in the workspace's folder: every member's part written, joined, approved once and implemented. */
export async function runChangeSet(request: string, opts: RunOptions): Promise<ChangeSetSummary> {
  const place = await setPlace(opts);
  // A second set of the same words the same day gets its own folder (`…-2`).
  const first = newSetId(request);
  let setId = first;
  for (let n = 2; existsSync(setFolder(place.root, setId)); n++) setId = `${first}-${n}`;
  const record: SetRecord = { setId, request, branch: `changeset/${setId}`, parts: [] };
  // What the user had not committed stays theirs: the set commits only what it made (memberCommit.ts).
  if (opts.host.isTrusted()) record.uncommitted = await uncommittedOf(place.members);
  const members = place.members.map((m) => newMember(m.name, m.path));
  const order = place.members.map((m) => m.name);
  const parts: SetPart[] = [];
  const stops: Stop[] = [];
  const specPath = join(setFolder(place.root, setId), 'spec.md');
  const writePart = async (i: number): Promise<boolean> => {
    const member = place.members[i]!;
    say(opts, `change-set ${setId}: ${member.name}'s part of the spec (${i + 1}/${order.length})`);
    if (opts.host.isTrusted()) await switchToBranch(member.path, record.branch);
    const producers = producersOf(member.name, place.workspace.uses);
    const summary = await startRun(
      memberOptions(opts, member.path, place.budget, {
        host: savingAtGate(opts.host),
        // The set's approval is asked once, after every part is written: each part's gate saves it.
        autoApprove: false,
        approveGates: false,
      }),
      {
        kind: 'feature',
        request: memberRequest(
          request,
          member.name,
          order,
          place.workspace.uses,
          parts.filter((p) => producers.includes(p.member)),
        ),
      },
    );
    tally(members[i]!, summary);
    const specId = summary.specPath && /\/(\d{4}-\d{2}-\d{2}-[a-z0-9-]+)\/spec\.md$/.exec(summary.specPath)?.[1];
    if (summary.status !== 'spec-saved' || !specId) {
      stops.push({ at: i, reason: summary.error ?? `its run ended ${summary.status} without a spec` });
      return false;
    }
    const spec = await loadSpec(member.path, specId);
    members[i]!.specId = specId;
    parts.push({
      member: member.name,
      specId,
      specPath: spec.path,
      title: spec.frontMatter.title,
      layers: spec.frontMatter.layers,
      body: spec.body,
    });
    // Producers first, whatever order they were written in; kept as they come, so a killed set is approved again.
    parts.sort((a, b) => order.indexOf(a.member) - order.indexOf(b.member));
    record.parts = parts.map((p) => ({ member: p.member, specId: p.specId }));
    writeSetRecord(place.root, record, setSpecText(record, place.workspace, parts));
    if (parts.length === order.length) say(opts, `change-set ${setId}: one spec for ${order.join(', ')}: ${specPath}`);
    return true;
  };
  // Each part once its producers' are written (it is shown them); none after a part failed.
  const written = afterProducers(place, (i, producersWritten) =>
    producersWritten && stops.length === 0 ? writePart(i) : Promise.resolve(false),
  );
  // Approved already (--approve): each member implements its part as soon as it is written.
  if (opts.autoApprove) return implement(place, record, members, specPath, opts, (i) => written[i]!, stops);
  await settledAll(written);
  if (stops.length > 0) return stopped(place, record, members, specPath, stops);
  return summaryOf(place, record, members, specPath, 'spec-saved');
}

/** `approve <setId>` in the workspace's folder: the saved set's parts implemented, the members at once. */
export async function approveChangeSet(setId: string, opts: RunOptions): Promise<ChangeSetSummary> {
  const place = await setPlace(opts);
  const record = readSetRecord(place.root, setId);
  if (!record) throw new EngineUsageError(`No change-set ${setId} in ${place.root}/.claude/changesets.`);
  const members = place.members.map((m) => {
    const member = newMember(m.name, m.path);
    const part = record.parts.find((p) => p.member === m.name);
    if (part) member.specId = part.specId;
    return member;
  });
  const specPath = join(setFolder(place.root, setId), 'spec.md');
  const written = members.map(() => Promise.resolve(true));
  return implement(place, record, members, specPath, { ...opts, autoApprove: true }, (i) => written[i]!);
}

/** A change-set runs from the folder holding `.claude/workspace.yaml`; in a member below it, `feature` is that member's own run. */
export function isChangeSetRoot(workspace: string): boolean {
  return findWorkspaceRoot(workspace) === resolve(workspace);
}

/** Why a member stopped the set: its index, the reason, its run's summary (its report). */
interface Stop {
  at: number;
  reason: string;
  summary?: RunSummary;
}

/**
 * Every member at once, each from its part's contract: a consumer's agents work beside its
 * producers', its checks wait for their work to be accepted (their heads linked in again then), and
 * its check on the combined heads waits for their parts to be done. A member that stops stops its
 * consumers at their checks; the others finish (their work kept); a member not started by then is not.
 */
async function implement(
  place: SetPlace,
  record: SetRecord,
  members: ChangeSetMember[],
  specPath: string,
  opts: RunOptions,
  partWritten: (i: number) => Promise<boolean>,
  stops: Stop[] = [],
): Promise<ChangeSetSummary> {
  const linked: LinkedMember[] = [];
  // Each member's checks on the combined heads (its own entries), once its run got there.
  const checkedOf: (CombinedReport | undefined)[] = [];
  const moments = place.members.map(() => memberMoments());
  const names = place.members.map((m) => m.name);
  const pathOf = (name: string) => place.members[names.indexOf(name)]!.path;
  // Why waiting for these moments ended without them (a producer stopped), else undefined.
  const heldBy = (waited: Moment[]) =>
    reached(waited, opts.signal).then(
      () => undefined,
      (error: Error) => error.message,
    );
  const implementOne = async (i: number): Promise<Stop | undefined> => {
    const member = place.members[i]!;
    const outcome = members[i]!;
    const producers = producersOf(member.name, place.workspace.uses).map((name) => names.indexOf(name));
    if (!(await partWritten(i)) || stops.length > 0) return undefined;
    if (!outcome.specId) return { at: i, reason: 'no part of the spec was saved for it' };
    say(opts, `change-set ${record.setId}: ${member.name} (${i + 1}/${members.length})`);
    if (opts.host.isTrusted()) await switchToBranch(member.path, record.branch);
    const uses = place.workspace.uses.filter((u) => u.consumer === member.name);
    const links = await linkProducers(member, uses, pathOf, opts.signal);
    linked.push(links);
    outcome.linked = links.links;
    if (links.failed) return { at: i, reason: `linking its producers failed: ${links.failed}` };
    // A part implemented already (`approve <setId>` again after the set stopped) is checked, not run again.
    if ((await loadSpec(member.path, outcome.specId)).location === 'completed') {
      outcome.status = 'completed';
      say(opts, `change-set ${record.setId}: ${member.name}'s part is implemented already (${outcome.specId})`);
    } else {
      // Its layers' work held to its consumers too: a change breaking one is retried as a failed gate.
      const gate = consumersGate(place.root, member.name, place.workspace, opts.host.isTrusted(), (message) =>
        opts.host.onEvent({ type: 'log', level: 'warn', message }),
      );
      const setMember: SetMemberWiring = {
        producersReady: async (signal) => {
          const waiting = producers.filter((j) => !moments[j]!.accepted.settled).map((j) => names[j]!);
          if (waiting.length > 0)
            say(opts, `change-set ${record.setId}: ${member.name}'s checks wait for ${waiting.join(', ')}'s work`);
          const since = performance.now();
          try {
            await reached(
              producers.map((j) => moments[j]!.accepted),
              signal,
            );
          } catch (error) {
            if (error instanceof RunCancelled) throw error;
            throw producerStopped(member.name, (error as Error).message);
          } finally {
            outcome.waitedSec += (performance.now() - since) / 1000;
          }
          // Their heads as their accepted work left them: a client generated again from the changed schema.
          const failed = await links.refresh(signal);
          if (failed) throw linkFailed(member.name, failed);
        },
        ...(gate ? { consumersCheck: (signal) => gate.check(signal) } : {}),
        accepted: () => moments[i]!.accepted.resolve(),
      };
      const options = memberOptions(opts, member.path, place.budget, {
        autoApprove: true,
        readable: producers.map((j) => place.members[j]!.path),
        setMember,
      });
      // Its part's run stopped before (`approve <setId>` again): resumed, its work so far kept, not started over it.
      const unfinished = findLatestResumableRun(member.path, (message) => say(opts, message));
      const summary =
        unfinished?.specId === outcome.specId
          ? await resumeRun(unfinished.runId, options)
          : await startFromSpec(outcome.specId, options);
      tally(outcome, summary);
      // Retries spent on a consumer's failure (the stop names the gate's command): the set names the consumer's tests.
      const why =
        gate?.last && summary.error?.includes(`a consumer of ${member.name}`)
          ? `its change breaks ${gate.last}`
          : (summary.error ?? `its run ended ${summary.status}`);
      if (summary.status !== 'completed') return { at: i, reason: why, summary };
    }
    moments[i]!.accepted.resolve();
    moments[i]!.finished.resolve();
    // Checked on the combined heads once its producers' runs finished (their work trees final).
    const held = await heldBy(producers.map((j) => moments[j]!.finished));
    if (held) {
      outcome.reason = `not checked on the combined heads: ${held}`;
      return undefined;
    }
    // Its checks on the combined heads, its producers' changed heads linked in: a producer's change
    // after its work was accepted (its review's) is caught here, naming the failing tests.
    const checked = await checkCombinedHeads(place.root, {
      trusted: opts.host.isTrusted(),
      member: member.name,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    checkedOf[i] = { ...checked, members: checked.members.filter((m) => m.name === member.name) };
    if (!checked.passed) return { at: i, reason: `on the combined heads: ${failingWords(checked)}` };
    // Committed after its producers' parts were: the set's branches never hold a consumer's part alone.
    const notDone = await heldBy(producers.map((j) => moments[j]!.done));
    if (notDone) {
      outcome.reason = `not committed: ${notDone}`;
      return undefined;
    }
    // Committed on the set's branch: its consumers take it at HEAD, `publish <branch>` pushes it.
    // A set begun before the record kept what was not committed then is left for you to commit.
    if (opts.host.isTrusted() && record.uncommitted) {
      const part = {
        specId: outcome.specId,
        title: (await loadSpec(member.path, outcome.specId)).frontMatter.title,
        uncommitted: record.uncommitted[member.name] ?? [],
      };
      const commit = await commitMemberPart(member, part, { setId: record.setId, at: i + 1, of: members.length });
      if (commit) outcome.commit = commit;
    }
    moments[i]!.done.resolve();
    return undefined;
  };
  try {
    const ended = place.members.map(async (member, i) => {
      try {
        const stop = await implementOne(i);
        if (stop) stops.push(stop);
      } finally {
        // Whatever way it ended, its consumers stop waiting for it.
        for (const moment of Object.values(moments[i]!)) moment.reject(`${member.name} stopped`);
      }
    });
    await settledAll(ended);
    const combined: CombinedReport = { file: place.workspace.file, members: [], passed: true };
    for (const checked of checkedOf) {
      combined.members.push(...(checked?.members ?? []));
      combined.passed &&= checked?.passed ?? true;
    }
    if (stops.length === 0) return { ...summaryOf(place, record, members, specPath, 'completed'), combined };
    const summary = stopped(place, record, members, specPath, stops);
    return checkedOf.some(Boolean) ? { ...summary, combined } : summary;
  } finally {
    for (const links of linked.reverse()) links.restore();
  }
}

/** Each member's task, started once its producers' have ended (given whether all of them went through). */
function afterProducers(place: SetPlace, task: (i: number, producersDid: boolean) => Promise<boolean>): Promise<boolean>[] {
  const names = place.members.map((m) => m.name);
  const tasks: Promise<boolean>[] = [];
  // Producers come first in the members' order: theirs exist when a consumer's is made.
  names.forEach((name, i) => {
    const producers = producersOf(name, place.workspace.uses).map((p) => tasks[names.indexOf(p)]!);
    tasks.push(Promise.all(producers).then((did) => task(i, did.every(Boolean))));
  });
  return tasks;
}

/** Waits for every one; the first that threw is thrown once all have ended (none left running behind the error). */
async function settledAll(all: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(all)).find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

const producerStopped = (member: string, why: string): RunStop =>
  new RunStop(
    'blocked',
    `its producer ${why.replace(/ stopped$/, '')} stopped before its work was accepted: nothing to check ${member}'s against`,
    [
      '## Pipeline stopped: a producer of this change-set member stopped',
      `${why}: ${member}'s work is kept; its checks need the producer's accepted work.`,
      '### Action needed',
      "See the change-set's report for the producer's stop; `orchestrator approve <setId>` in the workspace's folder resumes both.",
    ].join('\n'),
  );

const linkFailed = (member: string, failed: string): RunStop =>
  new RunStop(
    'validation',
    `linking its producers failed: ${failed}`,
    [
      "## Pipeline stopped: a producer's head could not be linked in",
      `${member}'s link step failed on its producer's accepted work:`,
      failed,
    ].join('\n'),
  );

async function setPlace(opts: RunOptions): Promise<SetPlace> {
  const root = resolve(opts.workspace);
  const workspace = await loadWorkspace(root);
  const members: SetPlace['members'] = [];
  for (const member of workspace.members) {
    if (!member.path)
      throw new EngineUsageError(`${member.name} is on GitHub only: a change-set runs members on this machine (path:)`);
    if (!member.configured)
      throw new EngineUsageError(
        `${member.name} has no .claude/orchestrator.yaml: run orchestrator init in ${member.path}`,
      );
    members.push({ ...member, path: member.path, config: await loadConfig(member.path) });
  }
  const cap = opts.overrides?.limits?.maxBudgetUsd ?? Math.min(...members.map((m) => m.config.limits.maxBudgetUsd));
  return { root, workspace, members, budget: new SetBudget(cap, opts.sharedBudget) };
}

/** A member's run: in its own checkout, in place (its producers' heads are linked there), against the set's budget. */
function memberOptions(opts: RunOptions, path: string, budget: SetBudget, extra: Partial<RunOptions>): RunOptions {
  const { runId: _ignored, ...rest } = opts;
  return { ...rest, workspace: path, isolation: 'in-place', sharedBudget: budget, ...extra };
}

/** The host, its spec gate answered "save": the set asks once, for all its parts. */
function savingAtGate(host: Host): Host {
  const saving = Object.create(host) as Host;
  saving.ask = (asked) => ('gate' in asked ? Promise.resolve({ action: 'save' as const }) : host.ask(asked));
  return saving;
}

const newMember = (name: string, path: string): ChangeSetMember => ({
  name,
  path,
  status: 'not-run',
  runIds: [],
  costUsd: 0,
  filesChanged: [],
  linked: [],
  waitedSec: 0,
});

function tally(member: ChangeSetMember, summary: RunSummary): void {
  member.status = summary.status;
  member.runIds.push(summary.runId);
  member.costUsd += summary.costUsd;
  member.filesChanged = [...new Set([...member.filesChanged, ...summary.filesChanged])];
}

/** Each stopped member's reason and report; the set stopped at the first of them, producers first (a consumer's stop is often its producer's). */
function stopped(
  place: SetPlace,
  record: SetRecord,
  members: ChangeSetMember[],
  specPath: string,
  stops: readonly Stop[],
): ChangeSetSummary {
  for (const stop of stops) {
    const member = members[stop.at]!;
    member.reason = stop.reason;
    if (stop.summary?.report) member.report = stop.summary.report;
  }
  const first = Math.min(...stops.map((s) => s.at));
  return { ...summaryOf(place, record, members, specPath, 'stopped'), stoppedAt: members[first]!.name };
}

function summaryOf(
  place: SetPlace,
  record: SetRecord,
  members: ChangeSetMember[],
  specPath: string,
  status: ChangeSetSummary['status'],
): ChangeSetSummary {
  return {
    setId: record.setId,
    file: place.workspace.file,
    specPath,
    branch: record.branch,
    status,
    members,
    costUsd: members.reduce((sum, m) => sum + m.costUsd, 0),
    budgetUsd: place.budget.limitUsd,
  };
}

/** What failed on the combined heads: each command with the tests its runner named failing. */
function failingWords(report: CombinedReport): string {
  return report.members
    .flatMap((m) => [
      ...(m.status === 'failed' && m.reason ? [`${m.name}: ${m.reason}`] : []),
      ...m.commands
        .filter((c) => c.outcome.status !== 'passed')
        .map((c) => {
          const failing = c.outcome.status === 'failed' ? c.outcome.failing : undefined;
          return `${m.name}: ${c.command} ${c.outcome.status}${failing ? `: ${failing.join('; ')}` : ''}`;
        }),
    ])
    .join('; ');
}

const say = (opts: RunOptions, message: string) => opts.host.onEvent({ type: 'log', level: 'info', message });
