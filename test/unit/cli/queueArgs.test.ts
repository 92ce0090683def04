// `orchestrator mcp` and `orchestrator task …` arguments: what each subcommand takes, and clear
// usage errors (exit 2) for the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../../src/cli/args';
import { commandHelp } from '../../../src/cli/help';
import { TASK_STATUSES } from '../../../src/core/queue';

const parse = (...argv: string[]) => parseArgs(argv, '/ws');

test('task add, list and review take their own arguments and options', () => {
  const add = parse('task', 'add', 'Product entity module', '--description', 'like customer.js', '--source', 'jira');
  assert.deepEqual(
    [add.command, add.subcommand, add.positional, add.description, add.source],
    ['task', 'add', 'Product entity module', 'like customer.js', 'jira'],
  );
  const list = parse('task', 'list', '--status', 'review_pending', '--json');
  assert.deepEqual([list.subcommand, list.status, list.json], ['list', 'review_pending', true]);
  const review = parse('task', 'review', 't-0123456789', '--reject', '--comment', 'use the pattern');
  assert.deepEqual(
    [review.subcommand, review.positional, review.reject, review.approve, review.comment],
    ['review', 't-0123456789', true, false, 'use the pattern'],
  );
  assert.equal(parse('task', 'review').positional, undefined);
  assert.equal(parse('mcp', '--http', '8765').http, '8765');
  assert.equal(parse('mcp').http, undefined);
});

test('task and mcp usage errors say what is wrong', () => {
  const cases: [string[], RegExp][] = [
    [['task'], /task needs add, list or review \(got nothing\)/],
    [['task', 'remove'], /task needs add, list or review \(got "remove"\)/],
    [['task', 'add'], /task add needs one quoted title/],
    [['task', 'add', 'two', 'words'], /task add needs one quoted title/],
    [['task', 'list', 'extra'], /task list takes nothing/],
    [['task', 'list', '--comment', 'x'], /--comment is not an option of task list/],
    [
      ['task', 'add', 'x', '--approve'],
      /--approve is not an option of task add; --approve belongs to [^;]*task review/,
    ],
    [['task', 'review', '--approve', '--reject'], /not both/],
    [['mcp', '--http', 'eighty'], /--http needs a port number/],
    [['feature', 'x', '--reject'], /--reject belongs to task review/],
    [['feature', 'x', '--description', 'y'], /--description belongs to task/],
  ];
  for (const [argv, message] of cases)
    assert.throws(
      () => parse(...argv),
      (e: unknown) => e instanceof UsageError && message.test(e.message),
      argv.join(' '),
    );
});

test("task list --status takes the queue's statuses, which its help lists; another is a usage error naming them", () => {
  for (const status of TASK_STATUSES) assert.equal(parse('task', 'list', '--status', status).status, status);
  assert.throws(
    () => parse('task', 'list', '--status', 'open'),
    (e: unknown) =>
      e instanceof UsageError &&
      e.message === `--status needs one of ${TASK_STATUSES.join(', ')} (got "open")` &&
      e.command === 'task',
  );
  const help = commandHelp('task').replace(/\s+/g, ' ');
  assert.match(help, new RegExp(`--status S list: only tasks in this status: ${TASK_STATUSES.join(', ')}`));
});
