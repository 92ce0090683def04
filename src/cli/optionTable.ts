/**
 * Every option of the CLI, once (issue 59): the parser reads it, the help and the usage lines
 * print it, and commandTable.ts says which command takes which. A value is checked here, so a
 * bad one is a usage error (exit 2) whichever command it came with.
 */
import { LAYER_RUNNERS, MAX_ATTEMPTS } from '../core/text/runnerNames';
import { assignment, matching, numberOf, type OptionSpec } from './optionValues';
import { POOL_WORKER_OPTIONS, QUEUE_OPTIONS } from './serviceOptions';
import { UsageError } from './usageError';

export type { OptionSpec } from './optionValues';

const runnerList = `${LAYER_RUNNERS.filter((r) => r !== 'auto').join(', ')}, or auto`;

export const OPTIONS: readonly OptionSpec[] = [
  // Every command's.
  {
    name: '--workspace',
    kind: 'value',
    key: 'workspace',
    value: 'DIR',
    what: 'a directory',
    common: true,
    example: '/elsewhere',
    help: 'the project folder (default: current directory)',
  },
  {
    name: '--json',
    kind: 'flag',
    key: 'json',
    common: true,
    help: 'print one JSON summary on stdout (a usage error too: {"status": "error", "error": …})',
  },
  { name: '--help', alias: '-h', kind: 'flag', key: 'help', common: true, help: "this command's help" },
  {
    name: '--version',
    alias: '-v',
    kind: 'flag',
    key: 'version',
    help: 'print the version and the commit it was built from (--verbose: also Node and the sandbox: what it enforces here, or what to install)',
  },
  { name: '--verbose', kind: 'flag', key: 'verbose', help: 'with --version: also Node and the sandbox' },
  // Runs.
  {
    name: '--approve',
    kind: 'flag',
    key: 'approve',
    help: 'approve without asking: the spec, then implement it (the amendment: change; the artifact: task review)',
  },
  {
    name: '--yes',
    alias: '-y',
    kind: 'flag',
    key: 'yes',
    help: 'answer yes to confirmations (large deletions, many files, schema changes)',
    elsewhere: 'accepted and ignored: <command> asks no confirmation (a script may pass --yes to every command)',
  },
  {
    name: '--worktree',
    kind: 'flag',
    key: 'worktree',
    help: 'run in its own git worktree outside the checkout (isolation: worktree); nothing reaches your files before `apply`',
  },
  {
    name: '--runner',
    kind: 'value',
    key: 'runner',
    value: 'NAME',
    allowed: LAYER_RUNNERS,
    example: 'auto',
    help: `every layer on one runner: ${runnerList}: each layer on the runner and model with the best record for it among attemptRunners; with --pool it travels with the run, and only a worker with that CLI takes it (docs/runners.md)`,
  },
  {
    name: '--pool',
    kind: 'flag',
    key: 'pool',
    help: 'put the run in the pool of workers (queue.url), with your uncommitted changes, and print its id (docs/pool.md)',
  },
  {
    name: '--labels',
    kind: 'value',
    key: 'labels',
    value: 'a,b',
    what: 'labels, such as gpu,claude-code',
    example: 'gpu,claude-code',
    read: matching(
      '--labels',
      /^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/,
      'names separated by commas, such as gpu,claude-code',
    ),
    help: 'with --pool: the labels a worker needs to take the run',
  },
  {
    name: '--attempts',
    kind: 'value',
    key: 'attempts',
    value: 'N',
    what: `a whole number from 1 to ${MAX_ATTEMPTS}`,
    example: '3',
    read: (v) => (
      numberOf(
        '--attempts',
        (n) => Number.isInteger(n) && n >= 1 && n <= MAX_ATTEMPTS,
        `a whole number from 1 to ${MAX_ATTEMPTS}`,
      )(v),
      v
    ),
    help: `try every layer N times (1–${MAX_ATTEMPTS}), each attempt in its own worktree, and keep the one its proof tests and checks prove best; kept by the run (docs/attempts.md)`,
  },
  {
    name: '--workflow',
    kind: 'value',
    key: 'workflow',
    value: 'NAME',
    what: 'a workflow name (orchestrator workflows lists them)',
    example: 'slice',
    help: 'follow the workflow NAME (.claude/workflows/NAME.yaml, or the shipped feature, slice, squads; default feature)',
  },
  {
    name: '--allow-untested',
    kind: 'flag',
    key: 'allowUntested',
    help: "a workflow gate's trace check (slice's F) records a requirement with no test as waived, in the matrix and the journal, instead of failing; kept by the run once given, and carried to the worker with --pool (in VS Code: Allow untested… on the phase's step)",
  },
  {
    name: '--allow-unchecked',
    kind: 'flag',
    key: 'allowUnchecked',
    help: 'a run in which a layer changed files that no proof test and no validate command checked completes, naming them, instead of ending `unchecked` (exit 3); kept by the run once given (as allowUnchecked: true in the config)',
  },
  {
    name: '--dry-run',
    kind: 'flag',
    key: 'dryRun',
    help: 'show what the run would do here — the census or the config, the layers with their owns and validate gates, the proof folders and their commands, the waves and phases, what is unverified, the runner and model of each agent, what would stop it — with no model call and nothing written (no key needed)',
  },
  {
    name: '--assign',
    kind: 'repeatable',
    key: 'assign',
    value: '"<task>=<layer>"',
    what: '<task id>=<layer>, such as "3.2=backend"',
    read: assignment,
    example: 'T020=backend',
    help: 'the layer of a task that names no file (repeatable), e.g. --assign "T020=backend"; written into the spec\'s task line before approving',
  },
  // Audits (and init --ci, resume).
  {
    name: '--dimension',
    kind: 'value',
    key: 'dimension',
    value: 'D[,D…]',
    what: 'a value: a dimension (backend, or several: backend,security)',
    example: 'backend,security',
    help: 'the dimension to audit; several at once (backend,security,tests): each scored, the lowest must reach the target',
  },
  {
    name: '--target',
    kind: 'value',
    key: 'target',
    value: 'N',
    what: 'a value: a score from 0 to 100',
    example: '90',
    read: numberOf('--target', (n) => n >= 0 && n <= 100, 'a score from 0 to 100'),
    help: 'the score to reach, 0 to 100',
  },
  {
    name: '--max-iterations',
    kind: 'value',
    key: 'maxIterations',
    value: 'N',
    what: 'a value: a whole number ≥ 0',
    example: '3',
    read: numberOf(
      '--max-iterations',
      (n) => Number.isInteger(n) && n >= 0,
      'a whole number ≥ 0 (0: score only, change nothing)',
    ),
    help: 'at most N audit rounds (0: score only, change nothing)',
  },
  {
    name: '--max-budget',
    kind: 'value',
    key: 'maxBudget',
    value: 'USD',
    what: 'a value: an amount of USD above 0',
    example: '2.5',
    read: numberOf('--max-budget', (n) => n > 0, 'an amount of USD above 0'),
    help: 'a budget in USD: for the audit (init --ci github: for each audit), or raised for the run resumed',
  },
  // init.
  { name: '--force', kind: 'flag', key: 'force', help: 'replace an existing config, keeping orchestrator.yaml.bak' },
  { name: '--no-verify', kind: 'flag', key: 'noVerify', help: 'run none of the proposed commands' },
  {
    name: '--verify-budget',
    kind: 'value',
    key: 'verifyBudget',
    value: 'SECONDS',
    what: 'a whole number of seconds ≥ 1',
    example: '120',
    read: numberOf('--verify-budget', (n) => Number.isInteger(n) && n >= 1, 'a whole number of seconds ≥ 1'),
    help:
      "a cap on verification's time from init's start (default: none, every proposed command gets its verdict); " +
      'a command not verified by then is kept unverified, as Ctrl-C keeps it',
  },
  {
    name: '--ci',
    kind: 'value',
    key: 'ci',
    value: 'github',
    what: 'a CI provider (github)',
    example: 'github',
    read: (v) => {
      if (v !== 'github') throw new UsageError(`--ci supports github (got "${v}")`);
      return v;
    },
    help: "write .github/workflows/orchestrator-checks.yml (and the vendored Action it runs) instead: score each pull request's tree to a target, verify --all for drift, report and workbook as artifacts (the key from the repository secret ANTHROPIC_API_KEY); --force replaces them",
  },
  {
    name: '--github-action',
    kind: 'flag',
    key: 'githubAction',
    help: "write the GitHub Action into .github/actions/orchestrator/ (this installation's files, pinned by your commit) and .github/workflows/orchestrator.yml, which runs it on labelled issues and the Orchestrator's commands; --force replaces them",
  },
  // Worktree runs, attempts, the record.
  {
    name: '--branch',
    kind: 'flag',
    key: 'branch',
    inline: 'NAME',
    help: 'keep it as a branch instead (default orchestrator/<spec>)',
  },
  {
    name: '--use',
    kind: 'value',
    key: 'use',
    value: '<layer>/<k>',
    what: '<layer>/<k>, such as backend/2',
    example: 'backend/2',
    read: matching('--use', /^[A-Za-z0-9_-]+\/[1-9]\d*$/, '<layer>/<k>, such as backend/2'),
    help: 'use attempt k of the layer instead of the one kept (one that passed its validation)',
  },
  {
    name: '--layer',
    kind: 'value',
    key: 'layer',
    value: 'L',
    what: 'a layer name',
    example: 'backend',
    help: "only layer L's rows",
  },
  {
    name: '--since',
    kind: 'value',
    key: 'since',
    value: 'D',
    what: 'a date (2026-11-01) or a number of days (30d)',
    example: '30d',
    help: 'only outcomes since a date (2026-11-01) or the last days (30d)',
  },
  ...POOL_WORKER_OPTIONS,
  // Drift.
  { name: '--all', kind: 'flag', key: 'all', help: 'one line per completed spec' },
  { name: '--strict', kind: 'flag', key: 'strict', help: 'exit 1 on changed too' },
  {
    name: '--combined',
    kind: 'flag',
    key: 'combined',
    help: "check workspace: run each member's validate commands, producers first, with its producers' work trees linked in (exit 1 when one fails)",
  },
  {
    name: '--onto',
    kind: 'value',
    key: 'onto',
    value: '<branch>',
    what: 'a branch name',
    example: 'main',
    read: matching('--onto', /^[\w][\w./-]{0,200}$/, 'a branch name'),
    help: 'the branch the batches merge on (default main)',
  },
  {
    name: '--affected',
    kind: 'value',
    key: 'affected',
    value: 'BASE..HEAD',
    what: 'a range of two commits',
    example: 'main..HEAD',
    help: "only the completed specs whose files, tests or proof tests the range's change touches",
  },
  {
    name: '--explain',
    kind: 'flag',
    key: 'explain',
    help: 'the review agent judges the changed requirements against their criteria',
  },
  {
    name: '--strength',
    kind: 'flag',
    key: 'strength',
    help: "mutate the lines changed since the base its run journaled and run each criterion's proof tests against them",
  },
  // Traceability and events.
  {
    name: '--xlsx',
    kind: 'value',
    key: 'xlsx',
    value: 'FILE',
    what: 'a file',
    example: 'matrix.xlsx',
    help: 'write the workbook (sheet Traceability)',
  },
  {
    name: '--md',
    kind: 'value',
    key: 'md',
    value: 'FILE',
    what: 'a file',
    example: 'matrix.md',
    help: 'write the Markdown matrix to a file',
  },
  {
    name: '--format',
    kind: 'value',
    key: 'format',
    allowed: ['cloudevents', 'journal'],
    what: 'cloudevents or journal',
    example: 'journal',
    help: 'the output format',
  },
  // The task queue, the portal.
  ...QUEUE_OPTIONS,
];

/**
 * A flag removed or renamed keeps working for one minor version: the parser reads it as its
 * replacement (none: ignored) and says so on stderr in one line. The next rename is one entry here,
 * e.g. `{ name: '--old', replacement: '--new', goesIn: '0.3.0' }`; a unit test fails once
 * package.json's version reaches `goesIn`, when the entry is to go.
 */
export interface DeprecatedOption {
  /** `--old` (or `-o`), as typed. */
  name: string;
  /** The option that replaces it (its value is kept); absent: removed, accepted and ignored. */
  replacement?: string;
  /** Removed with no replacement, it took a value (`--old V`): V is dropped with it. */
  value?: boolean;
  /** The version without it: one minor version after the one that deprecated it. */
  goesIn: string;
}

export const DEPRECATED_OPTIONS: readonly DeprecatedOption[] = [];

/** A deprecated token read as its replacement (undefined: dropped), and the line that says so; undefined: not deprecated. */
export function deprecatedOf(
  token: string,
  table: readonly DeprecatedOption[] = DEPRECATED_OPTIONS,
): { token: string | undefined; skip: number; warning: string } | undefined {
  const name = token.startsWith('--') ? token.split('=')[0]! : token;
  const entry = table.find((d) => d.name === name);
  if (!entry) return undefined;
  const value = token.slice(name.length);
  return {
    token: entry.replacement === undefined ? undefined : `${entry.replacement}${value}`,
    skip: entry.replacement === undefined && entry.value && !value ? 1 : 0,
    warning: `orchestrator: ${name} is deprecated and goes in ${entry.goesIn}: ${entry.replacement === undefined ? 'it is ignored' : `use ${entry.replacement}`}`,
  };
}

const byName = new Map(OPTIONS.flatMap((o) => [[o.name, o] as const, ...(o.alias ? [[o.alias, o] as const] : [])]));

/** The option a token names (`--runner`, `--runner=codex`, `-y`), if any. */
export function optionOf(token: string): OptionSpec | undefined {
  return byName.get(token.startsWith('--') ? token.split('=')[0]! : token);
}

export function option(name: string): OptionSpec {
  const found = byName.get(name);
  if (!found) throw new Error(`no option ${name} in the CLI's table`);
  return found;
}

/** `--runner NAME`, `--format cloudevents|journal`, `--branch[=NAME]`, `--yes`: as usage lines and help show it. */
export function optionText(spec: OptionSpec): string {
  if (spec.inline) return `${spec.name}[=${spec.inline}]`;
  if (spec.kind === 'flag') return spec.name;
  return `${spec.name} ${spec.value ?? spec.allowed!.join('|')}`;
}

/** The value a `value` or `repeatable` option was given, read and checked. */
export function readValue(spec: OptionSpec, value: string | undefined): unknown {
  if (value === undefined || value === '')
    throw new UsageError(
      spec.allowed ? `${spec.name} needs one of ${spec.allowed.join(', ')}` : `${spec.name} needs ${spec.what}`,
    );
  if (spec.allowed && !spec.allowed.includes(value))
    throw new UsageError(`${spec.name} needs one of ${spec.allowed.join(', ')} (got "${value}")`);
  return spec.read ? spec.read(value) : value;
}
