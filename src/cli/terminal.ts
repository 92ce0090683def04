/**
 * The CLI's only way to the terminal: every printer writes through here, so no untrusted
 * string (a task title, a client's name, an artifact, a spec title, a run's error, a trace row)
 * reaches stdout or stderr with a control character that acts (src/core/text/terminalText.ts).
 * JSON output passes the same filter and stays valid JSON with the same value.
 */
import { visibleText } from '../core/text/terminalText';

export { visibleLine, visibleText } from '../core/text/terminalText';

/** The streams whose reader went away (`orchestrator feature --help | head -1`). */
const gone = new Set<NodeJS.WriteStream>();

/**
 * A reader that stops reading is not an error of the command: what is left to print goes
 * nowhere, quietly, and the command finishes its work with its own exit code (Node would
 * otherwise die on the pipe's EPIPE with a stack trace).
 */
export function quietWhenReadersGo(): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      gone.add(stream);
    });
}

/** Text for stdout (a report, a table, a JSON line): shown, never acted on. */
export function out(text: string): void {
  // eslint-disable-next-line no-restricted-syntax -- the one sanctioned writer
  if (!gone.has(process.stdout)) process.stdout.write(visibleText(text));
}

/** Text for stderr (progress, warnings, errors). */
export function err(text: string): void {
  // eslint-disable-next-line no-restricted-syntax -- the one sanctioned writer
  if (!gone.has(process.stderr)) process.stderr.write(visibleText(text));
}

/** One JSON value on its own line of stdout. */
export function outJson(value: unknown): void {
  out(`${JSON.stringify(value)}\n`);
}
