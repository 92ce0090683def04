/**
 * A change-set's branches and pull requests as one set (issue 73, docs/changesets.md "Pull
 * requests as one set"): the members holding the set's branch (the same name in each), producers
 * first, each branch pushed to its remote, one pull request each (GitHub), every body listing the
 * others with their status and the merge order, and `orchestrator/change-set` on each head: green
 * only when every member passed on the combined heads (checkCombinedHeads at the branch), else red
 * naming the member and its failing command or test.
 */
import { EngineUsageError } from '../errors';
import { pushBranch, resolveCommit, validBranchName } from '../git';
import { findWorkspaceRoot, loadWorkspace } from '../project/changeSet';
import { loadConfig } from '../project/config';
import { checkCombinedHeads, type CombinedMember, type CombinedOptions, type CombinedReport } from './combinedCheck';
import { type ForgeMember, gitForge, type MemberForge } from './forge';

export interface SetOptions extends Omit<CombinedOptions, 'at'> {
  /** A member's GitHub repository as the host reaches it (its token); undefined: its `origin` by git. */
  forgeOf?: (member: ForgeMember) => Promise<MemberForge | undefined>;
  /** A step said as it happens (`sdk: pull request opened …`). */
  onStep?: (member: string, step: string) => void;
}

export interface SetMember {
  name: string;
  path: string;
  forge: MemberForge;
  /** The set's branch's commit in this member. */
  head: string;
  base?: string;
  pull?: string;
}

export interface PublishedMember {
  name: string;
  where: string;
  head: string;
  base: string;
  pull?: string;
  /** Passed on the combined heads; `status` is what `orchestrator/change-set` says of the set on its head. */
  passed: boolean;
  /** Merged by `merge <set>` (its body then says so). */
  merged?: boolean;
  status: string;
}

export interface PublishReport {
  set: string;
  file: string;
  check: CombinedReport;
  /** The members holding the branch, producers first (the merge order). */
  members: PublishedMember[];
  /** Members without the branch: left as they are (checked at their HEAD). */
  outside: string[];
  /** Every member passed on the combined heads: `orchestrator/change-set` is green on each. */
  passed: boolean;
  /** Else the first member that did not, and why (its command and failing test). */
  failing?: { member: string; reason: string };
}

/** The set's members (those with the branch), producers first, each with its forge; the workspace file. */
export async function loadSet(
  start: string,
  set: string,
  options: SetOptions,
): Promise<{ file: string; members: SetMember[]; outside: string[] }> {
  const root = findWorkspaceRoot(start);
  if (!root) throw new EngineUsageError('no .claude/workspace.yaml here or in a folder above (docs/changesets.md)');
  const workspace = await loadWorkspace(root);
  if (set.startsWith('-') || !(await validBranchName(root, set)))
    throw new EngineUsageError(`${set} is no branch name: the change-set is one branch, the same name in each member`);
  const members: SetMember[] = [];
  const outside: string[] = [];
  for (const member of workspace.members) {
    const head = member.path && (await resolveCommit(member.path, `refs/heads/${set}`));
    if (!member.path || !head) {
      outside.push(member.name);
      continue;
    }
    const apiUrl = (await loadConfig(member.path)).github.apiUrl.replace(/\/+$/, '');
    const hosted = await options.forgeOf?.({
      name: member.name,
      ...(member.github ? { github: member.github } : {}),
      apiUrl,
    });
    members.push({ name: member.name, path: member.path, forge: hosted ?? gitForge(member.path, member.github), head });
  }
  if (members.length === 0)
    throw new EngineUsageError(
      `no member of ${workspace.file} has a branch ${set}: the change-set is that branch in each`,
    );
  return { file: workspace.file, members, outside };
}

/** Each member's branch pushed, its pull request opened or updated, the set checked on the combined heads, every head's status set. */
export async function publishSet(
  start: string,
  set: string,
  options: SetOptions,
  loaded?: Awaited<ReturnType<typeof loadSet>>,
): Promise<PublishReport> {
  const { file, members, outside } = loaded ?? (await loadSet(start, set, options));
  const say = options.onStep ?? (() => undefined);
  for (const member of members) {
    await pushBranch(member.path, 'origin', set);
    Object.assign(member, await member.forge.open(set, `${set}: change-set ${members.map((m) => m.name).join(' → ')}`));
    say(member.name, member.pull ? `pull request ${member.pull}` : `${set} pushed to ${member.forge.where}`);
  }
  const check = await checkCombinedHeads(start, { ...options, at: set });
  const failure = firstFailure(check, new Set(members.map((m) => m.name)));
  const published = members.map((member) => {
    const own = check.members.find((m) => m.name === member.name);
    return {
      name: member.name,
      where: member.forge.where,
      head: member.head,
      base: member.base!,
      ...(member.pull ? { pull: member.pull } : {}),
      passed: own?.status === 'passed',
      status: failure
        ? `${failure.member}: ${failure.reason}`.slice(0, 140)
        : `all ${check.members.length} repositories passed on the combined heads`,
    };
  });
  await describeAll(set, members, published, outside);
  for (const [i, member] of members.entries()) {
    await member.forge.setStatus(member.head, !failure, published[i]!.status);
  }
  return {
    set,
    file,
    check,
    members: published,
    outside,
    passed: !failure,
    ...(failure ? { failing: failure } : {}),
  };
}

/** Every member's pull request body written again from `published` (after a member merged, too). */
export async function describeAll(
  set: string,
  members: readonly SetMember[],
  published: readonly PublishedMember[],
  outside: readonly string[],
): Promise<void> {
  for (const [i, member] of members.entries()) await member.forge.describe(pullBody(set, published, i, outside));
}

/** The first member that failed (or, in the set, was not checked), with its command and failing test: the set's red status. */
function firstFailure(
  check: CombinedReport,
  inSet: ReadonlySet<string>,
): { member: string; reason: string } | undefined {
  for (const member of check.members) {
    if (member.status === 'failed') return { member: member.name, reason: failureOf(member) };
    if (member.status === 'not-checked' && inSet.has(member.name))
      return { member: member.name, reason: `not checked (${member.reason ?? 'nothing ran'})` };
  }
  return undefined;
}

function failureOf(member: CombinedMember): string {
  const command = member.commands.find((c) => c.outcome.status !== 'passed');
  if (!command) return member.reason ?? 'failed';
  const failing = command.outcome.status === 'failed' ? command.outcome.failing : undefined;
  return `${command.command} ${failing?.length ? `failed: ${failing.join('; ')}` : command.outcome.status}`;
}

/** The body of member `index`'s pull request: every member in the merge order, each one's request and status. */
export function pullBody(
  set: string,
  members: readonly PublishedMember[],
  index: number,
  outside: readonly string[],
): string {
  const cell = (text: string) => text.replace(/[|\r\n]+/g, ' ');
  const rows = members.map((m, i) => {
    const name = i === index ? `**${cell(m.name)}** (this one)` : cell(m.name);
    return `| ${i + 1} | ${name} | ${cell(m.pull ?? m.where)} | ${m.merged ? '✓ merged' : m.passed ? '✓ passed' : '✗ not passed'} |`;
  });
  const failing = members.find((m) => !m.passed) ?? members[0];
  return [
    `One of a change-set of ${members.length} repositories, branch \`${cell(set)}\`, merged in this order (producers first) by \`orchestrator merge ${cell(set)}\`, never some without the others.`,
    '',
    '| order | repository | pull request | on the combined heads |',
    '|---|---|---|---|',
    ...rows,
    '',
    `\`orchestrator/change-set\`: ${cell(failing?.status ?? '')}`,
    ...(outside.length
      ? ['', `Not in the set (no branch \`${cell(set)}\`, checked as they are): ${outside.map(cell).join(', ')}.`]
      : []),
  ].join('\n');
}
