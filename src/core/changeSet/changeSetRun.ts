/**
 * `feature` over a workspace of repositories (issue 73, docs/changesets.md): a coordinator over the
 * one pipeline, never a second one. Each member, producers first, is an ordinary run of the engine
 * in its own repository, on the set's branch (the same name in each), its agents inside its own
 * `owns`; the members go in waves (memberWaves): a wave's members use none of each other and run at
 * once. First every member's spec agent writes its part, shown its producers' parts (the gate
 * answered "save": the set asks once); the parts are joined into the set's one spec; its approval
 * (`--approve`, or `approve <setId>` later) approves every part. Then each member implements its
 * part with its producers' changed heads linked into its checkout (memberLinks.ts), so its proof
 * (red on its base, green after) and its validate commands run against them, never the published
 * version; a producer's layers are held to its consumers' checks too (consumersGate.ts: retried as
 * any failed gate). A member's run that does not complete stops the set, naming the member and its
 * report (its failing test and criterion); the rest of its wave finishes, the waves after it do
 * not run. After each member's run it is checked on the combined heads (combined/) and its part
 * committed on the set's branch (memberCommit.ts). One budget across the set (setBudget.ts).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunOptions, RunStatus, RunSummary } from '../api';
import { checkCombinedHeads, type CombinedReport } from '../combined';
import { EngineUsageError } from '../errors';
import { switchToBranch } from '../git';
import type { Host } from '../host';
import { findLatestResumableRun } from '../journal';
import { resumeRun, startFromSpec, startRun } from '../pipeline/run';
import {
  type ChangeSetWorkspace,
  findWorkspaceRoot,
  loadWorkspace,
  memberWaves,
  producersOf,
  type WorkspaceMember,
} from '../project/changeSet';
import { loadConfig, type OrchestratorConfig } from '../project/config';
import { loadSpec } from '../project/specs';
import { consumersGate } from './consumersGate';
import { commitMemberPart, uncommittedOf } from './memberCommit';
import { linkProducers, type LinkedMember, type MemberLink } from './memberLinks';
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
  /** Why it did not complete (a run's error, a link step that failed). */
  reason?: string;
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
  /** The members' indexes in waves: each member after its producers, a wave's members worked at once. */
  waves: number[][];
  budget: SetBudget;
}

/** `feature "<request>"` in the workspace's folder: every member's part written, joined, approved once and implemented producers first. */
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
  const parts: SetPart[] = [];
  const order = place.members.map((m) => m.name);
  const writePart = async (i: number): Promise<SetPart | { stop: string }> => {
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
    if (summary.status !== 'spec-saved' || !specId)
      return { stop: summary.error ?? `its run ended ${summary.status} without a spec` };
    const spec = await loadSpec(member.path, specId);
    members[i]!.specId = specId;
    return {
      member: member.name,
      specId,
      specPath: spec.path,
      title: spec.frontMatter.title,
      layers: spec.frontMatter.layers,
      body: spec.body,
    };
  };
  // A wave's members use none of each other: their parts are written at once, each given its producers' parts.
  for (const wave of place.waves) {
    const written = await Promise.all(wave.map(writePart));
    for (const part of written)
      if ('specId' in part) {
        parts.push(part);
        record.parts.push({ member: part.member, specId: part.specId });
      }
    const stop = written.findIndex((w) => 'stop' in w);
    if (stop !== -1) return stopped(place, record, members, wave[stop]!, (written[stop] as { stop: string }).stop, '');
  }
  const specPath = writeSetRecord(place.root, record, setSpecText(record, place.workspace, parts));
  say(opts, `change-set ${setId}: one spec for ${order.join(', ')}: ${specPath}`);
  if (!opts.autoApprove) return summaryOf(place, record, members, specPath, 'spec-saved');
  return implement(place, record, members, specPath, opts);
}

/** `approve <setId>` in the workspace's folder: the saved set's parts implemented, producers first. */
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
  return implement(place, record, members, specPath, { ...opts, autoApprove: true });
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

async function implement(
  place: SetPlace,
  record: SetRecord,
  members: ChangeSetMember[],
  specPath: string,
  opts: RunOptions,
): Promise<ChangeSetSummary> {
  const linked: LinkedMember[] = [];
  // Each member's checks on the combined heads (its own entries), once its run got there.
  const checkedOf: (CombinedReport | undefined)[] = [];
  const pathOf = (name: string) => place.members.find((m) => m.name === name)!.path;
  const implementOne = async (i: number): Promise<Stop | undefined> => {
    const member = place.members[i]!;
    const outcome = members[i]!;
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
      const options = memberOptions(opts, member.path, place.budget, {
        autoApprove: true,
        readable: producersOf(member.name, place.workspace.uses).map(pathOf),
        ...(gate ? { consumersGate: gate } : {}),
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
    // Its checks on the combined heads, its producers' changed heads linked in: a producer's change
    // its run took as its base (not its layer's failure there) is caught here, naming the failing tests.
    const checked = await checkCombinedHeads(place.root, {
      trusted: opts.host.isTrusted(),
      member: member.name,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    checkedOf[i] = { ...checked, members: checked.members.filter((m) => m.name === member.name) };
    if (!checked.passed) return { at: i, reason: `on the combined heads: ${failingWords(checked)}` };
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
    return undefined;
  };
  try {
    const combined: CombinedReport = { file: place.workspace.file, members: [], passed: true };
    // A wave's members use none of each other: worked at once, each on its producers' changed heads.
    // A member stopping lets the rest of its wave finish (their work kept); the waves after it do not run.
    for (const wave of place.waves) {
      const stops = await Promise.all(wave.map(implementOne));
      for (const checked of wave.map((i) => checkedOf[i])) {
        combined.members.push(...(checked?.members ?? []));
        combined.passed &&= checked?.passed ?? true;
      }
      const stop = stops.find((s) => s !== undefined);
      if (stop) {
        const summary = stopped(place, record, members, stop.at, stop.reason, specPath, stop.summary);
        return checkedOf[stop.at] ? { ...summary, combined } : summary;
      }
    }
    return { ...summaryOf(place, record, members, specPath, 'completed'), combined };
  } finally {
    for (const links of linked.reverse()) links.restore();
  }
}

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
  const names = members.map((m) => m.name);
  const waves = memberWaves(names, workspace.uses).map((wave) => wave.map((name) => names.indexOf(name)));
  return { root, workspace, members, waves, budget: new SetBudget(cap, opts.sharedBudget) };
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
});

function tally(member: ChangeSetMember, summary: RunSummary): void {
  member.status = summary.status;
  member.runIds.push(summary.runId);
  member.costUsd += summary.costUsd;
  member.filesChanged = [...new Set([...member.filesChanged, ...summary.filesChanged])];
}

function stopped(
  place: SetPlace,
  record: SetRecord,
  members: ChangeSetMember[],
  at: number,
  reason: string,
  specPath: string,
  summary?: RunSummary,
): ChangeSetSummary {
  const member = members[at]!;
  member.reason = reason;
  if (summary?.report) member.report = summary.report;
  return { ...summaryOf(place, record, members, specPath, 'stopped'), stoppedAt: member.name };
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
