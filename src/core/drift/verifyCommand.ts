/**
 * `orchestrator verify <specId> | --all` and the sidebar's Verify: completed specs against
 * today's code. Exit code 1 when a requirement is broken (with `strict`, also when one
 * changed), else 0. Commands run once per call, whatever the number of specs.
 */
import { resolve } from 'node:path';
import { EngineUsageError } from '../errors';
import { commitOf, revParseQuiet } from '../git';
import { loadConfig } from '../project/config';
import { listSpecs, loadSpec, type Spec, SPEC_ID } from '../project/specs';
import { readTestFiles, traceOfSpec, withLastProven, writeMatrixXlsxWith } from '../trace';
import { DRIFT_SHEET, driftSheet } from './driftSheet';
import type { RunOptions } from '../api';
import { CheckRunner } from './checkRunner';
import { explainChanged } from './explain';
import { baseOf, changedPaths, headOf, touched } from './affected';
import { CommitProbes } from './commitProbes';
import { driftBasis } from './driftBasis';
import { LineStats } from './fileChanges';
import { recordProofs } from './proofLedger';
import { recheckStrength } from './strengthRecheck';
import { sweepSpec } from './sweep';
import { verifySpec, type VerifySession } from './verifySpec';
import type { SpecDrift, SweepReport, VerifyReport } from './types';

export interface VerifyOptions {
  /** Also fail on `changed`. */
  strict?: boolean;
  /** Commands run only in a trusted workspace (the CLI is; the editor asks VS Code). */
  trusted: boolean;
  signal?: AbortSignal;
  /** Each command as it starts (CLI progress on stderr). */
  onCommand?: (command: string) => void;
  /** One spec only: its matrix and a `Drift` sheet in one workbook (relative to the workspace). */
  xlsx?: string;
  /** `--strength`: STRENGTH measured again against the base its run journaled (strengthRecheck.ts). */
  strength?: boolean;
  /** `--explain`: the review agent judges changed requirements, through these run options (model, key, host). */
  explain?: RunOptions;
  /** `--affected base..head`: only the completed specs whose files, tests or proof tests the change touches. */
  affected?: string;
  /** `--all --since <commit>` (the sweep): each criterion red on HEAD bisected to its first red commit, `lastProven` recorded. */
  since?: string;
  /**
   * With `affected` (a merge queue's group, issue 74): each criterion red on the head is bisected
   * over the range's first-parent commits (one per pull request) to the commit that turned it red;
   * the report's `sweep` says it. `lastProven` is not recorded: the head is not main yet.
   */
  culprits?: boolean;
  /**
   * With `affected`: the range's base is taken as green, its proofs not run (our merge queue's
   * target, which the queue moves only to a batch it proved).
   */
  trustBase?: boolean;
}

/** `specIds` empty = every completed spec (`--all`). */
export async function verifySpecs(
  workspace: string,
  specIds: readonly string[],
  options: VerifyOptions,
): Promise<VerifyReport> {
  const root = resolve(workspace);
  const config = await loadConfig(root);
  if (options.xlsx && specIds.length !== 1)
    throw new EngineUsageError('--xlsx writes the workbook of one spec: name it (verify <specId> --xlsx FILE)');
  if (options.affected !== undefined && specIds.length > 0)
    throw new EngineUsageError('--affected picks the specs itself: name no spec with it');
  if (options.since !== undefined && (specIds.length > 0 || options.affected !== undefined))
    throw new EngineUsageError('--since sweeps every completed spec: use it with --all only');
  const changed = options.affected !== undefined ? await changedPaths(root, options.affected) : undefined;
  if (options.culprits && options.affected === undefined)
    throw new EngineUsageError('culprits are looked for in a range: give --affected base..head');
  const range =
    options.since !== undefined
      ? await sweepRange(root, options.since)
      : options.culprits
        ? { since: await baseOf(root, options.affected!), head: await headOf(root, options.affected!) }
        : undefined;
  const specs =
    specIds.length > 0 ? await Promise.all(specIds.map((id) => completedSpec(root, id))) : await allCompleted(root);
  // Other commits' proofs (the base of --affected, the sweep's probes) run only where commands may run at all.
  const probes =
    options.trusted && (changed || range)
      ? new CommitProbes(root, config, options.signal, options.onCommand)
      : undefined;
  const session = {
    workspace: root,
    config,
    checks: new CheckRunner(root, config, options.trusted, options.signal, options.onCommand),
    lines: new LineStats(root, config.privacy.deny, options.trusted),
    ...(probes && changed && !options.trustBase
      ? { base: { commit: await baseOf(root, options.affected!), probes } }
      : {}),
  };
  try {
    return await verifyWith(root, session, specs, changed, range, probes, options);
  } finally {
    await probes?.close();
  }
}

async function verifyWith(
  root: string,
  session: VerifySession,
  specs: readonly Spec[],
  changed: Set<string> | undefined,
  range: { since: string; head: string } | undefined,
  probes: CommitProbes | undefined,
  options: VerifyOptions,
): Promise<VerifyReport> {
  const { config } = session;
  let tests: Promise<Map<string, string>> | undefined;
  const testFiles = () => (tests ??= readTestFiles(root, config));
  const bases = [];
  for (const spec of specs) bases.push({ spec, basis: await driftBasis(root, config, spec, testFiles) });
  const affected = changed ? touched(options.affected!, changed, bases) : undefined;
  const wanted = affected ? bases.filter(({ spec }) => affected.specs.some((a) => a.specId === spec.id)) : bases;
  const results: SpecDrift[] = [];
  let explainCostUsd: number | undefined;
  const sweep: SweepReport | undefined = range ? { ...range, specs: [] } : undefined;
  // The commit a proof ran at, for the record (the work tree's HEAD; git runs only when trusted).
  const head = range?.head ?? (options.trusted ? (await revParseQuiet(root, 'HEAD')) || null : null);
  for (const { spec, basis } of wanted) {
    const drift = await verifySpec(session, spec, basis);
    if (options.strength)
      drift.strength = await recheckStrength(root, config, spec, basis, options.trusted, options.signal);
    if (options.explain)
      explainCostUsd =
        (explainCostUsd ?? 0) +
        (await explainChanged(
          { opts: { ...options.explain, workspace: root }, config, lines: session.lines },
          spec,
          drift,
        ));
    results.push(drift);
    if (options.trusted && !options.culprits) await recordProofs(root, spec, drift, head, sweep !== undefined);
    if (sweep && probes)
      sweep.specs.push(await sweepSpec(root, probes, sweep, basis, drift, { group: options.culprits === true }));
  }
  if (sweep && probes) sweep.commitsProbed = probes.commits;
  if (options.xlsx)
    await writeMatrixXlsxWith(
      withLastProven(await traceOfSpec(root, config, specs[0]!.id, { handChanges: false }), lastProvenIn(results[0]!)),
      { name: DRIFT_SHEET, ...driftSheet(results[0]!) },
      resolve(root, options.xlsx),
    );
  return {
    specs: results,
    ...(affected ? { affected } : {}),
    ...(sweep ? { sweep } : {}),
    exitCode: exitCodeOf(results, options.strict ?? false),
    ...(explainCostUsd !== undefined ? { explainCostUsd } : {}),
  };
}

/** Each criterion's last proven commit as this verify left the record (a sweep's is HEAD's). */
function lastProvenIn(drift: SpecDrift): Map<string, { commit: string; at: string }> {
  return new Map(
    drift.requirements.flatMap((r) =>
      (r.proof ?? []).flatMap((p) => (p.lastProven ? [[p.criterion, p.lastProven] as const] : [])),
    ),
  );
}

export function exitCodeOf(specs: readonly SpecDrift[], strict: boolean): 0 | 1 {
  return specs.some(
    (s) => s.requirements.some((r) => r.status === 'broken' && !r.brokenOnBase) || (strict && s.counts.changed > 0),
  )
    ? 1
    : 0;
}

/** `--since`'s commit and HEAD's, resolved once for the whole sweep. */
async function sweepRange(workspace: string, since: string): Promise<{ since: string; head: string }> {
  try {
    return { since: await commitOf(workspace, since), head: await commitOf(workspace, 'HEAD') };
  } catch (error) {
    throw new EngineUsageError(`--since ${since}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function completedSpec(workspace: string, id: string): Promise<Spec> {
  if (!SPEC_ID.test(id))
    throw new EngineUsageError(`invalid spec id "${id}" (expected YYYY-MM-DD-slug; see \`orchestrator specs\`)`);
  const spec = await loadSpec(workspace, id).catch((error: unknown) => {
    if (error instanceof Error && /^no spec /.test(error.message)) throw new EngineUsageError(error.message);
    throw error;
  });
  if (spec.location !== 'completed')
    throw new EngineUsageError(
      `spec ${id} is not completed (${spec.frontMatter.status}): only a completed spec can drift`,
    );
  return spec;
}

async function allCompleted(workspace: string): Promise<Spec[]> {
  const infos = (await listSpecs(workspace)).filter((info) => /(^|\/)completed\//.test(info.path));
  return Promise.all(infos.map((info) => loadSpec(workspace, info.id)));
}
