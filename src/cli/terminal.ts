/**
 * The CLI's only way to the terminal: every printer writes through here, so no untrusted
 * string (a task title, a client's name, an artifact, a spec title, a run's error, a trace row)
 * reaches stdout or stderr with a control character that acts (src/core/text/terminalText.ts).
 * JSON output passes the same filter and stays valid JSON with the same value.
 */
import { visibleText } from '../core/text/terminalText';

export { visibleLine, visibleText } from '../core/text/terminalText';

/** Text for stdout (a report, a table, a JSON line): shown, never acted on. */
export function out(text: string): void {
  // eslint-disable-next-line no-restricted-syntax -- the one sanctioned writer
  process.stdout.write(visibleText(text));
}

/** Text for stderr (progress, warnings, errors). */
export function err(text: string): void {
  // eslint-disable-next-line no-restricted-syntax -- the one sanctioned writer
  process.stderr.write(visibleText(text));
}

/** One JSON value on its own line of stdout. */
export function outJson(value: unknown): void {
  out(`${JSON.stringify(value)}\n`);
}
