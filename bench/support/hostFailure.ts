/**
 * Why an extension host run failed, in the host's own words, for a bench row that cannot run:
 * "failed in extension host 1 (exit 1)" alone told a reader of the table nothing (was it the
 * code, or a machine too busy to start code-server in time?). Read from what the harness printed
 * (the workbench's and the runner's errors, a timeout, a crashed page) and, failing that, from
 * the extension host's own log files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The lines that say what went wrong: errors the workbench relayed, the harness's timeout and crash notices. */
const PROBLEM = /^\[error\] |^\[e2e\] (timed out after|the page crashed)/;
/** Said on every offline start, never the cause. */
const NOISE =
  /open-vsx\.org|authentication provider 'github'|Failed to fetch|ERR_INTERNET_DISCONNECTED|ERR_NAME_NOT_RESOLVED/;
const MAX = 400;

/** A file's lines, each log file under `dir` (recursive), newest last. */
function logLines(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const lines: string[] = [];
  const walk = (at: string): void => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.log')) lines.push(...readFileSync(path, 'utf8').split('\n'));
    }
  };
  walk(dir);
  return lines;
}

/**
 * One line for the table: the first problems the harness printed (the first is usually the
 * cause; what follows, its consequences), else the extension host logs' last error, else the
 * harness's last words.
 */
export function hostFailure(harnessOutput: string, logsDir: string): string {
  const said = harnessOutput
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const problems = [...new Set(said.filter((line) => PROBLEM.test(line) && !NOISE.test(line)))];
  if (problems.length > 0)
    return `${clip(problems.slice(0, 2).join(' / '))}${problems.length > 2 ? ` (+${problems.length - 2} more in the bench's log)` : ''}`;
  const logged = logLines(logsDir).filter((line) => /\[error\]/.test(line) && !NOISE.test(line));
  if (logged.length > 0) return clip(`the extension host's log: ${logged.at(-1)!.trim()}`);
  return clip(said.length > 0 ? `the host said no error; its last words: ${said.at(-1)}` : 'the host said nothing');
}

const clip = (text: string): string => (text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text);
