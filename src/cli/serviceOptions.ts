// The options of the pool's worker and of the task queue and its portal: split from optionTable.ts, which lists them.
// The queue's task statuses (`task list --status`): the CLI has the engine loaded from its start.
import { TASK_STATUSES } from '../core/engineBundle';
import { numberOf, port, type OptionSpec } from './optionValues';
import { UsageError } from './usageError';

export const POOL_WORKER_OPTIONS: readonly OptionSpec[] = [
  {
    name: '--max-runs',
    kind: 'value',
    key: 'maxRuns',
    value: 'N',
    what: 'a whole number ≥ 1',
    example: '2',
    read: (v) => (numberOf('--max-runs', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1')(v), v),
    help: 'runs at once (default 1)',
  },
  {
    name: '--name',
    kind: 'value',
    key: 'name',
    value: 'N',
    what: "the worker's name",
    example: 'ci-1',
    read: (v) => {
      if (!/^[\x21-\x7e]{1,100}$/.test(v))
        throw new UsageError('--name needs a name of printable characters without spaces (at most 100)');
      return v;
    },
    help: 'its name in the pool (default <host>/<pid>)',
  },
  { name: '--watch', kind: 'flag', key: 'watch', help: 'then each change as it happens, until Ctrl-C' },
];

export const QUEUE_OPTIONS: readonly OptionSpec[] = [
  {
    name: '--http',
    kind: 'value',
    key: 'http',
    value: 'PORT',
    what: 'a port',
    example: '8765',
    read: port('--http'),
    help: 'serve over HTTP on this port instead of stdio',
  },
  {
    name: '--description',
    kind: 'value',
    key: 'description',
    value: 'TEXT',
    what: 'a text',
    example: 'like customer.js',
    help: "the task's description",
  },
  {
    name: '--source',
    kind: 'value',
    key: 'source',
    value: 'S',
    what: 'a name',
    example: 'jira',
    help: 'where it came from',
  },
  {
    name: '--status',
    kind: 'value',
    key: 'status',
    value: 'S',
    allowed: TASK_STATUSES,
    example: 'pending',
    help: `only tasks in this status: ${TASK_STATUSES.join(', ')}`,
  },
  { name: '--reject', kind: 'flag', key: 'reject', help: 'reject the artifact' },
  {
    name: '--comment',
    kind: 'value',
    key: 'comment',
    value: 'TEXT',
    what: 'a text',
    example: 'use the pattern',
    help: 'a comment for the claimer',
  },
  {
    name: '--port',
    kind: 'value',
    key: 'port',
    value: 'N',
    what: 'a port',
    example: '0',
    read: port('--port'),
    help: 'the port to listen on (default 7373; 0 picks a free one)',
  },
  {
    name: '--host',
    kind: 'value',
    key: 'host',
    value: 'H',
    what: 'an address to listen on',
    example: '127.0.0.1',
    help: 'the address to listen on (default 127.0.0.1; another address needs HTTPS in front, or you get a warning)',
  },
  {
    name: '--role',
    kind: 'value',
    key: 'role',
    value: 'R',
    what: 'admin, supervisor or agent',
    example: 'agent',
    help: 'admin, supervisor or agent',
  },
  {
    name: '--email',
    kind: 'value',
    key: 'email',
    value: 'E',
    what: 'an email address',
    example: 'ann@example.com',
    help: 'its OpenID Connect sign-in (- removes it)',
  },
  { name: '--revoke', kind: 'flag', key: 'revoke', help: "the account's token stops working at once" },
];
