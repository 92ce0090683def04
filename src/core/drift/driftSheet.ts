/** The `Drift` sheet of `verify --xlsx`: one row per requirement, its status coloured, its criteria's proof run again, with the evidence. */
import type { Cell, Row } from 'write-excel-file/node' with { 'resolution-mode': 'import' };
import { testLabel } from '../text/proofWords';
import type { CriterionProofNow, DriftStatus, SpecDrift } from './types';

export const DRIFT_SHEET = 'Drift';
export const DRIFT_COLUMNS = [
  'Requirement',
  'Status',
  'Criteria',
  'Files changed',
  'Checks',
  'Proof now',
  'Evidence',
] as const;

const STATUS_FILL: Record<DriftStatus, string> = { holds: '#DFF0D8', changed: '#FFF3CD', broken: '#FFE0E0' };
const HEADER_FILL = '#DDE7F0';

export function driftSheet(drift: SpecDrift): { data: Row[]; columns: { width: number }[] } {
  const header: Row = DRIFT_COLUMNS.map((value): Cell => ({ value, fontWeight: 'bold', backgroundColor: HEADER_FILL }));
  const rows: Row[] = drift.requirements.map((req) => [
    { value: `${req.requirement}: ${req.title}`, wrap: true },
    { value: req.status, backgroundColor: STATUS_FILL[req.status] },
    { value: req.criteria.join('\n') || '(none)', wrap: true },
    { value: req.changedFiles.map((c) => `${c.path} (${c.status})`).join('\n') || '(none)', wrap: true },
    {
      value:
        req.checks.map((c) => `${c.kind === 'validate' ? c.layer : 'test'}: ${c.command} — ${c.outcome}`).join('\n') ||
        '(none)',
      wrap: true,
    },
    { value: (req.proof ?? []).map(proofCell).join('\n') || '(none)', wrap: true },
    { value: [...req.evidence, ...(req.explanation ? [`review: ${req.explanation}`] : [])].join('\n'), wrap: true },
  ]);
  const basis = `Basis: ${drift.basis.commit ? `commit ${drift.basis.commit}` : 'no commit'}${drift.basis.completed ? `, completed ${drift.basis.completed}` : ''}${drift.basis.note ? ` — ${drift.basis.note}` : ''}`;
  return {
    data: [header, ...rows, [], [{ value: basis }]],
    columns: [{ width: 36 }, { width: 10 }, { width: 16 }, { width: 40 }, { width: 48 }, { width: 44 }, { width: 60 }],
  };
}

/** `REQ-1.2: failing now (was proven) — test/acceptance/p.test.js › REQ-1.2 …`. */
function proofCell(proof: CriterionProofNow): string {
  return `${proof.criterion}: ${proof.now === 'not-run' ? 'not run' : `${proof.now} now`} (was ${proof.then}) — ${proof.tests.map(testLabel).join(', ')}`;
}
