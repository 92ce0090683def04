// An option's spec and the checks of its value, shared by optionTable.ts and serviceOptions.ts.
import type { CliArgs } from './cliArgs';
import { UsageError } from './usageError';

export interface OptionSpec {
  /** `--attempts`, as typed. */
  name: string;
  /** `-y` for `--yes`. */
  alias?: string;
  /** flag: on or off; value: `--name V` or `--name=V`; repeatable: a value each time, all kept. */
  kind: 'flag' | 'value' | 'repeatable';
  /** Where the parsed option lands in CliArgs (help and version turn into a command instead). */
  key: keyof CliArgs | 'help' | 'version';
  /** The value's name in usage lines and help (`N`, `USD`); absent: the allowed values joined by `|`. */
  value?: string;
  /** `--branch[=NAME]`: a flag that may carry a value after `=`. */
  inline?: string;
  /** The only values it takes. */
  allowed?: readonly string[];
  /** What it needs, for `--x needs …` when the value is missing. */
  what?: string;
  /** The value as CliArgs keeps it; throws a UsageError on a bad one. */
  read?: (value: string) => unknown;
  /** What it does, in the help (a command may say it its own way: commandTable's `help`). */
  help: string;
  /** Every command takes it (it is then listed once, under "Options of every command"). */
  common?: boolean;
  /**
   * Every command accepts it, and a command whose forms do not list it ignores it: what that
   * command's help says of it (`<command>` is its name). Scripts pass `--yes` to every command.
   */
  elsewhere?: string;
  /** A value that parses, for the table's test. */
  example?: string;
}

export function numberOf(name: string, check: (n: number) => boolean, expected: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || !check(n))
      throw new UsageError(`${name} needs ${expected} (got "${value}")`);
    return n;
  };
}

export function matching(name: string, pattern: RegExp, expected: string): (value: string) => string {
  return (value) => {
    if (!pattern.test(value)) throw new UsageError(`${name} needs ${expected} (got "${value}")`);
    return value;
  };
}

export const port = (name: string) => (value: string) => {
  if (!(/^\d{1,5}$/.test(value) && Number(value) <= 65535))
    throw new UsageError(`${name} needs a port number (got "${value}")`);
  return value;
};

/** `--assign "3.2=backend"`: the layer of a task that names no file. */
export function assignment(value: string): { task: string; layer: string } {
  const pick = /^\s*([^=\s]+)\s*=\s*([A-Za-z0-9_-]+)\s*$/.exec(value);
  if (!pick) throw new UsageError(`--assign needs <task id>=<layer>, such as "3.2=backend" (got "${value}")`);
  return { task: pick[1]!, layer: pick[2]! };
}
