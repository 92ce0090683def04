/**
 * The CLI's help, printed from the command table (commandTable.ts) and the option table
 * (optionTable.ts) the parser reads: `orchestrator <command> --help` prints that command's
 * entry, a usage error its usage lines, and `orchestrator --help` them all.
 */
import { COMMANDS, DOCUMENTED, formOptions, takersOf, type Documented, type FormSpec } from './commandTable';
import { OPTIONS, option, optionText } from './optionTable';

export type { Documented } from './commandTable';

interface CommandHelp {
  /** The forms of the command, as typed. */
  usage: string[];
  /** What it does, one paragraph (wrapped when printed). */
  about: string;
  /** Its own options: [flag, what]. */
  options: [string, string][];
}

/** `feature "<request>" [--approve] … [--attempts N]`: one form as typed. */
function formText(command: string, form: FormSpec): string {
  const entries = form.options.map((entry) => {
    if (entry.startsWith('!')) return optionText(option(entry.slice(1)));
    const text = entry
      .split('|')
      .map((name) => optionText(option(name)))
      .join(' | ');
    return `[${text}]${option(entry.split('|')[0]!).kind === 'repeatable' ? '…' : ''}`;
  });
  return [command, form.words, ...entries].filter(Boolean).join(' ');
}

/** What the command's help lists under Options: every option of its forms (the common ones below them). */
function optionsOf(command: Documented): [string, string][] {
  const names = [...new Set(COMMANDS[command].forms.flatMap(formOptions))].filter((name) => !option(name).common);
  return names.map((name) => {
    const spec = option(name);
    return [`${optionText(spec)}${spec.alias ? `, ${spec.alias}` : ''}`, COMMANDS[command].help?.[name] ?? spec.help];
  });
}

/** Each documented command's usage lines, what it does and its options, as its --help prints them. */
export const COMMAND_HELP: Record<Documented, CommandHelp> = Object.fromEntries(
  DOCUMENTED.map((command) => [
    command,
    {
      usage: COMMANDS[command].forms.map((form) => formText(command, form)),
      about: COMMANDS[command].about!,
      options: optionsOf(command),
    },
  ]),
) as Record<Documented, CommandHelp>;

const WIDTH = 100;
const COLUMN = 39;

/** The common options, and those every command accepts that this one ignores (`--yes` where nothing is asked). */
function commonOptions(command: Documented): string[] {
  const takes = new Set(COMMANDS[command].forms.flatMap(formOptions));
  const ignored = OPTIONS.filter((o) => o.elsewhere !== undefined && !takes.has(o.name));
  return [
    'Options of every command:',
    ...[...OPTIONS.filter((o) => o.common), ...ignored].flatMap((o) =>
      columns(
        `  ${optionText(o)}${o.alias ? `, ${o.alias}` : ''}`,
        o.common ? o.help : o.elsewhere!.replace('<command>', command),
        20,
      ),
    ),
  ];
}

/** `Usage: orchestrator feature "<request>" …`, one line per form. */
export function usageLines(command: Documented): string {
  return COMMAND_HELP[command].usage
    .map((form, i) => `${i === 0 ? 'Usage:' : '      '} orchestrator ${form}`)
    .join('\n');
}

/** `orchestrator <command> --help`. */
export function commandHelp(command: Documented): string {
  const entry = COMMAND_HELP[command];
  const lines = [usageLines(command), '', ...wrap(entry.about, WIDTH, '')];
  if (entry.options.length) {
    lines.push('', 'Options:');
    for (const [flag, what] of entry.options) lines.push(...columns(`  ${flag}`, what, 30));
  }
  lines.push('', ...commonOptions(command));
  return lines.join('\n');
}

/** The options three or more commands share, with the commands that take them: `--yes  feature, bugfix, …: what`. */
function sharedOptions(): string[] {
  const lines: string[] = [];
  for (const spec of OPTIONS) {
    if (spec.common) continue;
    const takers = takersOf(spec.name);
    if (new Set(takers.map((label) => label.split(' ')[0])).size >= 3)
      lines.push(
        ...columns(
          `  ${optionText(spec)}${spec.alias ? `, ${spec.alias}` : ''}`,
          `${takers.join(', ')}: ${spec.help}${spec.elsewhere !== undefined ? '; every other command accepts it and ignores it' : ''}`,
          20,
        ),
      );
  }
  return lines;
}

/** `orchestrator --help`: every command, then the options, the environment and the exit codes. */
export function generalHelp(): string {
  const lines = [
    "Usage: orchestrator <command> [options]     (orchestrator <command> --help: that command's help)",
    '',
    'Commands:',
  ];
  for (const entry of Object.values(COMMAND_HELP)) {
    const forms = entry.usage.map((form) => `  ${form}`);
    // The text starts beside the last form when that form is short enough, else below it.
    const last = forms.at(-1)!;
    if (last.length < COLUMN - 1) lines.push(...forms.slice(0, -1), ...columns(last, entry.about, COLUMN));
    else lines.push(...forms, ...wrap(entry.about, WIDTH - COLUMN, ' '.repeat(COLUMN)));
  }
  const version = option('--version');
  lines.push(
    '',
    'Options:',
    ...columns(`  ${version.name}, ${version.alias}`, version.help, 20),
    ...OPTIONS.filter((o) => o.common).flatMap((o) =>
      columns(`  ${optionText(o)}${o.alias ? `, ${o.alias}` : ''}`, o.help, 20),
    ),
    ...sharedOptions(),
    '',
    'Environment: ANTHROPIC_API_KEY (required for Claude models), ANTHROPIC_BASE_URL (optional),',
    '  OPENAI_API_KEY for openai:<model> models.',
    'Exit codes: 0 done or spec saved (an audit: its target reached); 1 run stopped, or an audit that',
    '  ended below its target (--json: "targetReached": false and "reason": "no-improvement",',
    '  "max-iterations" or "budget"); 2 usage or configuration error; 130 interrupted.',
  );
  return lines.join('\n');
}

function columns(left: string, text: string, column: number): string[] {
  const wrapped = wrap(text, WIDTH - column, ' '.repeat(column));
  if (left.length >= column - 1) return [left, ...wrapped];
  return [`${left.padEnd(column)}${wrapped[0]!.trimStart()}`, ...wrapped.slice(1)];
}

function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(`${indent}${line}`);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(`${indent}${line}`);
  return lines;
}
