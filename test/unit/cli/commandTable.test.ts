// Issue 59: the help, the usage lines and the parser come from one table. Every option of the
// table is tried on every form of every command, in-process: a form takes exactly the options its
// usage line shows (and its help lists), and refuses every other (a UsageError: exit 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, UsageError } from '../../../src/cli/args';
import type { CommandName } from '../../../src/cli/cliArgs';
import { COMMANDS, formOptions } from '../../../src/cli/commandTable';
import { COMMAND_HELP, commandHelp, generalHelp, usageLines } from '../../../src/cli/help';
import { OPTIONS, type OptionSpec } from '../../../src/cli/optionTable';
import { LAYER_RUNNERS } from '../../../src/core/text/runnerNames';

const parse = (argv: string[]) => parseArgs(argv, '/ws');
const given = (spec: OptionSpec): string[] => (spec.kind === 'flag' ? [spec.name] : [spec.name, spec.example!]);
const refuses = (argv: string[]) => {
  try {
    parse(argv);
    return false;
  } catch (error) {
    if (error instanceof UsageError) return true;
    throw error;
  }
};
/** The options a text shows: `--runner`, `--branch` out of `--branch[=NAME]`. */
const shown = (text: string) => new Set(text.match(/(?<![\w-])--[a-z][a-z-]*/g) ?? []);

test('every option of a form parses with that form, and lands in CliArgs', () => {
  for (const [command, spec] of Object.entries(COMMANDS)) {
    for (const form of spec.forms) {
      assert.doesNotThrow(() => parse(form.example), `${form.example.join(' ')}`);
      for (const name of [
        ...formOptions(form),
        ...OPTIONS.filter((o) => o.common && o.key !== 'help').map((o) => o.name),
      ]) {
        const option = OPTIONS.find((o) => o.name === name)!;
        const argv = [...form.example, ...given(option)];
        let args;
        assert.doesNotThrow(() => (args = parse(argv)), `${command}: ${argv.join(' ')}`);
        if (option.key !== 'version')
          assert.notEqual((args as unknown as Record<string, unknown>)[option.key], undefined, argv.join(' '));
        if (option.alias)
          assert.doesNotThrow(() => parse([...form.example, option.alias!]), `${command}: ${option.alias}`);
      }
    }
  }
});

test('an option no form of a command shows is refused; so is one of another subcommand', () => {
  // `help` shows a command's help whatever else was typed: nothing to refuse.
  for (const [command, spec] of Object.entries(COMMANDS).filter(([command]) => command !== 'help')) {
    const takes = new Set(spec.forms.flatMap(formOptions));
    for (const form of spec.forms) {
      // `--yes` is accepted everywhere (compatibility.test.ts): a command that asks nothing ignores it.
      for (const option of OPTIONS.filter((o) => !o.common && o.elsewhere === undefined && o.key !== 'version')) {
        const elsewhere =
          !takes.has(option.name) || (form.sub !== undefined && !formOptions(form).includes(option.name));
        if (elsewhere)
          assert.ok(
            refuses([...form.example, ...given(option)]),
            `${command} accepts ${option.name}, which its help does not show: ${form.example.join(' ')}`,
          );
      }
    }
  }
});

test("each command's help and usage lines show exactly the options it takes", () => {
  const common = OPTIONS.filter((o) => o.common || o.elsewhere !== undefined).map((o) => o.name);
  for (const command of Object.keys(COMMAND_HELP) as (keyof typeof COMMAND_HELP)[]) {
    const listedByForms = COMMANDS[command].forms.flatMap(formOptions);
    const takes = new Set([...listedByForms, ...common]);
    const help = commandHelp(command);
    // The options listed: each line of the help's option columns that starts with one.
    const listed = help.split('\n').flatMap((line) => /^ {2}(--[a-z][a-z-]*)/.exec(line)?.[1] ?? []);
    assert.deepEqual(
      listed.filter((name) => !takes.has(name)),
      [],
      `${command} --help lists options it refuses`,
    );
    assert.deepEqual(
      [...takes].filter((name) => !listed.includes(name)),
      [],
      `${command} --help does not list options it takes`,
    );
    // Every option but the common ones is on a usage line, none it refuses, and the usage lines lead the help.
    const usage = shown(usageLines(command));
    assert.deepEqual(
      [...usage].filter((name) => !takes.has(name)),
      [],
      `${command}'s usage lines show options it refuses`,
    );
    assert.deepEqual(
      [...takes].filter(
        (name) => !OPTIONS.find((o) => o.name === name)!.common && listedByForms.includes(name) && !usage.has(name),
      ),
      [],
      `${command}'s usage lines lack options it takes`,
    );
    assert.ok(help.startsWith(usageLines(command)));
  }
});

test("the runner list is the engine's (auto included), in the help and in the parser", () => {
  for (const runner of LAYER_RUNNERS) {
    assert.equal(parse(['feature', 'x', '--runner', runner]).runner, runner);
    assert.match(commandHelp('feature'), new RegExp(`\\b${runner}\\b`));
  }
  assert.ok(refuses(['feature', 'x', '--runner', 'cursor']));
  assert.match(generalHelp(), /--runner NAME\s+feature, bugfix, audit, approve: .*auto/s);
});

test('the cases issue 59 found: audit takes no --attempts; approve takes --attempts, --runner, --pool, --labels and shows them', () => {
  assert.ok(refuses(['audit', 'server', '--attempts', '2']));
  assert.doesNotMatch(commandHelp('audit'), /--attempts/);
  for (const name of ['--attempts', '--runner', '--pool', '--labels'])
    assert.match(usageLines('approve'), new RegExp(name));
  assert.equal(
    parse(['approve', 's', '--attempts', '2', '--runner', 'auto', '--pool', '--labels', 'gpu']).attempts,
    '2',
  );
  assert.match(usageLines('feature'), /\[--attempts N\]/);
  assert.equal(parse(['init', '--github-action']).githubAction, true);
  assert.ok(refuses(['init', '--github-action', '--ci', 'github']));
});

test('docs/cli.md names every option of the table', () => {
  const page = readFileSync(join(__dirname, '../../../docs/cli.md'), 'utf8');
  const missing = OPTIONS.filter((o) => !new RegExp(`${o.name}(?![a-z-])`).test(page)).map((o) => o.name);
  assert.deepEqual(missing, []);
});

test('every command of the parser is in the table and its help (help and version aside)', () => {
  const commands = Object.keys(COMMANDS) as CommandName[];
  assert.deepEqual(commands.filter((c) => !(c in COMMAND_HELP)).sort(), ['help', 'version']);
});
