/**
 * The StrykerJS configuration of one strength run, written into the copy: exactly the chosen
 * mutants' places, the project's runner (Jest, Vitest, Mocha), only the frozen proof tests, in
 * place (the copy is ours), a JSON report.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mutant } from '../types';
import type { StrykerInstall, StrykerRunner } from './strykerInstall';

export const REPORT_FILE = '.stryker-tmp/orchestrator-report.json';
export const CONFIG_FILE = '.stryker-tmp/orchestrator.stryker.json';

/** The runner the proof command names, else the one the project depends on; undefined: none StrykerJS has a plugin for. */
export async function projectRunner(copy: string, proofCommand: readonly string[]): Promise<StrykerRunner | undefined> {
  const runners: StrykerRunner[] = ['vitest', 'jest', 'mocha'];
  const named = runners.find((r) => proofCommand.some((c) => new RegExp(`\\b${r}\\b`).test(c)));
  if (named) return named;
  const manifest = await readFile(join(copy, 'package.json'), 'utf8').then(
    (text) => JSON.parse(text) as Record<string, Record<string, string> | undefined>,
    () => undefined,
  );
  const deps = { ...manifest?.dependencies, ...manifest?.devDependencies };
  return runners.find((r) => r in deps);
}

/** `file:line:column-line:column` for each mutant (Stryker's lines from 1, columns from 0). */
export function mutateRanges(mutants: readonly Mutant[]): string[] {
  return [
    ...new Set(
      mutants.map((m) => {
        const end = m.end ?? { line: m.line, column: m.column + m.original.length };
        return `${m.path}:${m.line}:${m.column - 1}-${end.line}:${end.column - 1}`;
      }),
    ),
  ];
}

export interface StrykerSettings {
  install: StrykerInstall;
  runner: StrykerRunner;
  mutants: readonly Mutant[];
  tests: readonly string[];
  concurrency: number;
  /** Every test run against each mutant, not only up to its first failure: which tests killed it is then known whole. */
  allTests?: boolean;
}

export function strykerConfig(s: StrykerSettings): Record<string, unknown> {
  return {
    testRunner: s.runner,
    plugins: [s.install.plugin(s.runner)],
    testFiles: [...s.tests],
    ...RUNNER_OPTIONS[s.runner],
    mutate: mutateRanges(s.mutants),
    reporters: ['json'],
    jsonReporter: { fileName: REPORT_FILE },
    inPlace: true,
    // A test process per mutant at most: each costs a start.
    concurrency: Math.max(1, Math.min(s.concurrency, s.mutants.length)),
    coverageAnalysis: 'perTest',
    disableTypeChecks: true,
    checkers: [],
    timeoutMS: 10_000,
    logLevel: 'warn',
    fileLogLevel: 'off',
    allowConsoleColors: false,
    cleanTempDir: false,
    ...(s.allTests ? { disableBail: true } : {}),
  };
}

/** Each runner's own knobs: every test of the given files, not only those Jest thinks related. */
const RUNNER_OPTIONS: Record<StrykerRunner, Record<string, unknown>> = {
  jest: { jest: { enableFindRelatedTests: false } },
  vitest: { vitest: { related: false } },
  mocha: {},
};
