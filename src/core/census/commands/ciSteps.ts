/**
 * What every CI reader does with a step once it has its script (ciWorkflows.ts, circleCi.ts): the
 * env CI sets literally, carried into the commands as CI runs them; the script cut into commands
 * in the folders they run in; a working directory made repository-relative.
 */
import { posix } from 'node:path';
import { asRecord } from '../manifests/manifests';
import { CmakeSteps } from './cmakeSteps';
import { powershellCommands, scriptCommands } from './shellScript';

export type Add = (command: string, cwd: string) => void;

/** An `env:` map's literal values (one that is itself an expression stays unknown). */
export function literalEnv(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(stringRecord(asRecord(value))).filter(([, v]) => !v.includes('${{') && !v.includes('$')),
  );
}

/** What CI's runner, not the project, decides: never carried into a command. */
const RUNNER_VARIABLE = /^(PATH|HOME|TMPDIR|TEMP|TMP|SHELL|PWD|USER|(GITHUB|RUNNER|ACTIONS)_\w*)$/;

/**
 * The assignments a command is run with, as CI runs it: each variable CI sets literally for the
 * step that nothing in the workflow reads by name (one it reads, `${{ env.NODE_VERSION }}` or
 * `$PM`, is plumbing, already expanded where a command uses it). Those configure the programs
 * themselves (`TZ` for a date library's tests, `NODE_OPTIONS`, `CI`): without them a project's own
 * tests can fail on the base and lose their gate. Only values a shell word holds bare: a quoted
 * one would be cut apart by the rules that scope a command to its module.
 */
export function envPrefix(env: Record<string, string>, referenced: ReadonlySet<string>): string {
  return Object.entries(env)
    .filter(
      ([name, value]) =>
        /^[A-Za-z_]\w*$/.test(name) &&
        /^[\w.,:/@%+=-]+$/.test(value) &&
        !referenced.has(name) &&
        !RUNNER_VARIABLE.test(name),
    )
    .map(([name, value]) => `${name}=${value} `)
    .join('');
}

/** `$VAR` and `${VAR}` where CI sets VAR literally; others stay (a command led by one is then skipped). */
export function expandEnv(text: string, env: Record<string, string>): string {
  return text.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (whole, braced: string | undefined, bare: string | undefined) => env[(braced ?? bare)!] ?? whole,
  );
}

/** Each command of a script, in the folder it runs in: a `cd dir` moves the commands after it. */
export function runLines(
  script: string,
  cwd: string,
  add: Add,
  powershell: boolean,
  /** A job's CMake build folders, carried from one of its steps to the next (`cmake -B out`, then `ctest --test-dir out`). */
  cmake = new CmakeSteps(),
): void {
  let dir = cwd;
  // A subshell starts where the script is and its `cd` ends with it.
  let inner: { subshell: number; dir: string | undefined } | undefined;
  for (const { text, subshell } of powershell ? powershellCommands(script) : scriptCommands(script)) {
    if (subshell !== undefined && inner?.subshell !== subshell) inner = { subshell, dir };
    const here = subshell === undefined ? dir : inner!.dir;
    if (here === undefined) continue;
    const cd = /^cd\s+("?)([^"&;|]+)\1\s*$/.exec(text);
    if (cd) {
      const moved = workingDirectory(posix.join(here || '.', cd[2]!.trim()));
      if (subshell !== undefined) inner!.dir = moved;
      else if (moved === undefined) return;
      else dir = moved;
      continue;
    }
    const step = cmake.take(text, here);
    if (step === undefined) add(text, here);
    else if (step !== null) add(step.text, step.cwd);
  }
}

/** A repository-relative folder; undefined for one outside it or built from unknown variables. */
export function workingDirectory(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // A reusable workflow's input with a literal default (`${{ inputs.dir || '.' }}/frontend`) runs there when called plainly.
  const text = value.replace(/\$\{\{\s*inputs\.[\w-]+\s*\|\|\s*'([^']*)'\s*\}\}/g, '$1');
  if (/\$\{\{|\$\(|\$\{?\w/.test(text)) return undefined;
  const normal = posix
    .normalize(text.replace(/\\/g, '/'))
    .replace(/^\.\/?/, '')
    .replace(/\/$/, '');
  if (normal.startsWith('..') || normal.startsWith('/')) return undefined;
  return normal === '.' ? '' : normal;
}

export function stringRecord(record: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record)
      .filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
      .map(([k, v]) => [k, String(v)]),
  );
}
