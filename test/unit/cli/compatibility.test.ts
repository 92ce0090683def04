// Issue 71 item 1: scripts written for the previous release keep working. Every command accepts
// --yes (one that asks nothing ignores it, and its help says so); a removed or renamed flag keeps
// working for one minor version with one line on stderr; the previous release's documented
// command lines all parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, UsageError } from '../../../src/cli/args';
import { COMMANDS, formOptions } from '../../../src/cli/commandTable';
import { commandHelp, type Documented } from '../../../src/cli/help';
import { DEPRECATED_OPTIONS, optionOf, type DeprecatedOption } from '../../../src/cli/optionTable';

const ROOT = join(__dirname, '../../..');
const parse = (argv: string[], deprecated?: readonly DeprecatedOption[]) => parseArgs(argv, '/ws', deprecated);

interface Documented01 {
  release: string;
  lines: { text: string; argv: string[]; at: string[]; wrongThen?: string }[];
}

test("the previous release's documented command lines (README, docs, examples) all parse, but those it refused too, each with why", () => {
  const fixture = JSON.parse(
    readFileSync(join(ROOT, 'test/fixtures/cli/documented-0.1.0.json'), 'utf8'),
  ) as Documented01;
  assert.equal(fixture.release, '0.1.0');
  assert.ok(fixture.lines.length > 100, 'the whole list');
  const refused: string[] = [];
  for (const line of fixture.lines) {
    if (line.wrongThen !== undefined) {
      assert.ok(line.wrongThen.length > 20, `${line.text}: why`);
      continue;
    }
    try {
      parse(line.argv);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      refused.push(`${line.text} (${line.at.join(', ')}): ${error.message}`);
    }
  }
  assert.deepEqual(refused, []);
});

test('every command and form accepts --yes and -y; a command that asks nothing ignores it and its help says so', () => {
  // The lines issue 71 found exiting 2 after an upgrade.
  for (const argv of [
    ['apply', 'r1', '--yes'],
    ['discard', 'r1', '--yes'],
    ['task', 'review', 't1', '--approve', '--yes'],
    ['demo', '--yes'],
  ])
    assert.equal(parse(argv).yes, true, argv.join(' '));
  for (const [command, spec] of Object.entries(COMMANDS)) {
    for (const form of spec.forms) {
      for (const flag of ['--yes', '-y']) {
        const args = parse([...form.example, flag]);
        assert.equal(args.yes, true, `${form.example.join(' ')} ${flag}`);
        assert.deepEqual({ ...args, yes: false }, parse(form.example), `${flag} changes nothing else`);
      }
    }
    if (spec.about === undefined) continue;
    const asks = spec.forms.some((form) => formOptions(form).includes('--yes'));
    const help = commandHelp(command as Documented);
    assert.match(help, /^ {2}--yes, -y\s/m, `${command} --help lists --yes`);
    if (asks) assert.doesNotMatch(help, /ignored/, command);
    else
      assert.match(
        help,
        new RegExp(`--yes, -y\\s+accepted and ignored: ${command} asks no confirmation`),
        `${command} --help says it ignores --yes`,
      );
  }
  assert.match(commandHelp('feature'), /--yes, -y\s+answer yes to confirmations/);
});

test('resume takes --approve again, as 0.1.0 did: the gates the resumed run reaches are approved', () => {
  assert.equal(parse(['resume', '--approve']).approve, true);
  assert.equal(parse(['resume', 'r1', '--approve', '--yes']).approve, true);
  assert.match(commandHelp('resume'), /--approve\s+approve the gates the resumed run reaches/);
});

test('a renamed flag works as its replacement with one line on stderr; a removed one is ignored, its value with it', () => {
  const table: DeprecatedOption[] = [
    { name: '--attempt-count', replacement: '--attempts', goesIn: '0.3.0' },
    { name: '--keep-branch', replacement: '--branch', goesIn: '0.3.0' },
    { name: '--fast', goesIn: '0.3.0' },
    { name: '--cost-cap', value: true, goesIn: '0.3.0' },
  ];
  const renamed = parse(['feature', 'Add a thing', '--attempt-count', '3'], table);
  assert.equal(renamed.attempts, '3');
  assert.deepEqual(renamed.warnings, ['orchestrator: --attempt-count is deprecated and goes in 0.3.0: use --attempts']);
  assert.equal(parse(['feature', 'Add a thing', '--attempt-count=2'], table).attempts, '2');
  assert.equal(parse(['apply', 'r1', '--keep-branch=mine'], table).branch, 'mine');
  // Its value is still checked as the replacement's.
  assert.throws(() => parse(['feature', 'x', '--attempt-count', '99'], table), /--attempts needs a whole number/);
  const removed = parse(['feature', 'Add a thing', '--fast', '--cost-cap', '5', '--yes'], table);
  assert.equal(removed.positional, 'Add a thing', 'the removed option took its value along');
  assert.equal(removed.yes, true);
  assert.deepEqual(removed.warnings, [
    'orchestrator: --fast is deprecated and goes in 0.3.0: it is ignored',
    'orchestrator: --cost-cap is deprecated and goes in 0.3.0: it is ignored',
  ]);
  // Without the table the old names are unknown options (exit 2), and nothing else warns.
  assert.throws(() => parse(['feature', 'x', '--attempt-count', '3']), /unknown option --attempt-count/);
  assert.equal(parse(['feature', 'x', '--attempts', '3']).warnings, undefined);
});

test('each deprecated flag goes within one minor version, replaced by an option of the table', () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const [major, minor] = version.split('.').map(Number) as [number, number];
  for (const entry of DEPRECATED_OPTIONS) {
    const [gMajor, gMinor] = entry.goesIn.split('.').map(Number) as [number, number];
    assert.ok(
      gMajor > major || (gMajor === major && gMinor > minor),
      `${entry.name} was to go in ${entry.goesIn}; this is ${version}: remove its entry (and say so in CHANGELOG.md)`,
    );
    assert.ok(gMajor > major || gMinor <= minor + 1, `${entry.name}: one minor version, not ${entry.goesIn}`);
    assert.equal(optionOf(entry.name), undefined, `${entry.name} is still an option`);
    if (entry.replacement !== undefined) assert.ok(optionOf(entry.replacement), `${entry.replacement} is no option`);
  }
});
