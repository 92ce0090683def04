/**
 * One completed spec against today's code: per requirement, the files that changed since it
 * completed, its layers' validate commands, its tests and its criteria's proof tests run again,
 * and a verdict — `holds` (nothing changed, checks pass), `changed` (files changed, checks pass)
 * or `broken` (a check or a proof test fails) — with the evidence behind it. No model call.
 */
import { ownedFilesHash } from '../pipeline/layers';
import { proofFilesOf } from '../pipeline/phases';
import { testLabel } from '../text/proofWords';
import type { OrchestratorConfig } from '../project/config';
import type { Spec } from '../project/specs';
import type { CheckRunner, TestRun } from './checkRunner';
import type { CommitProbes } from './commitProbes';
import type { DriftBasis } from './driftBasis';
import { changedSinceRecord, type LineStats } from './fileChanges';
import { recheckProofs } from './proofRecheck';
import { blamedByFailure } from './testAttribution';
import type {
  CheckResult,
  CriterionProofNow,
  DriftStatus,
  FileChange,
  RecordedRequirement,
  RequirementDrift,
  SpecDrift,
} from './types';

export interface VerifySession {
  workspace: string;
  config: OrchestratorConfig;
  checks: CheckRunner;
  lines: LineStats;
  /** `--affected`: the range's base, where a proof failing on the head is run too. */
  base?: { commit: string; probes: CommitProbes };
}

export async function verifySpec(session: VerifySession, spec: Spec, basis: DriftBasis): Promise<SpecDrift> {
  const warnings: string[] = [];
  if (basis.basis.note) warnings.push(basis.basis.note);
  const layers = [...new Set(basis.requirements.flatMap((r) => r.layers))];
  const changedLayers = await layersChangedSinceValidation(session, basis, layers);
  const validation = new Map<string, CheckResult[]>();
  for (const layer of layers) validation.set(layer, await session.checks.validate(layer));
  const anyTests = basis.requirements.some((r) => r.tests.length > 0);
  const testRuns = anyTests ? await session.checks.tests() : [];
  if (anyTests && testRuns.length === 0)
    warnings.push(
      'the matrix names tests, but .claude/orchestrator.yaml has no audit.test command to run them: tests not run',
    );
  const proofNow = await recheckProofs(session.config, session.checks, basis.requirements);
  if (session.base) await onBase(session.base, basis.requirements, proofNow);

  const requirements: RequirementDrift[] = [];
  for (const req of basis.requirements) {
    const changedFiles = basis.files
      ? await changedSinceRecord(session.workspace, basis.files, [
          ...new Set([...req.files, ...req.tests, ...proofFilesOf(req)]),
        ])
      : [];
    const stats = await session.lines.of(
      basis.basis.commit,
      changedFiles.filter((c) => c.status !== 'added').map((c) => c.path),
    );
    const checks = [
      ...req.layers.flatMap((layer) => validation.get(layer) ?? []),
      ...testChecks(req, testRuns, basis.requirements),
    ];
    const layerDrift = req.layers.filter((layer) => changedLayers.has(layer));
    const proof = req.criteria.flatMap((c) => proofNow.get(c.id) ?? []);
    // A proof test red on the base and green at completion that fails today: the criterion no longer holds.
    const failedCheck = checks.some((c) => c.outcome === 'failed');
    const failing = proof.filter((p) => p.now === 'failing');
    const broken = failedCheck || failing.length > 0;
    // --affected: every failure also on the range's base is drift already there, not the change's.
    const onBase = broken && !failedCheck && failing.every((p) => p.base?.now === 'failing');
    const status: DriftStatus = broken
      ? 'broken'
      : changedFiles.length > 0 || layerDrift.length > 0
        ? 'changed'
        : 'holds';
    requirements.push({
      requirement: req.id,
      title: req.title,
      criteria: req.criteria.map((c) => c.id),
      status,
      ...(onBase ? { brokenOnBase: true as const } : {}),
      layers: req.layers,
      files: req.files,
      tests: req.tests,
      changedFiles,
      checks,
      proof,
      evidence: [...evidence(req, basis, changedFiles, stats, layerDrift, checks), ...proof.map(proofEvidence)],
    });
  }
  const counts = { holds: 0, changed: 0, broken: 0 };
  requirements.forEach((r) => counts[r.status]++);
  const status: DriftStatus = counts.broken > 0 ? 'broken' : counts.changed > 0 ? 'changed' : 'holds';
  return { specId: spec.id, title: spec.frontMatter.title, basis: basis.basis, status, counts, requirements, warnings };
}

/** Journal fallback: layers whose owned files no longer hash as their last passed validation did. */
async function layersChangedSinceValidation(
  session: VerifySession,
  basis: DriftBasis,
  layers: readonly string[],
): Promise<Set<string>> {
  const changed = new Set<string>();
  if (!basis.layerHashes) return changed;
  for (const layer of layers) {
    const recorded = basis.layerHashes.get(layer);
    const config = session.config.layers[layer];
    if (!recorded || !config) continue;
    if ((await ownedFilesHash(session.workspace, config.owns, config.validate)) !== recorded) changed.add(layer);
  }
  return changed;
}

/**
 * A failed test command counts against a requirement when its output blames one of the
 * requirement's tests or cites one of its ids; a failure that blames none of the spec's tests
 * or ids counts against every requirement with tests (what failed cannot be told apart).
 */
function testChecks(
  req: RecordedRequirement,
  runs: readonly TestRun[],
  all: readonly RecordedRequirement[],
): CheckResult[] {
  if (req.tests.length === 0) return [];
  const ownIds = [req.id, ...req.criteria.map((c) => c.id)];
  return runs.map((run) => {
    if (run.result.outcome !== 'failed') return run.result;
    const blamed = blamedByFailure(
      run.output,
      [...new Set(all.flatMap((r) => r.tests))],
      all.flatMap((r) => [r.id, ...r.criteria.map((c) => c.id)]),
    );
    const attributed = blamed.files.size > 0 || blamed.ids.size > 0;
    const mine = req.tests.filter((t) => blamed.files.has(t));
    const cited = ownIds.filter((id) => blamed.ids.has(id));
    if (attributed && mine.length === 0 && cited.length === 0)
      return {
        ...run.result,
        outcome: 'passed',
        detail: `failed, but not in this requirement's tests (${[...blamed.files, ...blamed.ids].join(', ')})`,
      };
    const which = attributed
      ? `failing: ${[...mine, ...cited].join(', ')}`
      : 'its output names no test of this spec, so every requirement with tests counts it';
    return { ...run.result, detail: `${which}\n${run.result.detail ?? ''}`.trim() };
  });
}

/** Each criterion failing on the head, run again at the range's base (issue 74: red on both is the base's drift). */
async function onBase(
  base: NonNullable<VerifySession['base']>,
  requirements: readonly RecordedRequirement[],
  proofNow: Map<string, CriterionProofNow>,
): Promise<void> {
  for (const req of requirements)
    for (const { id } of req.criteria) {
      const now = proofNow.get(id);
      if (now?.now !== 'failing') continue;
      const then = await base.probes.criterionAt(base.commit, req, id);
      if (then) now.base = { commit: base.commit, now: then.now };
    }
}

/** `proof REQ-1.2 failing now (was proven): test/acceptance/p.test.js › REQ-1.2 … (exit 1)`. */
function proofEvidence(proof: CriterionProofNow): string {
  const shown = proof.now === 'failing' ? proof.tests.filter((t) => t.outcome === 'failed') : proof.tests;
  const exit = proof.now === 'failing' ? ` (exit ${shown[0]?.exitCode ?? 'none'})` : '';
  const why = proof.now === 'not-run' ? ` — ${proof.tests.find((t) => t.detail)?.detail?.split('\n')[0] ?? ''}` : '';
  const flaky =
    proof.now === 'flaky'
      ? ' — failed, then passed on the retry: quarantined; strengthen it (it must still kill its mutants)'
      : '';
  const at = proof.base ? proof.base.commit.slice(0, 12) : '';
  const base = !proof.base
    ? ''
    : proof.base.now === 'failing'
      ? ` — red on the base ${at} too: drift already on the base, not this change's fault`
      : proof.base.now === 'not-run'
        ? ` — not run on the base ${at}: whether this change turned it red is not known`
        : ` — ${proof.base.now} on the base ${at}: this change turned it red`;
  return `proof ${proof.criterion} ${proof.now === 'not-run' ? 'not run' : `${proof.now} now`} (was ${proof.then}): ${shown.map(testLabel).join(', ')}${exit}${why}${flaky}${base}`;
}

function evidence(
  req: RecordedRequirement,
  basis: DriftBasis,
  changed: readonly FileChange[],
  stats: Map<string, { added: number; removed: number }> | undefined,
  layerDrift: readonly string[],
  checks: readonly CheckResult[],
): string[] {
  const since = basis.basis.commit ? `since ${basis.basis.commit.slice(0, 12)}` : 'since it completed';
  const lines: string[] = [];
  for (const change of changed) {
    const stat = stats?.get(change.path);
    lines.push(`${change.path} ${change.status} ${since}${stat ? ` (+${stat.added} −${stat.removed})` : ''}`);
  }
  for (const layer of layerDrift) lines.push(`${layer}: its files changed since its last passed validation (journal)`);
  if (req.files.length === 0) lines.push('no implementing file on record');
  for (const check of checks) {
    const who = check.kind === 'validate' ? `${check.layer}: ${check.command}` : `test: ${check.command}`;
    const extra =
      check.outcome === 'failed' ? ` (exit ${check.exitCode ?? 'none'})` : check.detail ? ` (${check.detail})` : '';
    lines.push(`${who} ${check.outcome}${extra}`);
  }
  if (req.tests.length === 0) lines.push('no test on record');
  return lines;
}
