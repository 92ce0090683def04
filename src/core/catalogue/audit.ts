/** The audit loop, the traceability matrix and the blocks between layers. */
import { nothing } from './meaning';
import { clip, firstLine, list, type Entries } from './words';

export const auditEntries = {
  'audit.started': {
    state: (e) => ({ auditStarted: e.settings }),
    words: (e) => ({
      level: 'info',
      depth: 0,
      text: `audit of ${e.settings.target} (${e.settings.dimension}) to ${e.settings.targetScore}/100, at most ${e.settings.maxIterations} iterations, budget $${e.settings.maxBudgetUsd}`,
      progress: false,
    }),
  },
  'audit.discovered': {
    state: (e) => ({ auditDiscovered: e.discovery }),
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `${e.discovery.files} files, ${e.discovery.loc} lines of code; ${
        e.discovery.languages
          .slice(0, 3)
          .map((l) => l.language)
          .join(', ') || 'no known language'
      }; ${e.discovery.dependencies.length} dependencies`,
    }),
  },
  'audit.scored': {
    state: (e) => ({
      auditScored: { iteration: e.iteration, score: e.score, findings: e.findings, dimensions: e.dimensions },
    }),
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `score ${e.score}/100 (${e.iteration === 0 ? 'baseline' : `after iteration ${e.iteration}`})${
        e.dimensions
          ? ` = lowest of ${Object.entries(e.dimensions)
              .map(([name, score]) => `${name} ${score}`)
              .join(', ')}`
          : ''
      }: ${e.findings.length} findings`,
      ...(e.findings.length
        ? {
            detail: e.findings
              .map((f) => `[${f.severity}] ${f.id} ${f.file ?? ''}${f.line ? `:${f.line}` : ''} ${f.description}`)
              .join('\n'),
          }
        : {}),
    }),
  },
  'audit.job.started': {
    state: (e) => ({
      auditJobStarted: {
        job: e.job,
        iteration: e.iteration,
        phase: e.phase,
        layer: e.layer,
        role: e.role,
        findings: e.findings,
      },
    }),
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `${e.phase}: ${e.layer} (${e.role}) takes ${e.findings.join(', ')}`,
      progress: false,
    }),
  },
  'audit.job.ended': {
    state: (e) => ({ auditJobEnded: { job: e.job, outcome: e.outcome, summary: e.summary } }),
    words: (e) => ({
      level: e.outcome === 'done' ? 'info' : 'warn',
      depth: 1,
      text: `${e.job}: ${e.outcome} — ${firstLine(e.summary)}`,
      detail: clip(e.summary, 500),
      progress: false,
    }),
  },
  'audit.skipped': {
    state: (e) => ({
      auditSkipped: { iteration: e.iteration, phase: e.phase, findings: e.findings, reason: e.reason },
    }),
    words: (e) => ({ level: 'warn', depth: 1, text: `left for a human: ${e.findings.join(', ')} (${e.reason})` }),
  },
  'audit.tested': {
    state: (e) => ({ auditTested: { iteration: e.iteration, runs: e.runs } }),
    words: (e) => ({
      level: 'info',
      depth: 1,
      text:
        e.runs
          .map(
            (run) =>
              `${run.exitCode === 0 ? '✓' : '✗'} ${run.command}${run.passed !== undefined ? ` (${run.passed} passed, ${run.failed ?? 0} failed${run.coverage !== undefined ? `, coverage ${run.coverage}%` : ''})` : ''}`,
          )
          .join('\n') || 'no tests configured',
      ...(e.runs.length ? {} : { progress: false as const }),
    }),
  },
  'audit.report': {
    state: (e) => ({
      auditReport: { reason: e.reason, path: e.path, linesAdded: e.linesAdded, linesRemoved: e.linesRemoved },
    }),
    words: (e) => ({ level: 'info', depth: 0, text: `report: ${e.path}`, detail: `the audit stopped: ${e.reason}` }),
  },
  'trace.updated': {
    state: (e) => ({ trace: e.matrix }),
    words: (e) => {
      const { rows, requirementsWithoutFile, criteriaWithoutTest, notLinked, doneBeforeImport } = e.matrix;
      const gaps = [
        requirementsWithoutFile.length ? `no file: ${requirementsWithoutFile.join(', ')}` : '',
        notLinked.length ? `not linked in the source: ${notLinked.length}` : '',
        doneBeforeImport.length ? `done before import: ${doneBeforeImport.length}` : '',
        criteriaWithoutTest.length ? `no test: ${criteriaWithoutTest.length}` : '',
      ].filter(Boolean);
      return {
        level: e.repeated ? 'trace' : 'info',
        depth: 1,
        text: `trace: ${rows.length} criteria${gaps.length ? ` (${gaps.join('; ')})` : ''}`,
        ...(e.repeated ? { progress: false } : {}),
      };
    },
  },
  'trace.by-hand': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `changed by hand: ${list(Object.entries(e.files).map(([layer, files]) => `${layer} ${files.length}`))}`,
      progress: false,
    }),
  },
  'trace.waived': {
    state: nothing,
    words: (e) => ({
      level: 'warn',
      depth: 1,
      text: `${e.phase}: untested requirements waived: ${list(e.requirements)}`,
      progress: false,
    }),
  },
  'block.reported': {
    state: (e) => ({ blockOpened: { block: e.block, from: e.from, to: e.to, request: e.request } }),
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `⧖ block ${e.block}: ${e.from} needs ${e.to} — ${firstLine(e.request)}`,
    }),
  },
  'block.resolved': {
    state: (e) => ({ blockResolved: { block: e.block } }),
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `✓ block ${e.block} resolved by ${e.to}${e.files.length ? ` (${e.files.join(', ')})` : ''}`,
    }),
  },
} satisfies Entries;
