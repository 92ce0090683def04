/**
 * Verification: each proposed command runs once on the untouched repository — in a throwaway
 * worktree of it (verifySandbox.ts), so nothing is written into the user's checkout — with the
 * minimal environment and a time box, several at once, in trusted workspaces only. A command
 * that fails or does not end before any change is no gate (init writes it as a comment with its
 * first error lines, or its last ones, and why: verifyClassify.ts); one whose tool is missing says
 * which tool. Nor is a command the time budget cut (verifyBudget.ts). A test command failing
 * with no known cause runs once more first: one flaky test (a timing assertion on a loaded
 * machine) is not a suite failing on the base. Builds run first, one at a time, with twice the
 * limit (buildsFirst): CI builds before it tests, and two builds writing into one worktree at once
 * race on their outputs. CI's tox run, tox missing, gives way to what tox would run (verifyTox.ts). Hosts see each
 * command start and finish.
 */
import { runCommand } from '../../process';
import { failingTests } from '../../proofTests';
import { workspaceScripts } from '../../project/commands';
import { visibleLine as printable } from '../../text/terminalText';
import { commandOwner } from '../commands/commandTrust';
import { verifyConcurrency } from './gates';
import { isTestCommand } from './proofGates';
import type { Census, VerifyOutcome } from '../types';
import { batchCommands, lanesOf, packageBuilds } from './verifyBatches';
import { deadlineOf, outOfTime, type Deadline } from './verifyBudget';
import { causeOf, fixOf } from './verifyClassify';
import { firstErrorLines, lastLines, missingTool, withoutAbsolutePaths } from './verifyOutput';
import type { FolderGate } from './proofFolderGates';
import { verifyProof } from './verifyProof';
import { confined, type Confined, hiddenFileFix, shownOutput } from './verifyHidden';
import { offlineCommand, verifySandbox, type VerifySandbox } from './verifySandbox';
import { splitSteps } from './verifySplit';
import { verifyToxCommands } from './verifyTox';
import { ownFilesFix } from './ownFilesFix';

export { missingTool, withoutAbsolutePaths } from './verifyOutput';

export interface VerifyOptions {
  /** Restricted Mode runs nothing from the workspace. */
  trusted: boolean;
  timeoutSec?: number;
  /**
   * A time budget in seconds from `since` (default none: every command gets its verdict, issue 70): no command
   * starts after it and those running are stopped; each it cut is kept unverified (verifyBudget.ts).
   */
  budgetSec?: number;
  /** Epoch ms the budget counts from (default: now; init's start, so its census and worktree count). */
  since?: number;
  /** Commands run side by side (the machine's cores are shared with the user's editor). */
  concurrency?: number;
  signal?: AbortSignal;
  /** A command starts (`index` of `total`, from 1): hosts show it while it runs. */
  onStart?: (command: string, index: number, total: number) => void;
  onProgress?: (command: string, outcome: VerifyOutcome) => void;
  /** Writes our files into the throwaway worktree before anything runs there, as init and a run would (ownFilesAtInit.ts). */
  ownFiles?: (cwd: string, env: Record<string, string>, signal?: AbortSignal) => Promise<void>;
}

const DEFAULT_TIMEOUT_SEC = 120;

/** Fills each layer's `verified` (same order as its `validate`), then each proof unit's (verifyProof.ts). */
export async function verifyCensus(workspace: string, census: Census, options: VerifyOptions): Promise<void> {
  const commands = [...new Set(census.layers.flatMap((l) => l.validate.map((v) => v.command)))];
  const proofUnits = census.proof?.units.filter((u) => !u.verified) ?? [];
  const outcomes = new Map<string, VerifyOutcome>();
  const skipAll = (outcome: VerifyOutcome) => {
    for (const command of commands) outcomes.set(command, outcome);
    for (const unit of proofUnits) unit.verified = outcome;
  };
  if (!options.trusted) {
    skipAll({ status: 'skipped', reason: 'the workspace is not trusted: nothing from it runs' });
  } else if (commands.length > 0 || proofUnits.length > 0) {
    const { budgetSec } = options;
    const deadline = deadlineOf(options.since ?? Date.now(), budgetSec, options.signal);
    try {
      // The census spent the budget given (a large repository on a busy machine): no worktree is made for nothing.
      if (budgetSec !== undefined && deadline.spent()) skipAll(outOfTime(budgetSec));
      else {
        const notRun = await inSandbox(workspace, census, commands, outcomes, { ...options, deadline });
        if (notRun) skipAll({ status: 'skipped', reason: notRun });
      }
    } finally {
      deadline.clear();
    }
  }
  for (const layer of census.layers)
    layer.verified = layer.validate.map((v) => outcomes.get(v.command) ?? { status: 'skipped', reason: 'not run' });
}

/**
 * Verification in a throwaway worktree, removed afterwards: validate commands, their network splits, then proof
 * probes. Returns why nothing ran when no worktree could be made.
 */
async function inSandbox(
  workspace: string,
  census: Census,
  commands: readonly string[],
  outcomes: Map<string, VerifyOutcome>,
  options: VerifyOptions & { deadline: Deadline },
): Promise<string | undefined> {
  const { budgetSec, deadline } = options;
  const sandbox = await verifySandbox(
    workspace,
    census.layers.flatMap((l) => l.dirs),
  ).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  if (sandbox instanceof Error) {
    // Never in place instead: a check's caches and build output would land in the user's checkout.
    return `no throwaway worktree could be made (${printable(sandbox.message.split('\n')[0] ?? '')}): nothing ran, so nothing was written into the repository`;
  }
  try {
    // The checks meet our files as they will in a run; never written in place (outside git: the user's folder).
    if (sandbox.kind === 'worktree')
      await options.ownFiles?.(sandbox.cwd, sandbox.env, deadline.signal).catch(() => undefined);
    const tests = new Set(census.layers.flatMap((l) => l.validate.filter(isTestCommand).map((v) => v.command)));
    const builds = new Set(census.layers.flatMap((l) => l.validate.filter(isBuildCommand).map((v) => v.command)));
    const [first, rest] = [commands.filter((c) => builds.has(c)), commands.filter((c) => !builds.has(c))];
    // One count for every command run, the proof probes' too (issue 71: "[1/1]" twice for two commands).
    // A probe is written into a throwaway worktree only (verifyProof.ts): outside git none runs.
    const probes = sandbox.kind === 'worktree' ? (census.proof?.units.filter((u) => !u.verified).length ?? 0) : 0;
    const progress = { started: 0, total: batchCommands(first).length + batchCommands(rest).length + probes };
    await runAll(first, sandbox, buildsFirst(options), outcomes, { deadline, budgetSec, tests, progress });
    await runAll(rest, sandbox, options, outcomes, { deadline, budgetSec, tests, progress });
    const onStart = options.onStart;
    // Runs found on the way (a network split's steps, a proof folder's alternatives) count as they start.
    const counted = onStart
      ? {
          onStart: (command: string) =>
            onStart(command, ++progress.started, (progress.total = Math.max(progress.total, progress.started))),
        }
      : {};
    const run = { ...options, ...confined(sandbox), signal: deadline.signal };
    const runOne = async (command: string): Promise<VerifyOutcome> => {
      if (budgetSec !== undefined && deadline.spent()) return outOfTime(budgetSec);
      onStart?.(command, ++progress.started, ++progress.total);
      const outcome = deadline.judge(await verifyCommand(sandbox.cwd, command, run));
      options.onProgress?.(command, outcome);
      return outcome;
    };
    await verifyToxCommands(census, sandbox.cwd, outcomes, runOne, deadline.signal);
    await splitFailedScripts(census, sandbox, { ...options, ...counted, signal: deadline.signal }, outcomes, progress);
    // After the validate commands: a probe in the proof folder would be one of their tests.
    if (census.proof) {
      await verifyProof(census.proof, sandbox, {
        timeoutSec: options.timeoutSec ?? DEFAULT_TIMEOUT_SEC,
        concurrency: options.concurrency ?? verifyConcurrency(),
        deadline,
        ...(budgetSec !== undefined ? { budgetSec } : {}),
        ...counted,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        gates: passedGates(census, outcomes),
      });
    }
  } finally {
    await sandbox.dispose();
  }
  return undefined;
}

/**
 * A package script that failed because a step needs the network, or because one of its checks fails
 * on the base: its other steps, run in order, become the layer's gate beside it (verifySplit.ts), the
 * original staying a comment.
 */
async function splitFailedScripts(
  census: Census,
  sandbox: VerifySandbox,
  options: VerifyOptions,
  outcomes: Map<string, VerifyOutcome>,
  progress: { total: number },
): Promise<void> {
  const run = { ...options, ...confined(sandbox) };
  const ownerOf = commandOwner(census.layers, workspaceScripts(sandbox.cwd));
  const members = new Map(
    census.projects
      .filter((p) => p.ecosystem === 'node')
      .flatMap(
        (p) =>
          [
            [p.name, p.dir],
            [p.dir, p.dir],
          ] as [string, string][],
      ),
  );
  for (const layer of census.layers) {
    for (let i = 0; i < layer.validate.length; i++) {
      const { command, origin } = layer.validate[i]!;
      const outcome = outcomes.get(command);
      const network =
        (outcome?.status === 'failed' || outcome?.status === 'timed-out') && outcome.cause?.needs === 'network';
      const failedOnBase = outcome?.status === 'failed' && !outcome.cause;
      if (!network && !failedOnBase) continue;
      if (options.signal?.aborted) return;
      const split = await splitSteps(
        sandbox.cwd,
        command,
        members,
        async (step) => {
          progress.total++;
          options.onStart?.(step, 0, 0);
          const stepOutcome = await verifyCommand(sandbox.cwd, step, run);
          options.onProgress?.(step, stepOutcome);
          return stepOutcome;
        },
        failedOnBase,
      );
      // Run by the script, a file a layer owns is guarded (a change asks first); run directly, it would be the layer's to rewrite.
      if (!split || ownerOf(split.command) || layer.validate.some((v) => v.command === split.command)) continue;
      const without = split.dropped.map((d) => `${d.step} (${d.what})`).join(', ');
      layer.validate.splice(i + 1, 0, {
        command: split.command,
        origin: `${origin}, without the steps that ${network ? 'need the network' : 'fail before any change'}: ${without}`,
        kind: layer.validate[i]!.kind ?? 'test',
      });
      outcomes.set(split.command, split.outcome);
      i++;
    }
  }
}

/** Each layer's lint and build gates that passed: a proof folder must keep them passing (proofFolderGates.ts). */
function passedGates(census: Census, outcomes: ReadonlyMap<string, VerifyOutcome>): (layer: string) => FolderGate[] {
  return (name) =>
    (census.layers.find((l) => l.name === name)?.validate ?? [])
      .filter((v) => (v.kind === 'lint' || isBuildCommand(v)) && outcomes.get(v.command)?.status === 'passed')
      .map((v) => ({ command: v.command, build: isBuildCommand(v) }));
}

/** A command that builds the project (its kind, else its words: a `build` script, `tsc --build`). */
function isBuildCommand(command: { command: string; kind?: string }): boolean {
  return (
    command.kind === 'build' ||
    (command.kind === undefined && /(^|[\s:])build(:[\w-]+)?(\s|$)|\btsc (-b|--build)\b/.test(command.command))
  );
}

/**
 * Builds run before the other commands, one at a time, with twice the limit: CI builds before the
 * steps that read its output (declarations, bundles), two builds side by side in one worktree race
 * on their outputs and caches (a second rollup of the same package found its cache folder gone),
 * and a whole package's compile on a loaded machine is slow without being stuck (watch modes are
 * no check: the census never proposes them).
 */
function buildsFirst(options: VerifyOptions): VerifyOptions {
  return { ...options, concurrency: 1, timeoutSec: (options.timeoutSec ?? DEFAULT_TIMEOUT_SEC) * 2 };
}

/**
 * The commands side by side in the sandbox (up to the concurrency), one invocation per tool where they differ only
 * by the module they select, one build tool's runs on one build one after another (verifyBatches.ts); none started
 * once the time budget is spent, and those it stops out of time.
 */
async function runAll(
  commands: readonly string[],
  sandbox: VerifySandbox,
  options: VerifyOptions,
  outcomes: Map<string, VerifyOutcome>,
  budget: {
    deadline: Deadline;
    budgetSec: number | undefined;
    tests: ReadonlySet<string>;
    progress: { started: number; total: number };
  },
): Promise<void> {
  const { deadline, tests, progress } = budget;
  const lanes = lanesOf(batchCommands(commands), packageBuilds(sandbox.cwd));
  const run = { ...options, ...(deadline.signal ? { signal: deadline.signal } : {}), ...confined(sandbox) };
  const settle = (command: string, outcome: VerifyOutcome) => {
    const judged = deadline.judge(outcome);
    outcomes.set(command, judged);
    options.onProgress?.(command, judged);
  };
  const worker = async () => {
    for (let lane = lanes.shift(); lane; lane = lanes.shift()) {
      for (let i = 0; i < lane.length; i++) {
        const batch = lane[i]!;
        if (budget.budgetSec !== undefined && deadline.spent()) {
          for (const member of batch.members) settle(member, outOfTime(budget.budgetSec));
          continue;
        }
        options.onStart?.(batch.command, ++progress.started, progress.total);
        const outcome = await verifyCommand(sandbox.cwd, batch.command, run);
        // A joint run that fails or times out says nothing of which module: its members run one by one.
        if (batch.members.length > 1 && (outcome.status === 'failed' || outcome.status === 'timed-out')) {
          lane.push(...batch.members.map((member) => ({ command: member, members: [member] })));
          progress.total += batch.members.length;
          continue;
        }
        for (const member of batch.members)
          settle(member, tests.has(batch.command) ? await onceMore(batch.command, outcome) : outcome);
      }
    }
  };
  // A suite with one flaky test (a timing assertion on a loaded machine) is not a suite failing on the
  // base: a test command that fails with no known cause runs once more before it is judged.
  const onceMore = async (command: string, first: VerifyOutcome): Promise<VerifyOutcome> => {
    if (first.status !== 'failed' || first.cause || deadline.signal?.aborted) return first;
    const second = await verifyCommand(sandbox.cwd, command, run);
    if (second.status === 'passed') return { ...second, rerun: first.firstLines };
    return second.status === 'failed' ? { ...first, twice: true } : first;
  };
  if (lanes.length > 0)
    await Promise.all(
      Array.from({ length: Math.min(options.concurrency ?? verifyConcurrency(), lanes.length) }, worker),
    );
}

export async function verifyCommand(
  workspace: string,
  command: string,
  options: Pick<VerifyOptions, 'timeoutSec' | 'signal'> & { env?: Record<string, string> } & Confined,
): Promise<VerifyOutcome> {
  if (options.signal?.aborted) return { status: 'skipped', reason: 'cancelled' };
  const result = await runCommand(offlineCommand(command), {
    cwd: workspace,
    timeoutSec: options.timeoutSec ?? DEFAULT_TIMEOUT_SEC,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
  });
  if (result.cancelled) return { status: 'skipped', reason: 'cancelled' };
  result.output = shownOutput(result.output, options);
  const output = withoutAbsolutePaths(result.output, workspace);
  const cause = causeOf(output);
  const fix = fixOf(command, output, result.timedOut) ?? hiddenFileFix(result.output, workspace, options);
  const why = { ...(cause ? { cause } : {}), ...(fix ? { fix } : {}) };
  if (result.timedOut) return { status: 'timed-out', ms: result.ms, lastLines: lastLines(output), ...why };
  if (result.exitCode === 0) return { status: 'passed', ms: result.ms };
  const tool = missingTool(result.exitCode, result.output, command);
  if (tool !== undefined) return { status: 'missing-tool', tool };
  // Cargo runs offline here: crates never downloaded say nothing about the code, so the command stays a gate, not run.
  if (
    /\bcargo\b/.test(command) &&
    /you're using offline mode|attempting to make an HTTP request, but --offline was specified|--offline was specified/i.test(
      result.output,
    )
  ) {
    return {
      status: 'skipped',
      reason: 'cargo ran offline and the crates it needs are not downloaded (run `cargo fetch` once to verify it)',
    };
  }
  const failing = failingTests(output).slice(0, 20);
  return {
    status: 'failed',
    ms: result.ms,
    firstLines: firstErrorLines(output),
    ...why,
    ...ownFilesFix(output, workspace),
    ...(failing.length > 0 ? { failing } : {}),
  };
}
