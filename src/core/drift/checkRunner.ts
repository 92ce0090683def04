/**
 * The checks drift runs again: each layer's `validate` commands, the project's test commands
 * (`audit.test`) and the proof tests (`proof.command`), through the same command runner as a run's VALIDATE (the minimal
 * environment, `commandTimeoutSec`, no model key), only in a trusted workspace. Each command
 * runs once per verify session, however many specs or requirements ask for it: `verify --all`
 * costs the project's commands once.
 */
import { redactSecrets } from '../text/secrets';
import { commandSandbox, runCommand, trimErrorOutput, type CommandResult } from '../process';
import type { OrchestratorConfig } from '../project/config';
import type { CheckResult } from './types';

export interface TestRun {
  command: string;
  result: CheckResult;
  /** The whole (bounded) output, for telling which tests failed. */
  output: string;
}

export class CheckRunner {
  private readonly runs = new Map<string, Promise<CommandResult | undefined>>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly workspace: string,
    private readonly config: OrchestratorConfig,
    private readonly trusted: boolean,
    private readonly signal?: AbortSignal,
    private readonly onCommand: (command: string) => void = () => {},
    /** Another commit's worktree (commitProbes.ts): writable, the user's checkout hidden but its linked folders. */
    private readonly place: { worktree: string; checkout: string } | undefined = undefined,
  ) {}

  /** The layer's validate commands, in order; after the first failure the rest do not run (as in VALIDATE). */
  async validate(layer: string): Promise<CheckResult[]> {
    const commands = this.config.layers[layer]?.validate ?? [];
    const results: CheckResult[] = [];
    for (const command of commands) {
      if (results.some((r) => r.outcome === 'failed')) {
        results.push({
          kind: 'validate',
          layer,
          command,
          outcome: 'not-run',
          detail: 'an earlier validate command of the layer failed',
        });
        continue;
      }
      const { result } = await this.run('validate', command);
      results.push({ ...result, layer });
    }
    return results;
  }

  /** Every `audit.test` command, each with its output. */
  async tests(): Promise<TestRun[]> {
    return Promise.all(this.config.audit.test.map((command) => this.run('test', command)));
  }

  /**
   * A proof command with its files (proof.command, docs/proof.md), with its output: under the same
   * rules as the tests. `again`: run it once more rather than reuse this session's run (a failure's retry).
   */
  async proof(command: string, again = false): Promise<TestRun> {
    return this.run('proof', command, again);
  }

  private async run(kind: CheckResult['kind'], command: string, again = false): Promise<TestRun> {
    if (!this.trusted)
      return {
        command,
        output: '',
        result: {
          kind,
          command,
          outcome: 'not-run',
          detail: 'the workspace is not trusted (Restricted Mode): no command of it runs',
        },
      };
    // The retry is kept as the first run is: every spec sharing the command reads the same two runs.
    const key = again ? `again\0${command}` : command;
    let pending = this.runs.get(key);
    if (!pending) {
      pending = this.execute(command);
      this.runs.set(key, pending);
    }
    const done = await pending;
    if (!done) return { command, output: '', result: { kind, command, outcome: 'not-run', detail: 'cancelled' } };
    const output = redactSecrets(done.output).text;
    const passed = done.exitCode === 0;
    return {
      command,
      output,
      result: {
        kind,
        command,
        outcome: passed ? 'passed' : 'failed',
        exitCode: done.exitCode,
        ...(passed ? {} : { detail: trimErrorOutput(output, 1500) }),
      },
    };
  }

  private execute(command: string): Promise<CommandResult | undefined> {
    // One command at a time: builds and test runners are heavy, and their output stays readable.
    const run = this.queue.then(async () => {
      if (this.signal?.aborted) return undefined;
      this.onCommand(command);
      const sandbox = commandSandbox(this.config, { workspace: this.workspace, command, ...this.place });
      const result = await runCommand(command, {
        cwd: this.workspace,
        timeoutSec: this.config.limits.commandTimeoutSec,
        commandEnv: this.config.commandEnv,
        ...(this.signal ? { signal: this.signal } : {}),
        // The requirements' tests are code the layers wrote: confined like validate commands (issue 36).
        ...(sandbox ? { sandbox } : {}),
      });
      return result.cancelled ? undefined : result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
