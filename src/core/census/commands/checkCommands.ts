/**
 * Which of a repository's commands check its code — a test, lint, type check, analysis or a
 * build run as a check — and in what form a validate command keeps it. The program is judged
 * past its wrappers (`uv run`, `poetry run`, `pipenv run`, `bundle exec`, `opam exec --`, `npx`, `python -m`),
 * by what it is and what it is asked to do, never by a word somewhere in the line: an install,
 * a code generator, a deploy, a release or package build (`tauri build`, `flutter build
 * windows`, `uvx twine check dist/*`), a browser install and anything that needs a running
 * server (newman, curl to localhost, wait-on) is no check. `clean` is dropped from a task list
 * (`./gradlew clean test` → `./gradlew test`).
 */
import { parse, quote } from 'shell-quote';
import { mesonBuildDir } from './mesonChecks';
import { nixShellCommandStart, nixShellRun } from './nixCommands';
import { judge, programName } from './programChecks';
import { isPlaceholder, type CheckKind, type ScriptText } from './runnerChecks';
import { scriptCommands } from './shellScript';

export { isPlaceholder, jvmTaskIndexes, type CheckKind, type ScriptText } from './runnerChecks';

export interface CheckCommand {
  command: string;
  kind: CheckKind;
}

const WRAPPER_FLAGS_WITH_VALUE: Record<string, Set<string>> = {
  uv: new Set([
    '--package',
    '--with',
    '--with-requirements',
    '--extra',
    '--group',
    '--python',
    '-p',
    '--directory',
    '--project',
    '--env-file',
    '--index',
    '--only-group',
  ]),
  npx: new Set(['-p', '--package', '-c', '--call']),
  conda: new Set(['-n', '--name', '-p', '--prefix']),
  timeout: new Set(['-s', '--signal', '-k', '--kill-after']),
  opam: new Set(['--switch']),
};

/** The words of a command (variables kept as `$NAME`), stopping at its first operator or redirection. */
export function commandWords(command: string): string[] {
  let entries: ReturnType<typeof parse>;
  try {
    entries = parse(wordHashes(command.replace(/\$\{\{[^}]*\}\}/g, '$__CI_EXPRESSION')), (name) => `$${name}`);
  } catch {
    return [];
  }
  const words: string[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') words.push(entry);
    else if ('op' in entry && entry.op === 'glob') words.push(entry.pattern);
    else break;
  }
  return words;
}

/** A `#` inside a word (a flake's `.#ci`) escaped: a shell starts a comment only at a word's start; shell-quote anywhere. */
function wordHashes(command: string): string {
  let quote: string | undefined;
  let out = '';
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (c === '\\') {
      out += c + (command[i + 1] ?? '');
      i++;
      continue;
    }
    if (quote) quote = c === quote ? undefined : quote;
    else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && i > 0 && !/\s/.test(command[i - 1]!)) out += '\\';
    out += c;
  }
  return out;
}

/**
 * The check a command line makes, in the form to keep, or undefined when it checks nothing. A package script
 * whose name says nothing is judged by its text (`depth`: how many scripts deep, so one calling itself ends).
 */
export function checkCommand(command: string, scriptText?: ScriptText, depth = 0): CheckCommand | undefined {
  if (isPlaceholder(command)) return undefined;
  const words = commandWords(command);
  const assignments: string[] = [];
  while (words.length > 0 && /^[A-Za-z_]\w*=/.test(words[0]!)) assignments.push(words.shift()!);
  if (words.length === 0 || words[0]!.startsWith('$')) return undefined;
  if (words.some((w) => /^(https?:\/\/|localhost\b|127\.0\.0\.1|0\.0\.0\.0)|:\/\/(localhost|127\.0\.0\.1)/.test(w)))
    return undefined;
  // `nix-shell --run 'CMD'`: the check is CMD, kept inside the shell that gives it its tools.
  const run = nixShellRun(words);
  if (run !== undefined) {
    const inner = depth < 3 ? normalizeCheck(run, scriptText, depth + 1) : undefined;
    return inner && { command: command.trim(), kind: inner.kind };
  }
  const start = unwrap(words);
  if (start === undefined) return undefined;
  const byText = depth < 3 ? (text: string) => normalizeCheck(text, scriptText, depth + 1) : undefined;
  const judged = judge(words.slice(start), scriptText, byText);
  if (!judged) return undefined;
  // A value CI computes (`${{ secrets.X }}`, `$HOME/x`) cannot be known here: that assignment goes.
  const kept = assignments.filter((a) => !a.includes('$'));
  const rest = judged.words ? [...words.slice(0, start), ...judged.words] : undefined;
  // `meson test -C _build` reads a build folder a setup makes, which a fresh copy needs first.
  const buildDir = mesonBuildDir(words.slice(start));
  const setup = buildDir === undefined ? '' : `meson setup ${buildDir} && `;
  if (kept.length === assignments.length && !rest) return { command: setup + command.trim(), kind: judged.kind };
  const body = rest ? quote(rest) : command.trim().slice(command.trim().indexOf(words[0]!));
  return { command: setup + [...kept.map(quoteAssignment), body].join(' '), kind: judged.kind };
}

/**
 * A whole command line (a task file's or Mustard's may chain several) as a validate command:
 * each part a check in the form to keep, `cd` parts kept; undefined when any part checks nothing.
 */
export function normalizeCheck(command: string, scriptText?: ScriptText, depth = 0): CheckCommand | undefined {
  const parts = scriptCommands(command);
  const kept: string[] = [];
  let kind: CheckKind | undefined;
  for (const { text } of parts) {
    if (/^cd\s+\S+$/.test(text)) {
      kept.push(text);
      continue;
    }
    const check = checkCommand(text, scriptText, depth);
    if (!check) return undefined;
    kind ??= check.kind;
    kept.push(check.command);
  }
  return kind ? { command: kept.join(' && '), kind } : undefined;
}

/** The program a command runs past `cd`, env assignments and wrappers (`uv run pytest` → `pytest`). */
export function checkedProgram(command: string): string | undefined {
  const words = commandWords(command.replace(/^cd\s+\S+\s*&&\s*/, ''));
  while (words.length > 0 && /^[A-Za-z_]\w*=/.test(words[0]!)) words.shift();
  const start = words.length > 0 ? unwrap(words) : undefined;
  return start === undefined ? undefined : programName(words[start]!);
}

/**
 * A command's parts as a runner sees them: its leading assignments, the wrappers before the checked
 * program (`uv run`, `python -m`, `bundle exec`) and the program with its arguments
 * (`NODE_ENV=test uv run pytest -q` → [NODE_ENV=test], [uv, run], [pytest, -q]); undefined when
 * nothing is left past the wrappers.
 */
export function invocationOf(
  command: string,
): { assignments: string[]; wrapper: string[]; program: string[] } | undefined {
  const words = commandWords(command);
  const assignments: string[] = [];
  while (words.length > 0 && /^[A-Za-z_]\w*=/.test(words[0]!)) assignments.push(words.shift()!);
  const start = words.length > 0 ? unwrap(words) : undefined;
  return start === undefined ? undefined : { assignments, wrapper: words.slice(0, start), program: words.slice(start) };
}

function quoteAssignment(assignment: string): string {
  const at = assignment.indexOf('=');
  return `${assignment.slice(0, at + 1)}${quote([assignment.slice(at + 1)])}`;
}

/** Where the checked program starts past its wrappers, or undefined when the wrapper itself is no check (`uv sync`). */
function unwrap(words: readonly string[]): number | undefined {
  let i = 0;
  for (let guard = 0; guard < 8 && i < words.length; guard++) {
    const program = programName(words[i]!);
    const next = words[i + 1];
    const skipFlags = (from: number, withValue = new Set<string>()) => {
      let j = from;
      while (j < words.length && words[j]!.startsWith('-')) j += withValue.has(words[j]!) ? 2 : 1;
      return j;
    };
    if (program === 'uv' && next === 'run') i = skipFlags(i + 2, WRAPPER_FLAGS_WITH_VALUE.uv);
    else if (program === 'uv' && next === 'tool' && words[i + 2] === 'run')
      i = skipFlags(i + 3, WRAPPER_FLAGS_WITH_VALUE.uv);
    else if (program === 'uvx' || (program === 'pipx' && next === 'run'))
      i = skipFlags(program === 'uvx' ? i + 1 : i + 2, WRAPPER_FLAGS_WITH_VALUE.uv);
    else if (['poetry', 'pipenv', 'pdm', 'rye', 'hatch'].includes(program) && next === 'run') i = skipFlags(i + 2);
    else if (program === 'conda' && next === 'run') i = skipFlags(i + 2, WRAPPER_FLAGS_WITH_VALUE.conda);
    else if (program === 'bundle' && next === 'exec') i = skipFlags(i + 2);
    else if (program === 'opam' && next === 'exec') i = skipFlags(i + 2, WRAPPER_FLAGS_WITH_VALUE.opam);
    else if (program === 'npx' || program === 'bunx' || program === 'pnpx')
      i = skipFlags(i + 1, WRAPPER_FLAGS_WITH_VALUE.npx);
    else if ((program === 'pnpm' || program === 'yarn' || program === 'npm') && (next === 'exec' || next === 'dlx'))
      i = skipFlags(i + 2, WRAPPER_FLAGS_WITH_VALUE.npx);
    else if (/^python[\d.]*$|^py$/.test(program) && next === '-m') i += 2;
    else if (program === 'coverage' && next === 'run') i = words[i + 2] === '-m' ? i + 3 : skipFlags(i + 2);
    else if (program === 'xvfb-run' || program === 'time' || program === 'nice' || program === 'env') {
      i = skipFlags(i + 1);
      while (program === 'env' && i < words.length && words[i]!.includes('=')) i++;
    } else if (program === 'timeout') i = skipFlags(i + 1, WRAPPER_FLAGS_WITH_VALUE.timeout) + 1;
    else if (program === 'dotnet' && next === 'tool' && words[i + 2] === 'run') i += 3;
    else if (nixShellCommandStart(words, i) !== undefined) i = nixShellCommandStart(words, i)!;
    else if (
      (program === 'bash' || program === 'sh' || program === 'zsh') &&
      next !== undefined &&
      !next.startsWith('-')
    )
      i += 1;
    else break;
    if (words[i] === '--') i++;
  }
  return i < words.length ? i : undefined;
}

/** The folder and task of a monorepo task (`mise run //swift/apple:check` → `swift/apple`, `mise run check`). */
export function miseTaskFolder(command: string): { cwd: string; command: string } | undefined {
  const m = /^mise\s+(run|r)\s+(.*?)\/\/([\w./-]*):(\S+)(.*)$/.exec(command.trim());
  return m
    ? { cwd: m[3]!.replace(/\/$/, ''), command: `mise ${m[1]} ${m[2]}${m[4]}${m[5]}`.replace(/\s+/g, ' ').trim() }
    : undefined;
}
