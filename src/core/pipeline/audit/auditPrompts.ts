/**
 * The words of the audit loop. As everywhere in the engine, what stays the same across
 * iterations (system prompts, the target, the dimension's template, DISCOVERY's facts, the
 * fixers' rules) is the cached prefix, and only what an iteration adds (the work done, the
 * tests, the findings to close) goes into the task message. The auditor's conversation is
 * continued from one audit to the next, so a re-audit reads the earlier one from the cache.
 */
import { RESUMED_SECTION, type RetryInput, retrySection } from '../agent';
import type { AuditJob } from './auditFacts';
import { SEVERITY_NAMES, type AuditSettings, type Discovery, type Finding, type TestRun } from '../../auditTypes';

export function auditSystem(): string {
  return [
    '# You are the AUDIT SPECIALIST',
    'You audit one part of a codebase along one dimension and score it from 0 to 100. You are read-only: read, list and search what you need; you cannot change files.',
    `Severities: P0 critical (broken behaviour, a security hole, data loss, code that does not build), P1 high (a defect users or other code will hit), P2 medium (quality, maintainability, missing tests or checks), P3 low (polish). The score reflects the findings: 100 only when nothing is left to improve along this dimension; open P0 or P1 findings keep it well below the project's acceptable level.`,
    `Each finding names the file (workspace-relative, inside the audit target) and the line in the file as it is now, what is wrong and why it matters, and a recommendation concrete enough for the developer who owns the file to apply without asking. One finding per problem. Keep a finding's id across re-audits while it stays open; give new findings new ids.`,
    'End with submit_audit: the score and every open finding (not only the new ones). A finding citing a file outside the target or a line past its end is refused; correct it and submit again.',
  ].join('\n\n');
}

/** The target in the template's words: `{TARGET}` and the seed's `{MODULE_PATH}`. */
export function templateFor(settings: AuditSettings): string {
  return settings.template.text.replace(/\{(TARGET|MODULE_PATH)\}/g, settings.target).trim();
}

function describeDiscovery(d: Discovery): string {
  const lines = [
    `Files: ${d.files}; lines of code: ${d.loc}.`,
    `Languages: ${d.languages.map((l) => `${l.language} (${l.files} files, ${l.loc} loc)`).join(', ') || 'none recognised'}.`,
    `Owning layers: ${[...d.layers.map((l) => `${l.layer} (${l.files} files)`), ...(d.unowned > 0 ? [`no layer (${d.unowned} files)`] : [])].join(', ') || 'none'}.`,
  ];
  if (d.dependencies.length > 0) {
    const byManifest = new Map<string, string[]>();
    for (const dep of d.dependencies)
      byManifest.set(dep.manifest, [
        ...(byManifest.get(dep.manifest) ?? []),
        `${dep.name}${dep.version ? ` ${dep.version}` : ''}${dep.dev ? ' (dev)' : ''}`,
      ]);
    lines.push('Dependencies:', ...[...byManifest].map(([manifest, deps]) => `- ${manifest}: ${deps.join(', ')}`));
  } else lines.push('Dependencies: none declared in a manifest.');
  lines.push(
    `Files${d.truncated ? ` (the first ${d.listing.length})` : ''}:`,
    ...d.listing.map((f) => `- ${f.path} (${f.lines} lines)`),
  );
  return lines.join('\n');
}

/** The auditor's stable context: the project's audit instructions, the target, the template, DISCOVERY. */
export function auditContext(
  settings: AuditSettings,
  discovery: Discovery,
  projectContext: string | undefined,
): string {
  return [
    projectContext ? `## PROJECT AUDIT INSTRUCTIONS\n${projectContext.trim()}` : '',
    `## AUDIT TARGET\nPath: ${settings.target === '.' ? 'the whole workspace' : settings.target}\nDimension: ${settings.dimension}\nTarget score: ${settings.targetScore}/100`,
    `## DIMENSION TEMPLATE (${settings.template.path})\n${templateFor(settings)}`,
    `## DISCOVERY (facts gathered without a model)\n${describeDiscovery(discovery)}`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

export function firstAuditTask(settings: AuditSettings): string {
  return `## TASK
Audit ${settings.target === '.' ? 'the workspace' : settings.target} along the ${settings.dimension} dimension, following the template and using the facts above. Read the code you judge (entry points and the largest files first), then call submit_audit with the score and every open finding.`;
}

export const findingLine = (f: Finding): string =>
  `- ${f.id} [${f.severity}] ${f.file ? `${f.file}${f.line ? `:${f.line}` : ''} — ` : ''}${f.description} Recommendation: ${f.recommendation}`;

export function describeTests(runs: readonly TestRun[]): string {
  return runs
    .map((run) => {
      const figures =
        run.passed !== undefined
          ? `${run.passed} passed, ${run.failed ?? 0} failed${run.skipped ? `, ${run.skipped} skipped` : ''}`
          : `exit ${run.exitCode ?? 'timeout'}`;
      return `- \`${run.command}\`: ${run.exitCode === 0 ? 'passed' : 'FAILED'} (${figures}${run.coverage !== undefined ? `, coverage ${run.coverage}%` : ''})`;
    })
    .join('\n');
}

export interface ReauditInput {
  iteration: number;
  previousScore: number;
  jobs: AuditJob[];
  skipped: { findings: string[]; reason: string }[];
  refused: string[];
  changedFiles: string[];
  tests?: TestRun[];
  strategy?: string;
  /** The previous findings, when the conversation with them is not continued. */
  previousFindings?: Finding[];
}

export function reauditTask(input: ReauditInput): string {
  const parts = [
    `## RE-AUDIT (after iteration ${input.iteration})\nYour last score was ${input.previousScore}/100. Since then the layers worked on your findings; each change passed its layer's validation.`,
  ];
  if (input.previousFindings)
    parts.push(`### Your previous findings\n${input.previousFindings.map(findingLine).join('\n') || '(none)'}`);
  const work = input.jobs.map(
    (job) =>
      `- ${job.layer} (${job.role}) ${job.ended?.outcome === 'blocked' ? 'could not close' : 'worked on'} ${job.findings.join(', ')}: ${job.ended?.summary ?? 'no summary'}`,
  );
  for (const skip of input.skipped) work.push(`- left for a human: ${skip.findings.join(', ')} (${skip.reason})`);
  for (const question of input.refused) work.push(`- refused by the user: ${question}`);
  parts.push(`### Work done\n${work.join('\n') || '(nothing could be done)'}`);
  parts.push(`### Files changed in this iteration\n${input.changedFiles.map((f) => `- ${f}`).join('\n') || '(none)'}`);
  if (input.tests?.length) parts.push(`### Tests\n${describeTests(input.tests)}`);
  if (input.strategy) parts.push(input.strategy);
  parts.push(`### Task
What you read of the files above is stale: read them again. Check each open finding, look for regressions the changes brought, then call submit_audit with the score now and every finding still open (same ids for findings still open).`);
  return parts.join('\n\n');
}

// ---- The fixers: a layer's agent closing findings -------------------------------------------

export type FixKind = 'fix' | 'enhance' | 'documentation';

/** The block every fixer of the run is sent alike (cached once for all layers and iterations). */
export function fixerRules(settings: AuditSettings): string {
  return [
    '## RULES FOR EVERY FIXER',
    `You close findings of an audit of ${settings.target === '.' ? 'the workspace' : settings.target} (dimension: ${settings.dimension}) in one layer; your role, the paths you own and your findings follow. Work only through your tools; paths are workspace-relative; you may write only inside the paths you own. Read before you edit; keep each change the smallest that closes its finding, in the project's conventions.`,
    "The orchestrator runs your layer's validation commands itself after you finish; do not claim a build passed. New modules or folders, migrations, schema and core files, deleting more than 50 lines and changing more than 5 files in one turn ask the user first; a refused change comes back as an error: leave that finding, do not work around the refusal, and say so.",
    'When you are done call submit_result with status "done" and a summary naming each finding id and what you did (or why you left it); status "blocked" only when you could close none of them.',
    `## THE AUDIT'S STANDARDS (${settings.template.path})\n${templateFor(settings)}`,
  ].join('\n\n');
}

export function fixerSystem(layer: string, owns: readonly string[]): string {
  return `# You are the ${layer.toUpperCase()} SPECIALIST\n\nYou close audit findings in the ${layer} layer. You own: ${owns.join(', ') || '(nothing: read-only)'}.`;
}

export interface FixerTaskInput {
  kind: FixKind;
  iteration: number;
  /** e.g. "P0" or "P2, P3". */
  severities: string;
  findings: Finding[];
  tests?: TestRun[];
  strategy?: string;
  retry?: RetryInput;
  resumed?: boolean;
}

const HEADINGS: Record<FixKind, string> = {
  fix: 'FINDINGS TO CLOSE',
  enhance: 'ENHANCEMENTS',
  documentation: 'DOCUMENTATION FINDINGS',
};

export function fixerTask(input: FixerTaskInput): string {
  const parts: string[] = [];
  if (input.retry) parts.push(retrySection(input.retry));
  if (input.resumed) parts.push(RESUMED_SECTION);
  if (input.strategy) parts.push(input.strategy);
  const names = input.severities
    .split(/,\s*/)
    .map((s) => `${s} ${SEVERITY_NAMES[s as Finding['severity']] ?? ''}`.trim())
    .join(', ');
  parts.push(
    `## ${HEADINGS[input.kind]} (iteration ${input.iteration}; ${names})\n${input.findings.map(findingLine).join('\n')}`,
  );
  const failing = input.tests?.filter((t) => t.exitCode !== 0) ?? [];
  if (failing.length > 0) parts.push(`## FAILING TESTS\n${describeTests(failing)}`);
  const what =
    input.kind === 'documentation'
      ? 'Document what each finding asks'
      : input.kind === 'enhance'
        ? 'Make each improvement'
        : 'Close each finding';
  parts.push(
    `## TASK\n${what} in the files you own, following its recommendation, and change nothing else. Then call submit_result.`,
  );
  return parts.join('\n\n');
}
