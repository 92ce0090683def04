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
import type { RunOptions } from '../api';
import { EngineUsageError } from '../errors';
import { switchToBranch } from '../git';
import type { Host } from '../host';
import { startRun } from '../pipeline/run';
import { findWorkspaceRoot, loadWorkspace, producersOf } from '../project/changeSet';
import { loadConfig } from '../project/config';
import { loadSpec } from '../project/specs';
import { uncommittedOf } from './memberCommit';
import { SetBudget } from './setBudget';
import { implement } from './setImplement';
import {
  type ChangeSetSummary,
  memberOptions,
  newMember,
  say,
  type SetPlace,
  settledAll,
  type Stop,
  stopped,
  summaryOf,
  tally,
} from './setOutcome';
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

export type { ChangeSetMember, ChangeSetSummary } from './setOutcome';

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

/** Each member's task, started once its producers' have ended (given whether all of them went through). */
function afterProducers(
  place: SetPlace,
  task: (i: number, producersDid: boolean) => Promise<boolean>,
): Promise<boolean>[] {
  const names = place.members.map((m) => m.name);
  const tasks: Promise<boolean>[] = [];
  // Producers come first in the members' order: theirs exist when a consumer's is made.
  names.forEach((name, i) => {
    const producers = producersOf(name, place.workspace.uses).map((p) => tasks[names.indexOf(p)]!);
    tasks.push(Promise.all(producers).then((did) => task(i, did.every(Boolean))));
  });
  return tasks;
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
  return { root, workspace, members, budget: new SetBudget(cap, opts.sharedBudget) };
}

/** The host, its spec gate answered "save": the set asks once, for all its parts. */
function savingAtGate(host: Host): Host {
  const saving = Object.create(host) as Host;
  saving.ask = (asked) => ('gate' in asked ? Promise.resolve({ action: 'save' as const }) : host.ask(asked));
  return saving;
}
