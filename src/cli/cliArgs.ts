/** What the command line says once parsed (args.ts): the command and every option it may carry. */
import type { LayerRunner } from '../core/text/runnerNames';

export type CommandName =
  | 'init'
  | 'feature'
  | 'bugfix'
  | 'audit'
  | 'specs'
  | 'approve'
  | 'resume'
  | 'runs'
  | 'rollback'
  | 'gc'
  | 'help'
  | 'version'
  | 'demo'
  // Traceability and events (issue 10).
  | 'trace'
  | 'events'
  // The task queue over MCP (issue 11).
  | 'mcp'
  | 'task'
  // The supervisor portal (issue 21).
  | 'serve'
  | 'user'
  // Change requests and drift (issue 23).
  | 'change'
  | 'verify'
  // Runs in worktrees (issue 22).
  | 'apply'
  | 'discard'
  // Workflows (issue 29).
  | 'workflows'
  | 'workflow'
  | 'check'
  // The pool of workers (issue 28).
  | 'worker'
  // Agent runners (issue 27).
  | 'runners'
  // Attempts (issue 47).
  | 'attempts'
  // Our merge queue (issue 74).
  | 'queue'
  // A change-set's pull requests as one set, merged in order (issue 73).
  | 'publish'
  | 'merge';

export interface CliArgs {
  command: CommandName;
  positional?: string;
  workspace: string;
  json: boolean;
  /** `--version --verbose`: also what this machine enforces (the sandbox). */
  verbose: boolean;
  approve: boolean;
  yes: boolean;
  /** A removed or renamed flag given: one line each, for stderr (optionTable.ts's DEPRECATED_OPTIONS). */
  warnings?: string[];
  /** `audit` (and `resume --max-budget`): the audit's dimension, target score, iteration cap and budget. */
  dimension?: string;
  target?: number;
  maxIterations?: number;
  maxBudget?: number;
  /** `check workspace --combined`: the members' checks on their combined heads. */
  combined?: boolean;
  /** `verify --affected base..head`. */
  affected?: string;
  /** `queue <branch>… --onto TARGET`: the branches merged in batches, and where. */
  branches?: string[];
  onto?: string;
  /** `trace --xlsx FILE --md FILE`, `events --format cloudevents|journal`. */
  xlsx?: string;
  /** `init --ci github`: write the CI workflow that audits pull requests. */
  ci?: string;
  /** `init --github-action`: write the GitHub Action into .github/actions/orchestrator/ and the workflow that uses it. */
  githubAction: boolean;
  md?: string;
  format?: string;
  /** `task add|list|review` */
  subcommand?: 'add' | 'list' | 'review' | 'token' | 'check' | 'stats';
  /** `mcp --http PORT`, `task add --description --source`, `task list --status`, `task review --comment --reject`. */
  http?: string;
  description?: string;
  source?: string;
  status?: string;
  comment?: string;
  reject: boolean;
  /** `serve --port N --host H`, `user add <name> --role R --email E`, `user token <name> --revoke`. */
  port?: string;
  host?: string;
  role?: string;
  /** The email an OpenID Connect sign-in maps to ('-' removes it). */
  email?: string;
  revoke: boolean;
  /** `change <runId> "<request>"`: the request (the run id is `positional`). */
  request?: string;
  /** `verify --all --strict --explain`. */
  all: boolean;
  strict: boolean;
  explain: boolean;
  /** `verify --strength`: mutants of the lines changed since the spec's base, against its proof tests. */
  strength: boolean;
  /** `init --force` (replace an existing config, keeping a .bak) and `--no-verify` (run no proposed command). */
  force: boolean;
  noVerify: boolean;
  /** `init --verify-budget SECONDS`: a cap on verification's time from init's start (default none: issue 70). */
  verifyBudget?: number;
  /** `--worktree`: the run works in its own git worktree (isolation: worktree). */
  worktree: boolean;
  /** `--workflow NAME`: the workflow a feature or bugfix follows (issue 29). */
  workflow?: string;
  /** `--allow-untested` (feature, approve, resume): a workflow gate's `trace` check records a requirement with no test as waived instead of failing. */
  allowUntested: boolean;
  /** `--allow-unchecked` (feature, bugfix, approve, resume): a change nothing checked completes, named, instead of ending `unchecked`. */
  allowUnchecked: boolean;
  /** `--dry-run` (feature, bugfix): what the run would do, with no model call and nothing written (issue 71). */
  dryRun: boolean;
  /** `--runner NAME`: every layer of the run on this runner (issue 27). */
  runner?: LayerRunner;
  /** `--attempts N` (feature, bugfix, approve): every layer tried N times, one kept (issue 47); checked to be 1 to MAX_ATTEMPTS. */
  attempts?: string;
  /** `attempts <runId> --use <layer>/<k>`: that attempt instead of the one kept. */
  use?: string;
  /** `apply --branch[=NAME]`: keep the run as a branch instead of applying it; `check workspace --combined --branch=NAME`: each member at that branch. */
  branch?: string | true;
  /** `approve --assign "3.2=backend"` (repeatable): the layer of a task that names no file. */
  assign?: { task: string; layer: string }[];
  /** `--pool`: the run goes to the pool of workers (`runs --pool`: list the pool's runs). */
  pool: boolean;
  /** `runs --pool --watch`: then every change as it happens (LISTEN/NOTIFY), until Ctrl-C. */
  watch: boolean;
  /** `worker --max-runs N --labels a,b --name N`; `--labels` on a pooled run: the labels its worker needs. */
  maxRuns?: string;
  labels?: string;
  name?: string;
  /** `runners stats --layer L --since D` (issue 47): one layer's rows; outcomes since a date or for the last days. */
  layer?: string;
  since?: string;
}
