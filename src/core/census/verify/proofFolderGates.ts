/**
 * A proof folder the project's own checks accept (issue 70, items 5 and 6): once every probe has run, each unit
 * whose probe passed runs its layer's lint and build gates — those that passed on the repository, so that run is
 * the one compared with — with the probe in its folder. A gate failing there rejects the folder: the next place
 * (ProofUnit.alternatives) is probed and checked, and the first the gates accept is kept (graphql-js's ESLint allows
 * chai only in `src/**\/__*__/**`; uuid's build script failed once a test moved tsc's output). A lint gate failing
 * in every place judges the probe's words, not a folder: the first is kept, saying so. A build failing in every
 * place drops the command: proof tests would break what the project builds. Where the project has ESLint, a place
 * it judges by other rules than the project's tests is rejected too (eslintRules.ts), gate or not. One unit after
 * another, after the probes, so no other probe is in the worktree while a gate runs; a layer without such a gate
 * and without another place runs nothing more.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runCommand } from '../../process';
import { visibleLine as printable } from '../../text/terminalText';
import type { ProofGateCheck, ProofPlacement, ProofUnit, VerifyOutcome } from '../types';
import { firstErrorLines, lastLines, withoutAbsolutePaths } from './verifyOutput';
import { offlineCommand, type VerifySandbox } from './verifySandbox';
import { eslintRulesDiffer } from './eslintRules';
import { probeContent } from '../proof/proofProbes';

/** A gate of the unit's layer that passed on the repository: its lint (`build: false`) or its build. */
export interface FolderGate {
  command: string;
  build: boolean;
}

export interface FolderGateOptions {
  timeoutSec: number;
  signal?: AbortSignal;
  /** The layer's lint and build gates that passed on the repository. */
  gates: (layer: string) => FolderGate[];
  onStart?: (command: string, index: number, total: number) => void;
  onProgress?: (command: string, outcome: VerifyOutcome) => void;
}

export async function checkFolderGates(
  units: readonly ProofUnit[],
  sandbox: VerifySandbox,
  options: FolderGateOptions,
  probe: (unit: ProofUnit) => Promise<VerifyOutcome>,
): Promise<void> {
  // A probe that failed in its first place is tried in the next (a folder breaking the build its command runs first).
  const checked = units.filter(
    (u) =>
      // With no lint or build gate, a place may still be left for ESLint's rules (eslintRules.ts).
      (u.verified?.status === 'passed' && (options.gates(u.layer).length > 0 || (u.alternatives?.length ?? 0) > 0)) ||
      (u.verified?.status === 'failed' && (u.alternatives?.length ?? 0) > 0),
  );
  const progress = { started: 0, total: checked.reduce((n, u) => n + options.gates(u.layer).length, 0) };
  for (const unit of checked) {
    const gates = options.gates(unit.layer);
    const rejected: (ProofGateCheck['rejected'][number] & {
      build: boolean;
      place: ProofPlacement;
      verified: VerifyOutcome;
    })[] = [];
    const places = [placementOf(unit), ...(unit.alternatives ?? [])];
    for (const [i, place] of places.entries()) {
      if (options.signal?.aborted) return;
      const candidate: ProofUnit = { ...unit, ...place };
      if (i > 0) {
        progress.total += gates.length + 1;
        options.onStart?.(candidate.command, ++progress.started, progress.total);
        candidate.verified = await probe(candidate);
        options.onProgress?.(candidate.command, candidate.verified);
      }
      if (candidate.verified?.status !== 'passed') continue;
      const failed = await firstFailing(candidate, gates, sandbox, options, progress);
      if (failed === 'cancelled') return;
      if (failed) {
        rejected.push({ tests: place.tests, ...failed, place, verified: candidate.verified });
        continue;
      }
      adopt(unit, place, candidate.verified);
      if (gates.length > 0 || rejected.length > 0)
        unit.gates = {
          passed: gates.map((g) => g.command),
          rejected: rejected.map(({ tests, gate, firstLines }) => ({ tests, gate, firstLines })),
        };
      break;
    }
    delete unit.alternatives;
    if (unit.gates || rejected.length === 0) continue;
    const [first] = rejected;
    if (!first!.build) {
      // Its lint fails on the probe wherever it is: the probe's words, which a proof test's are not (the formatter writes it).
      adopt(unit, first!.place, first!.verified);
      unit.gates = {
        passed: [],
        rejected: [],
        failing: { gate: first!.gate, firstLines: first!.firstLines },
      };
    } else
      unit.verified = {
        status: 'failed',
        ms: unit.verified?.status === 'passed' ? unit.verified.ms : 0,
        firstLines: [
          printable(
            `the project's build (${first!.gate}) fails with a proof test in ${rejected.map((r) => r.tests).join(' or ')}: proof tests would change what it builds`,
          ),
          ...first!.firstLines,
        ],
      };
  }
}

function adopt(unit: ProofUnit, place: ProofPlacement, verified: VerifyOutcome): void {
  delete unit.onlyFiles;
  Object.assign(unit, place, { verified });
}

function placementOf(unit: ProofUnit): ProofPlacement {
  const { tests, command, probe, language, onlyFiles } = unit;
  return { tests, command, probe, language, ...(onlyFiles ? { onlyFiles } : {}) };
}

/** The first gate failing with the probe in the unit's folder, with its first lines; undefined when all pass. */
async function firstFailing(
  unit: ProofUnit,
  gates: readonly FolderGate[],
  sandbox: VerifySandbox,
  options: FolderGateOptions,
  progress: { started: number; total: number },
): Promise<{ gate: string; build: boolean; firstLines: string[] } | 'cancelled' | undefined> {
  const path = join(sandbox.cwd, unit.probe);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, probeContent(unit));
  try {
    for (const gate of gates) {
      const label = `${gate.command} (with a proof test in ${unit.tests})`;
      options.onStart?.(label, ++progress.started, progress.total);
      // Builds get twice the limit, as in verification (verify.ts's buildsFirst).
      const limit = options.timeoutSec * (gate.build ? 2 : 1);
      const result = await runCommand(offlineCommand(gate.command), {
        cwd: sandbox.cwd,
        timeoutSec: limit,
        env: sandbox.env,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (result.cancelled) return 'cancelled';
      const output = withoutAbsolutePaths(result.output, sandbox.cwd);
      const outcome: VerifyOutcome = result.timedOut
        ? { status: 'timed-out', ms: result.ms, lastLines: lastLines(output) }
        : result.exitCode === 0
          ? { status: 'passed', ms: result.ms }
          : { status: 'failed', ms: result.ms, firstLines: firstErrorLines(output) };
      options.onProgress?.(label, outcome);
      if (outcome.status === 'failed')
        return { gate: gate.command, build: gate.build, firstLines: outcome.firstLines.slice(0, 4) };
      if (outcome.status === 'timed-out')
        return { gate: gate.command, build: gate.build, firstLines: [`did not end within ${limit} s`] };
    }
    const differ = await eslintRulesDiffer(unit, sandbox, options.timeoutSec, options.signal);
    if (differ)
      return {
        gate: gates.find((g) => !g.build)?.command ?? 'ESLint',
        build: false,
        firstLines: [
          printable(
            `ESLint judges ${unit.tests} by other rules than the project's tests (${differ.test}): ${differ.rules.slice(0, 3).join(', ')}${differ.rules.length > 3 ? ', …' : ''}`,
          ),
        ],
      };
    return undefined;
  } finally {
    await rm(path, { force: true });
  }
}
