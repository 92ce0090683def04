/**
 * A proposed proof command verified as the validate commands are — once, on the untouched
 * repository, in the throwaway worktree, minimal environment, time-boxed — on a probe
 * (proofProbes.ts) written into the worktree only: a passing and a failing test in the proof
 * folder. It works when it fails the run, names the passing test unmarked and marks the failing
 * one; otherwise it is not proposed. Runs after the validate commands (a probe in `tests/` would
 * fail the project's own `pytest`), each build tool's probes one after another (a Maven reactor or a
 * Gradle build is one build), the others side by side.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runCommand } from '../../process';
import { visibleLine as printable } from '../../text/terminalText';
import { withFiles } from '../../proofTests';
import { checkFolderGates, type FolderGate } from './proofFolderGates';
import { judgeProbe, probeContent } from '../proof/proofProbes';
import type { ProofUnit, ProposedProof, VerifyOutcome } from '../types';
import { type Deadline, outOfTime } from './verifyBudget';
import { fixOf, stoppedBefore } from './verifyClassify';
import { firstErrorLines, lastLines, missingTool, withoutAbsolutePaths } from './verifyOutput';
import { confined, hiddenFileFix, shownOutput } from './verifyHidden';
import type { VerifySandbox } from './verifySandbox';

export interface ProofVerifyOptions {
  timeoutSec: number;
  concurrency: number;
  /** The time budget given (none by default) and the user's stop: nothing starts once either is spent. */
  deadline: Deadline;
  budgetSec?: number;
  onStart?: (command: string, index: number, total: number) => void;
  onProgress?: (command: string, outcome: VerifyOutcome) => void;
  /** The layer's lint and build gates that passed: run again with the probe in its folder (proofFolderGates.ts). */
  gates?: (layer: string) => FolderGate[];
}

/** Build tools whose runs share one build (its lock, its output folders): their probes run one at a time. */
const ONE_BUILD = new Set<ProofUnit['runner']>(['maven', 'gradle', 'dotnet', 'cargo']);

export async function verifyProof(
  proof: ProposedProof,
  sandbox: VerifySandbox,
  options: ProofVerifyOptions,
): Promise<void> {
  const units = proof.units.filter((u) => !u.verified);
  if (sandbox.kind !== 'worktree') {
    // A probe is written into a throwaway worktree only, never into the user's folder.
    for (const unit of units)
      unit.verified = {
        status: 'skipped',
        reason: 'not a git repository: a probe test is written only into a throwaway worktree',
      };
    return;
  }
  const lanes = new Map<string, ProofUnit[]>();
  for (const unit of units) {
    const lane = ONE_BUILD.has(unit.runner) ? unit.runner : unit.layer;
    lanes.set(lane, [...(lanes.get(lane) ?? []), unit]);
  }
  const queue = [...lanes.values()];
  let started = 0;
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      for (const unit of lane) {
        const { deadline, budgetSec } = options;
        if (budgetSec !== undefined && deadline.spent()) unit.verified = outOfTime(budgetSec);
        else {
          options.onStart?.(unit.command, ++started, units.length);
          // Cut short by the budget or the user's stop: kept unverified either way (verifyBudget.ts).
          unit.verified = deadline.judge(await probe(unit, sandbox, deadline.signal, options.timeoutSec));
        }
        options.onProgress?.(unit.command, unit.verified);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, queue.length) }, worker));
  const { deadline } = options;
  if (options.gates && !deadline.spent() && !deadline.signal?.aborted)
    await checkFolderGates(
      units,
      sandbox,
      { ...options, gates: options.gates, ...(deadline.signal ? { signal: deadline.signal } : {}) },
      (unit) => probe(unit, sandbox, deadline.signal, options.timeoutSec),
    );
}

async function probe(
  unit: ProofUnit,
  sandbox: VerifySandbox,
  signal: AbortSignal | undefined,
  timeoutSec: number,
): Promise<VerifyOutcome> {
  if (signal?.aborted) return { status: 'skipped', reason: 'cancelled' };
  const path = join(sandbox.cwd, unit.probe);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, probeContent(unit));
  try {
    const command = withFiles(unit.command, [unit.probe]);
    const result = await runCommand(command, {
      cwd: sandbox.cwd,
      timeoutSec,
      env: sandbox.env,
      ...(signal ? { signal } : {}),
      ...(sandbox.sandbox ? { sandbox: sandbox.sandbox } : {}),
    });
    result.output = shownOutput(result.output, confined(sandbox));
    if (result.cancelled) return { status: 'skipped', reason: 'cancelled' };
    if (result.timedOut) {
      const output = withoutAbsolutePaths(result.output, sandbox.cwd);
      const fix = fixOf(unit.command, output, true);
      return { status: 'timed-out', ms: result.ms, lastLines: lastLines(output), ...(fix ? { fix } : {}) };
    }
    const verdict = judgeProbe(result.exitCode, result.output, unit.probe, unit.runner);
    if (verdict.ok) return { status: 'passed', ms: result.ms };
    const tool = result.exitCode === 0 ? undefined : missingTool(result.exitCode, result.output, unit.command);
    if (tool !== undefined) return { status: 'missing-tool', tool };
    if (unit.runner === 'cargo' && /--offline was specified|you're using offline mode/i.test(result.output)) {
      return {
        status: 'skipped',
        reason: 'cargo ran offline and the crates it needs are not downloaded (run `cargo fetch` once to verify it)',
      };
    }
    const fix =
      fixOf(unit.command, result.output, false) ?? hiddenFileFix(result.output, sandbox.cwd, confined(sandbox));
    // The package manager stopped before any test ran: that is why, not how the probe reads.
    const stopped = stoppedBefore(result.output);
    return {
      status: 'failed',
      ms: result.ms,
      ...(fix ? { fix } : {}),
      firstLines: [
        printable(stopped ? `the command stopped before it ran the probe: ${stopped}` : verdict.why),
        ...firstErrorLines(withoutAbsolutePaths(result.output, sandbox.cwd)).slice(0, 4),
      ],
    };
  } finally {
    // Gone before the next probe: a Go package or a folder another runner is given would hold it too.
    await rm(path, { force: true });
  }
}
