/**
 * `verify --strength` (docs/drift.md, docs/proof.md "Strength"): STRENGTH measured again on a
 * completed spec. A completed spec keeps no base of its own: the base is the checkpoint commit its
 * first run journaled (`checkpoint.created`), when the journal and that commit are still there.
 * The lines changed since it (in the files its requirements name) are mutated and each criterion's
 * proof tests run against the mutants in a copy, sandboxed, as in a run, with the run's seed (the
 * same sample while the code is the same) and without the mutants its review judged equivalent.
 * Evidence only: it never makes a requirement broken.
 */
import {
  changedLines,
  defaultEngines,
  measureStrength,
  type MutationCommandRunner,
  newSeed,
  strengthScore,
  survivorsOf,
} from '../mutation';
import { hasCommit } from '../git';
import { commandSandbox, runCommand } from '../process';
import type { OrchestratorConfig } from '../project/config';
import type { Spec } from '../project/specs';
import { runsOfSpec } from '../trace';
import type { DriftBasis } from './driftBasis';
import type { SpecStrength } from './types';

export async function recheckStrength(
  workspace: string,
  config: OrchestratorConfig,
  spec: Spec,
  basis: DriftBasis,
  trusted: boolean,
  signal?: AbortSignal,
): Promise<SpecStrength> {
  if (!trusted) return { criteria: [], error: 'the workspace is not trusted (Restricted Mode): no command of it runs' };
  const events = runsOfSpec(workspace, spec.id).flatMap((run) => run.events);
  const base = events.find((e) => e.type === 'checkpoint.created')?.commit;
  if (!base)
    return {
      criteria: [],
      error: `no base to mutate against: ${spec.id} keeps no base of its own, and no journal of its runs records a checkpoint commit (strength is measured while a run's journal is there)`,
    };
  if (!(await hasCommit(workspace, base)))
    return {
      criteria: [],
      error: `no base to mutate against: the checkpoint commit ${base.slice(0, 12)} its run journaled is no longer in the repository`,
    };
  const isProof = (file: string) =>
    basis.requirements.some((r) => r.criteria.some((c) => c.proof?.tests.some((t) => t.file === file)));
  const criteria = basis.requirements
    .flatMap((r) =>
      r.criteria
        .filter((c) => (c.proof?.tests.length ?? 0) > 0)
        .map((c) => ({
          id: c.id,
          tests: [...new Set(c.proof!.tests.map((t) => t.file))],
          files: r.files.filter((f) => !isProof(f)),
        })),
    )
    .filter((c) => c.files.length > 0);
  if (criteria.length === 0)
    return {
      base,
      criteria: [],
      error: 'no criterion with a proof test and implementing files on record: nothing to mutate',
    };
  const files = [...new Set(criteria.flatMap((c) => c.files))];
  const seed = [...events].reverse().find((e) => e.type === 'proof.strengthStarted');
  const measuring = (async () =>
    measureStrength({
      workTree: workspace,
      changed: await changedLines(workspace, base, files),
      criteria,
      proof: {
        command: config.proof.command,
        tests: config.proof.tests,
        timeoutSec: config.proof.timeoutSec ?? config.limits.commandTimeoutSec,
      },
      caps: {
        perCriterion: config.proof.maxMutants,
        perRun: config.proof.maxMutantsPerRun,
        timeoutSec: config.proof.strengthTimeoutSec,
        concurrency: config.limits.concurrency,
      },
      seed: seed?.type === 'proof.strengthStarted' ? seed.seed : newSeed(),
      engines: defaultEngines(workspace),
      run: sandboxed(config, signal),
      skip: new Set(events.flatMap((e) => (e.type === 'proof.equivalent' ? [e.mutant] : []))),
    }))();
  const results = await measuring.catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
  if (typeof results === 'string') return { base, criteria: [], error: `not measured: ${results}` };
  return {
    base,
    criteria: results.map((r) => ({
      criterion: r.criterion,
      tried: r.tried,
      killed: r.killed,
      survived: r.survived,
      ...(strengthScore(r) !== undefined ? { score: Math.round(strengthScore(r)! * 100) } : {}),
      survivors: survivorsOf(r),
      ...(r.error ? { error: r.error } : {}),
    })),
  };
}

/** The mutants' commands: in their copy, sandboxed as verify's other commands are, seeing what the copy links to. */
function sandboxed(config: OrchestratorConfig, signal?: AbortSignal): MutationCommandRunner {
  return async (command, { cwd, timeoutSec, readOnly }) => {
    const sandbox = commandSandbox(config, { workspace: cwd, command });
    const result = await runCommand(command, {
      cwd,
      timeoutSec,
      commandEnv: config.commandEnv,
      ...(signal ? { signal } : {}),
      ...(sandbox ? { sandbox: { ...sandbox, readOnly: [...(sandbox.readOnly ?? []), ...readOnly] } } : {}),
    });
    // Cancelled: the engines stop (and put their file back) rather than judge the rest.
    if (result.cancelled) throw new Error('cancelled');
    return result;
  };
}
