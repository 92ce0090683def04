/**
 * Whether ESLint judges a proof test as it judges the project's own tests (issue 70, item 5): a config whose
 * test-only rules reach a folder's own files only (`files: ['**\/test/*']`, @logux/eslint-config's) passes a
 * one-line probe in `test/acceptance/` yet fails a real proof test there on a rule the project's tests are spared
 * (postcss: `no-unsafe-type-assertion` on `css.first as Rule`). ESLint's own `--print-config` for the probe and
 * for a test of the project's beside it: different rules reject the place, as a failing lint would.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { runCommand } from '../../process';
import type { ProofUnit } from '../types';
import { offlineCommand, type VerifySandbox } from './verifySandbox';

const TEST_NAME = /[.\-_](test|spec)\.[cm]?[jt]sx?$|^test[-_].+\.[cm]?[jt]sx?$/;

/** The rules ESLint applies to the probe and not alike to the project's test beside it: their names, or none. */
export async function eslintRulesDiffer(
  unit: ProofUnit,
  sandbox: VerifySandbox,
  timeoutSec: number,
  signal?: AbortSignal,
): Promise<{ test: string; rules: string[] } | undefined> {
  const eslint = 'node_modules/.bin/eslint';
  if (!existsSync(join(sandbox.cwd, eslint))) return undefined;
  const test = await projectTestBeside(sandbox.cwd, unit);
  if (!test) return undefined;
  const [mine, theirs] = await Promise.all(
    [unit.probe, test].map((file) => printedRules(sandbox, `${eslint} --print-config ${file}`, timeoutSec, signal)),
  );
  if (!mine || !theirs) return undefined;
  const rules = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])]
    .filter((rule) => severity(mine[rule]) !== severity(theirs[rule]))
    .sort();
  return rules.length > 0 ? { test, rules } : undefined;
}

/** A test of the project's in the proof folder's folder (`test/` for `test/acceptance/**`, the folder itself for `test/acceptance-*`). */
async function projectTestBeside(workspace: string, unit: ProofUnit): Promise<string | undefined> {
  const folder = unit.tests.endsWith('/**') ? dirname(dirname(unit.probe)) : dirname(unit.probe);
  const names = await readdir(join(workspace, folder)).catch(() => [] as string[]);
  const extension = unit.probe.split('.').at(-1);
  const found = names
    .filter((n) => TEST_NAME.test(n) && n.split('.').at(-1) === extension && !/^(acceptance|proof)-/.test(n))
    .sort()[0];
  return found === undefined ? undefined : posix.join(folder === '.' ? '' : folder, found);
}

async function printedRules(
  sandbox: VerifySandbox,
  command: string,
  timeoutSec: number,
  signal?: AbortSignal,
): Promise<Record<string, unknown> | undefined> {
  const result = await runCommand(offlineCommand(command), {
    cwd: sandbox.cwd,
    timeoutSec,
    env: sandbox.env,
    ...(signal ? { signal } : {}),
  });
  if (result.exitCode !== 0) return undefined;
  try {
    const config = JSON.parse(result.output.slice(result.output.indexOf('{'), result.output.lastIndexOf('}') + 1)) as {
      rules?: Record<string, unknown>;
    };
    return config.rules ?? {};
  } catch {
    return undefined;
  }
}

/** A rule's level with its options (`[2, "always"]`, `"error"`): `off` and 0 alike. */
function severity(rule: unknown): string {
  const [level, ...options] = Array.isArray(rule) ? rule : [rule];
  const named = { 0: 'off', 1: 'warn', 2: 'error' }[level as 0 | 1 | 2] ?? String(level ?? 'off');
  return JSON.stringify([named, ...options]);
}
