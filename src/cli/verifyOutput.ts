/**
 * `orchestrator verify`: the report on stdout (one line per spec with --all, each requirement
 * with its evidence for one spec, JSON with --json) and its exit code (docs/drift.md: 1 when a
 * requirement is broken, or changed with --strict). Spec titles and command output come from
 * the workspace: control characters are shown escaped, never sent to the terminal raw.
 */
import type { RunOptions } from '../core/api';
import type { CriterionProofNow, SpecDrift, SweptCriterion, VerifyReport } from '../core/drift';
import { engine } from '../core/engineBundle';
import type { CliArgs } from './args';
import { out, outJson } from './terminal';

export async function verifyCommand(
  workspace: string,
  args: CliArgs,
  options: RunOptions,
  progress: (line: string) => void,
): Promise<number> {
  const signal = options.signal!;
  const report = await engine.verifySpecs(workspace, args.all || args.affected ? [] : [args.positional!], {
    ...(args.affected ? { affected: args.affected } : {}),
    ...(args.since !== undefined ? { since: args.since } : {}),
    ...(args.explain ? { explain: options } : {}),
    ...(args.strength ? { strength: true } : {}),
    trusted: true,
    strict: args.strict,
    signal,
    onCommand: (command) => progress(`running ${command}`),
    ...(args.xlsx ? { xlsx: args.xlsx } : {}),
  });
  if (args.json) outJson(jsonOf(report, args.strict));
  else
    out(
      `${[...affectedLines(report), ...textOf(report, args.all || args.affected !== undefined), ...(args.all || args.affected !== undefined ? proofLines(report) : [])].join('\n')}\n`,
    );
  if (args.xlsx && !args.json) progress(`wrote ${args.xlsx} (sheets Traceability and Drift)`);
  if (report.explainCostUsd !== undefined) progress(`--explain: the review cost $${report.explainCostUsd.toFixed(4)}`);
  return report.exitCode;
}

function jsonOf(report: VerifyReport, strict: boolean) {
  return {
    exitCode: report.exitCode,
    strict,
    ...(report.affected ? { affected: report.affected } : {}),
    ...(report.sweep ? { sweep: report.sweep } : {}),
    specs: report.specs,
  };
}

/** `--affected`: what the range changed and which specs that touches, each with the paths. */
function affectedLines(report: VerifyReport): string[] {
  const a = report.affected;
  if (!a) return [];
  return [
    `${a.range}: ${a.changed} path(s) changed; ${a.specs.length} completed spec(s) touched, ${a.untouched} not`,
    ...a.specs.map((s) => `  ${s.specId}: ${s.files.join(', ')}`),
  ];
}

/**
 * After the summary lines (--all, --affected): each proof that needs more than a status — red with
 * its failing test's first lines (and, on a sweep, its first red commit), flaky, red on the base too.
 * A sweep names every criterion, proven ones included, with the commit range.
 */
function proofLines(report: VerifyReport): string[] {
  const sweep = report.sweep;
  const swept = new Map(sweep?.specs.flatMap((s) => s.criteria.map((c) => [`${s.specId} ${c.criterion}`, c] as const)));
  const lines = sweep ? [`sweep ${sweep.since.slice(0, 12)}..${sweep.head.slice(0, 12)} (HEAD):`] : [];
  for (const spec of report.specs)
    for (const p of spec.requirements.flatMap((r) => r.proof ?? [])) {
      const c = swept.get(`${spec.specId} ${p.criterion}`);
      if (p.now === 'proven' && !sweep) continue;
      lines.push(`  ${p.now.padEnd(8)} ${spec.specId} ${p.criterion}${proofNote(p, c)}${lastProvenNote(p)}`);
      if (p.now === 'failing')
        for (const test of p.tests.filter((t) => t.outcome === 'failed'))
          (test.detail ?? '')
            .split('\n')
            .slice(0, 12)
            .forEach((line) => lines.push(`      | ${line}`));
    }
  return lines;
}

/** The commit the criterion was last proven at on main (issue 74: the sweep records it), when one is recorded. */
function lastProvenNote(p: CriterionProofNow): string {
  return p.lastProven ? `; last proven at ${p.lastProven.commit.slice(0, 12)} (${p.lastProven.at})` : '';
}

function proofNote(p: CriterionProofNow, c: SweptCriterion | undefined): string {
  const short = (commit: string) => commit.slice(0, 12);
  if (p.now === 'flaky') return ': failed, then passed on the retry: quarantined; strengthen it';
  if (p.base?.now === 'failing')
    return `: red on the base ${short(p.base.commit)} too: drift already on the base, not this change's fault`;
  const b = c?.bisect;
  if (p.now === 'failing' && b)
    return b.firstRed
      ? `: first red at ${short(b.firstRed)} (green at ${short(b.lastGreen!)}; ${b.commits} commit(s) after ${short(b.from)}, ${b.probes} probe(s))`
      : `: ${b.note ?? 'not bisected'}`;
  return '';
}

function textOf(report: VerifyReport, all: boolean): string[] {
  if (report.specs.length === 0)
    return [report.affected ? 'no completed spec to verify: the change touches none' : 'no completed spec to verify'];
  if (all) return [...report.specs.map(summaryLine), totals(report.specs)];
  return report.specs.flatMap(details);
}

/** `broken   2026-11-20-product-entity  holds 1, changed 0, broken 1  Product entity` */
export function summaryLine(spec: SpecDrift): string {
  const { holds, changed, broken } = spec.counts;
  const fallback = spec.basis.source === 'journal' ? '  (basis: journal)' : '';
  return `${spec.status.padEnd(8)} ${spec.specId}  holds ${holds}, changed ${changed}, broken ${broken}  ${spec.title}${fallback}`;
}

function totals(specs: readonly SpecDrift[]): string {
  const count = (status: SpecDrift['status']) => specs.filter((s) => s.status === status).length;
  return `${specs.length} completed spec(s): ${count('holds')} hold, ${count('changed')} changed, ${count('broken')} broken`;
}

function details(spec: SpecDrift): string[] {
  const basis = spec.basis.commit ? `commit ${spec.basis.commit.slice(0, 12)}` : 'no commit';
  const lines = [
    `${spec.specId}: ${spec.title} — ${spec.status}`,
    `  basis: ${basis}${spec.basis.completed ? `, completed ${spec.basis.completed}` : ''} (${spec.basis.source === 'record' ? 'completion record' : 'journal'})`,
  ];
  spec.warnings.forEach((w) => lines.push(`  note: ${w}`));
  if (spec.requirements.length === 0)
    lines.push('  the spec has no requirements (written before traceability): nothing to verify');
  for (const req of spec.requirements) {
    lines.push(`  ${req.requirement} ${req.title}: ${req.status}`);
    req.evidence.forEach((line) => lines.push(`    ${line}`));
    for (const check of req.checks.filter((c) => c.outcome === 'failed' && c.detail)) {
      check
        .detail!.split('\n')
        .slice(0, 12)
        .forEach((line) => lines.push(`      | ${line}`));
    }
    for (const test of (req.proof ?? []).flatMap((p) => p.tests).filter((t) => t.outcome === 'failed' && t.detail)) {
      test
        .detail!.split('\n')
        .slice(0, 12)
        .forEach((line) => lines.push(`      | ${line}`));
    }
    if (req.explanation) lines.push(`    review: ${req.explanation}`);
  }
  return [...lines, ...lastProvenLines(spec), ...strengthLines(spec)];
}

/** Once a sweep proved any of the spec's criteria on main: each criterion's last proven commit, or that none is recorded. */
function lastProvenLines(spec: SpecDrift): string[] {
  const proofs = spec.requirements.flatMap((r) => r.proof ?? []);
  if (!proofs.some((p) => p.lastProven)) return [];
  return [
    '  last proven on main:',
    ...proofs.map(
      (p) =>
        `    ${p.criterion}: ${p.lastProven ? `${p.lastProven.commit.slice(0, 12)} (${p.lastProven.at})` : 'not recorded (no sweep proved it yet)'}`,
    ),
  ];
}

/** `--strength`: each criterion's mutants killed, each survivor's place and change, or why none ran. */
function strengthLines(spec: SpecDrift): string[] {
  const s = spec.strength;
  if (!s) return [];
  const lines = [
    `  strength${s.base ? ` (mutants of the lines changed since ${s.base.slice(0, 12)})` : ''}:${s.error ? ` ${s.error}` : ''}`,
  ];
  for (const c of s.criteria) {
    lines.push(
      `    ${c.criterion}: ${c.tried === 0 ? 'no mutants of its changed lines' : `${c.killed}/${c.tried} mutants killed`}${c.error ? ` (${c.error.split('\n')[0]})` : ''}`,
    );
    c.survivors.forEach((m) => lines.push(`      survived: ${m.file}:${m.line} ${m.change}`));
  }
  return lines;
}
