/**
 * What a verification run printed, made fit for the config and the summary: the tool it lacked,
 * its first error lines, no absolute path.
 */
import { homedir } from 'node:os';
import { sep } from 'node:path';
import { trimErrorOutput } from '../../process';
import { visibleLine as printable } from '../../text/terminalText';

const FIRST_LINES = 5;

/**
 * A stack trace written into the config (a YAML comment, committed) names no absolute path:
 * the workspace becomes `.`, the home folder `~`, any other absolute path its last two parts.
 */
export function withoutAbsolutePaths(output: string, workspace: string): string {
  const home = homedir();
  return output
    .split(workspace.endsWith(sep) ? workspace : `${workspace}${sep}`)
    .join(`.${sep}`)
    .split(workspace)
    .join('.')
    .split(home)
    .join('~')
    .replace(
      /(?<![\w.~])(?:file:\/\/)?(?:[A-Za-z]:)?(?:[\\/][^\s\\/:()'"`]+){3,}/g,
      (path) => `…${path.slice(path.search(/[\\/][^\\/]+[\\/][^\\/]+$/))}`,
    );
}

/**
 * `sh: 1: cargo: not found`, `bash: go: command not found`, `'dotnet' is not recognized…`, exit 127, `python: No
 * module named tox`; make's own `make: black: No such file or directory` for a recipe line it runs itself.
 */
export function missingTool(exitCode: number | null, output: string, command: string): string | undefined {
  const said =
    /(?:^|\n)(?:[\w/.-]*sh: (?:line )?\d*:?\s*)?([\w@./+-]+): (?:command )?not found/.exec(output) ??
    /(?:^|\n)g?make(?:\[\d+\])?: ([\w@./+-]+): (?:No such file or directory|Command not found)/.exec(output) ??
    /'([\w.-]+)' is not recognized as an internal or external command/.exec(output);
  // Said by a test the suite runs (zx's own tests run `wtf` on purpose) is no tool of the command's: the shell's
  // exit code for it (127, which make passes on as `Error 127` of a recipe line), or the command naming it, says
  // it was the command's own.
  const name = said?.[1]!.split('/').at(-1);
  const recipe127 = /(?:^|\n)g?make(?:\[\d+\])?: \*\*\* \[[^\]\n]*\] Error 127\b/.test(output);
  if (
    name &&
    (exitCode === 127 || recipe127 || new RegExp(`(^|[\\s/'"])${name.replace(/[.+]/g, '\\$&')}(\\s|$)`).test(command))
  )
    return name;
  // `python -m tox` without tox: the interpreter's own line (`/usr/bin/python3: No module named tox`), never a test's ImportError.
  const module = /(?:^|\n)\S*python[\d.]*: No module named ([\w.]+)/.exec(output);
  if (module && /(?:^|\s)-m\s/.test(command)) return module[1]!.split('.')[0];
  if (exitCode === 127)
    return command
      .replace(/^cd\s+\S+\s*&&\s*/, '')
      .trim()
      .split(/\s+/)[0];
  return undefined;
}

// eslint-disable-next-line no-control-regex -- ANSI colour codes are what it removes
const COLOUR_CODE = /\x1b\[[0-9;]*m/g;

export function firstErrorLines(output: string): string[] {
  const lines = trimErrorOutput(output, 2000)
    .replace(COLOUR_CODE, '')
    .split('\n')
    .map((l) => l.trimEnd())
    // npm, pnpm and yarn echo the script they run (`> tsc --noEmit`): that is no error line.
    .filter((l) => l.trim() !== '' && !/^\s*>\s/.test(l) && !/^\s*\$\s/.test(l));
  const errorAt = lines.findIndex((l) => /error|fail|cannot|not found|exception/i.test(l));
  const from = errorAt >= 0 ? errorAt : 0;
  return lines.slice(from, from + FIRST_LINES).map((l) => printable(l.length > 160 ? `${l.slice(0, 157)}...` : l));
}

/** What a command printed last before it was stopped (the orchestrator's own timeout line left out): where it waited. */
export function lastLines(output: string, count = FIRST_LINES): string[] {
  const lines = output
    .replace(COLOUR_CODE, '')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '' && !l.startsWith('[orchestrator] '));
  return lines.slice(-count).map((l) => printable(l.length > 160 ? `${l.slice(0, 157)}...` : l));
}
