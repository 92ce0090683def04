/**
 * `orchestrator verify`: the report on stdout (one line per spec with --all, each requirement
 * with its evidence for one spec, JSON with --json) and its exit code (docs/drift.md: 1 when a
 * requirement is broken, or changed with --strict). Spec titles and command output come from
 * the workspace: control characters are shown escaped, never sent to the terminal raw.
 */
import type { RunOptions } from '../core/api';
import type { SpecDrift, VerifyReport } from '../core/drift';
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
    ...(args.explain ? { explain: options } : {}),
    ...(args.strength ? { strength: true } : {}),
    trusted: true,
    strict: args.strict,
    signal,
    onCommand: (command) => progress(`running ${command}`),
    ...(args.xlsx ? { xlsx: args.xlsx } : {}),
  });
  if (args.json) outJson(jsonOf(report, args.strict));
  else out(`${[...affectedLines(report), ...textOf(report, args.all || args.affected !== undefined)].join('\n')}\n`);
  if (args.xlsx && !args.json) progress(`wrote ${args.xlsx} (sheets Traceability and Drift)`);
  if (report.explainCostUsd !== undefined) progress(`--explain: the review cost $${report.explainCostUsd.toFixed(4)}`);
  return report.exitCode;
}

function jsonOf(report: VerifyReport, strict: boolean) {
  return {
    exitCode: report.exitCode,
    strict,
    ...(report.affected ? { affected: report.affected } : {}),
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
  return [...lines, ...strengthLines(spec)];
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
