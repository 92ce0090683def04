/**
 * What one CLI agent's session has done so far (cliSession.ts): its session id, turns, usage and
 * cost against the run's budget, the files that came back through the owns gate, the values of
 * its environment that must stay secret; and how it ends, as `agent.completed` and the result.
 */
import { type FinalReports, type FinalToolName, oneLine } from '../../agents';
import type { AgentOutcome } from '../../events';
import { emptyUsage, type Usage } from '../../llm';
import { redactDeep, redactSecrets } from '../../text/secrets';
import type { CliRunnerName } from '../names';
import type { RunnerDefinition, RunnerEnvironment, RunnerResult } from '../types';

export interface Ending<Final> {
  final?: Final;
  error?: string;
  summary?: string;
}

export class SessionRecord<F extends FinalToolName> {
  /** The CLI's session: the journaled one to resume, then the one the CLI reports. */
  session: string | undefined;
  turns = 0;
  usage: Usage = emptyUsage();
  costUsd = 0;
  /** False once a turn's cost was known neither from our price table nor from the CLI. */
  metered = true;
  readonly written = new Set<string>();
  readonly created = new Set<string>();
  readonly deleted = new Set<string>();
  /** Values of the agent's environment never journaled nor shown (known once it is prepared). */
  secrets: string[] = [];

  constructor(
    readonly runner: CliRunnerName,
    readonly def: RunnerDefinition<F>,
    readonly env: RunnerEnvironment,
  ) {
    this.session = def.session;
  }

  get agent(): string {
    return this.def.name;
  }

  /** `value` with the secrets redacted, for the journal. */
  clean<T>(value: T): T {
    return redactDeep(value, this.secrets).value;
  }

  /** Counts a cost toward the agent's total and the run's budget. */
  charge(cost: number): void {
    this.costUsd += cost;
    this.env.budget.charge(cost);
  }

  /** The journaled session lived where the run was before (another pool worker, another machine): a new one starts here. */
  sessionGone(): void {
    this.env.emit({
      type: 'log',
      level: 'warn',
      message: `${this.agent} (${this.runner}): session ${this.session} is not on this machine (the run was resumed elsewhere); starting a new one`,
    });
    this.session = undefined;
  }

  /** Journals `agent.completed` and returns the runner's result. */
  finish(outcome: AgentOutcome, extra: Ending<FinalReports[F]> = {}): RunnerResult<FinalReports[F]> {
    const { def, env, runner, session, turns, usage, costUsd } = this;
    const error = extra.error === undefined ? undefined : oneLine(redactSecrets(extra.error, this.secrets).text, 600);
    env.emit({
      type: 'agent.completed',
      agent: this.agent,
      attempt: def.attempt,
      outcome,
      runner,
      ...((extra.summary ?? error) ? { summary: extra.summary ?? error } : {}),
      ...(session ? { session } : {}),
      turns,
      usage,
      costUsd,
      ...(this.metered ? {} : { metered: false as const }),
    });
    return {
      outcome,
      runner,
      turns,
      usage,
      costUsd,
      ...(extra.final !== undefined ? { final: extra.final } : {}),
      ...(session ? { session } : {}),
      filesWritten: [...this.written],
      filesCreated: [...this.created],
      filesDeleted: [...this.deleted],
      ...(error ? { error } : {}),
    };
  }
}
