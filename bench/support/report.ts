/**
 * The bench's table: one line per row (an ERROR line for a case that could not run, with its
 * reason), each with the machine's 1-minute load average when its case started and ended, so
 * a row measured beside other work reads as such.
 */
import type { BenchRow } from '../types';

export interface CaseResult {
  file: string;
  title: string;
  rows: BenchRow[];
  ms: number;
  /** Why the case could not run (the first line of its error). */
  error?: string;
  /** The 1-minute load average when the case started and when it ended. */
  load: { start: number; end: number };
}

export function formatValue(value: number | string, unit: string): string {
  if (typeof value === 'string') return unit ? `${value} ${unit}` : value;
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = unit === '×' ? 2 : abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  const text = value.toFixed(digits);
  if (!unit) return text;
  return unit === '×' || unit === '%' ? `${text}${unit}` : `${text} ${unit}`;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function renderTable(results: CaseResult[], cores: number): string {
  const lines = [
    `| # | Benchmark | Measured | Target | Result | Load (${cores} cores) | Scenario / details |`,
    '|---|---|---|---|---|---|---|',
  ];
  let n = 0;
  for (const result of results) {
    const load = `${result.load.start.toFixed(1)} → ${result.load.end.toFixed(1)}`;
    if (result.error !== undefined) {
      lines.push(`| ${++n} | ${cell(result.title)} | — | — | ERROR | ${load} | ${cell(result.error)} |`);
      continue;
    }
    for (const row of result.rows) {
      lines.push(
        `| ${++n} | ${cell(row.name)} | ${cell(formatValue(row.value, row.unit))} | ${cell(row.target)} | ${row.pass ? 'PASS' : 'MISS'} | ${load} | ${cell(row.note ?? '')} |`,
      );
    }
  }
  return lines.join('\n');
}
