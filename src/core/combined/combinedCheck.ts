/**
 * The change-set's members checked on the combined heads (issue 73, docs/changesets.md): each
 * member, producers first, in a throwaway worktree of its work tree as it is (HEAD plus what is not
 * committed: init's verification place, census/verify/verifySandbox.ts), with each producer's
 * worktree linked in by the edge's `via` (links.ts), then its own validate commands, confined as a
 * run's are. A consumer's failure names its command and first failing lines: a producer's change
 * that breaks it is seen before anything merges. Nothing is written into any checkout; the
 * worktrees go at the end. Restricted Mode runs nothing.
 */
import { EngineUsageError } from '../errors';
import { resolveCommit } from '../git';
import { type CommandSandbox } from '../process';
import { censusRoom, type VerifyOutcome } from '../census';
import { findWorkspaceRoot, type LinkKind, loadWorkspace, type WorkspaceMember } from '../project/changeSet';
import { loadConfig, type OrchestratorConfig } from '../project/config';
import { linkStep } from './links';

type Place = Awaited<ReturnType<ReturnType<typeof censusRoom>['verifySandbox']>>;

export interface CombinedLink {
  producer: string;
  via: LinkKind;
  /** The step run in the consumer's worktree (`generate`, `go mod edit`, your link), or what was linked. */
  step: string;
  /** A step run: its outcome; a producer not checked here: why it was not linked. */
  outcome?: VerifyOutcome;
  notLinked?: string;
}

export interface CombinedMember {
  name: string;
  /** What was checked: `at`'s revision, its HEAD where it has none (the set leaves it as it is), or (absent) its work tree as it is. */
  at?: string;
  /** `passed`: every validate command passed with its producers linked; `not-checked` (nothing to run, or not here): `reason` says why. */
  status: 'passed' | 'failed' | 'not-checked';
  reason?: string;
  linked: CombinedLink[];
  commands: { command: string; outcome: VerifyOutcome }[];
}

export interface CombinedReport {
  file: string;
  /** Producers first. */
  members: CombinedMember[];
  /** No member failed (one not checked says why). */
  passed: boolean;
}

export interface CombinedOptions {
  trusted: boolean;
  /** Each member at this revision (the change-set's branch) instead of its work tree; one without it at its HEAD. */
  at?: string;
  /** These members at their HEAD, the others as they are (a change-set consumer whose own run is still at work). */
  atHead?: readonly string[];
  signal?: AbortSignal;
  /**
   * Only this member's commands run (a change-set's run, after that member's run): its producers are
   * placed to be linked, not checked again; the other members are left out.
   */
  member?: string;
  /** A member's step or command starts (hosts show it while it runs). */
  onStart?: (member: string, command: string) => void;
}

export async function checkCombinedHeads(start: string, options: CombinedOptions): Promise<CombinedReport> {
  const root = findWorkspaceRoot(start);
  if (!root) throw new EngineUsageError('no .claude/workspace.yaml here or in a folder above (docs/changesets.md)');
  const workspace = await loadWorkspace(root);
  const places = new Map<string, Place>();
  const members: CombinedMember[] = [];
  try {
    const upTo = options.member ? workspace.members.findIndex((m) => m.name === options.member) : -1;
    // One member's check places only what it links: its own producers.
    const linkedBy = new Set(workspace.uses.filter((u) => u.consumer === options.member).map((u) => u.producer));
    for (const member of upTo >= 0 ? workspace.members.slice(0, upTo + 1) : workspace.members) {
      if (upTo >= 0 && member.name !== options.member && !linkedBy.has(member.name)) continue;
      const uses = workspace.uses.filter((use) => use.consumer === member.name);
      const why = notCheckable(member, options);
      if (why) {
        members.push({ name: member.name, status: 'not-checked', reason: why, linked: [], commands: [] });
        continue;
      }
      const at = options.at
        ? (await resolveCommit(member.path!, options.at))
          ? options.at
          : 'HEAD'
        : options.atHead?.includes(member.name)
          ? 'HEAD'
          : undefined;
      const place = await censusRoom().verifySandbox(member.path!, [], at);
      places.set(member.name, place);
      if (upTo >= 0 && member.name !== options.member) continue;
      const checked = await checkMember(member, place, uses, places, options);
      members.push(
        at
          ? { ...checked, at: at === 'HEAD' && options.at && options.at !== 'HEAD' ? `HEAD (no ${options.at})` : at }
          : checked,
      );
    }
  } finally {
    await Promise.all([...places.values()].map((place) => place.dispose().catch(() => undefined)));
  }
  return { file: workspace.file, members, passed: members.every((m) => m.status !== 'failed') };
}

function notCheckable(member: WorkspaceMember, options: CombinedOptions): string | undefined {
  if (!options.trusted) return 'the workspace is not trusted: nothing from it runs';
  if (!member.path) return 'on GitHub only: no work tree on this machine';
  if (!member.configured) return 'no .claude/orchestrator.yaml: run orchestrator init there';
  if (options.signal?.aborted) return 'cancelled';
  return undefined;
}

async function checkMember(
  member: WorkspaceMember,
  place: Place,
  uses: readonly Parameters<typeof linkStep>[0][],
  places: ReadonlyMap<string, Place>,
  options: CombinedOptions,
): Promise<CombinedMember> {
  const room = censusRoom();
  const config = await loadConfig(member.path!);
  let env = { ...place.env };
  let sandbox = place.sandbox;
  const linked: CombinedLink[] = [];
  const run = async (
    command: string,
    timeoutSec = config.limits.commandTimeoutSec,
    shown = command,
  ): Promise<VerifyOutcome> => {
    options.onStart?.(member.name, shown);
    return room.verifyCommand(place.cwd, command, {
      env,
      ...(sandbox ? { sandbox } : {}),
      secrets: place.secrets,
      ...(place.copy ? { copy: place.copy } : {}),
      timeoutSec,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  };
  for (const use of uses) {
    const producer = places.get(use.producer);
    if (!producer) {
      linked.push({ producer: use.producer, via: use.via, step: '', notLinked: 'the producer was not checked here' });
      continue;
    }
    sandbox = sandbox && seeing(sandbox, producer);
    const step = linkStep(use, place.cwd, producer.cwd);
    if ('linked' in step) linked.push({ producer: use.producer, via: use.via, step: step.linked });
    else if ('env' in step) {
      env = { ...env, ...step.env };
      linked.push({ producer: use.producer, via: use.via, step: `PYTHONPATH=${step.env.PYTHONPATH}` });
    } else {
      // Shown with the producer named, not its throwaway worktree's path.
      const shown = step.run.replaceAll(producer.cwd, `<${use.producer}>`);
      const outcome = await run(step.run, undefined, shown);
      linked.push({ producer: use.producer, via: use.via, step: shown, outcome });
      if (outcome.status !== 'passed')
        return { name: member.name, status: 'failed', reason: `linking ${use.producer} failed`, linked, commands: [] };
    }
  }
  const validate = memberCommands(config);
  const commands: CombinedMember['commands'] = [];
  for (const [command, limit] of validate) commands.push({ command, outcome: await run(command, limit) });
  const failed = commands.some((c) => c.outcome.status !== 'passed');
  return {
    name: member.name,
    status: validate.size === 0 ? 'not-checked' : failed ? 'failed' : 'passed',
    ...(validate.size === 0 ? { reason: 'no validate command in its config: nothing was checked' } : {}),
    linked,
    commands,
  };
}

/** A member's validate commands, each once, with the longest limit a layer running it gives it (as a run would). */
export function memberCommands(config: OrchestratorConfig): Map<string, number> {
  const validate = new Map<string, number>();
  for (const layer of Object.values(config.layers))
    for (const command of layer.validate) {
      const limit = layer.timeoutSec ?? config.limits.commandTimeoutSec;
      validate.set(command, Math.max(limit, validate.get(command) ?? 0));
    }
  return validate;
}

/** The consumer's sandbox, reading its producer's worktree and what that worktree links from its checkout. */
function seeing(sandbox: CommandSandbox, producer: Place): CommandSandbox {
  const theirs = producer.sandbox
    ? [...producer.sandbox.writable.slice(0, 1), ...(producer.sandbox.readOnly ?? [])]
    : [];
  return { ...sandbox, readOnly: [...new Set([...(sandbox.readOnly ?? []), producer.cwd, ...theirs])] };
}
