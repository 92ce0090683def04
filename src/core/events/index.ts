import type { AgentEvent } from './agentEvents';
import type { AuditEvent } from './auditEvents';
import type { GithubEvent } from './githubEvents';
import type { ProofEvent } from './proofEvents';
import type { RunEvent } from './runEvents';

export type { RunEvent, MonitorAlertKind, RunKind } from './runEvents';
export type {
  AgentEvent,
  AgentMode,
  AgentOutcome,
  ApiWeatherKind,
  AppliedFile,
  AutoChoice,
  CriterionResult,
  ProjectCommandKind,
  ReviewIssue,
} from './agentEvents';
export type { ProofEvent, DiffStat, ProofRed, StrengthSurvivor } from './proofEvents';
export type { AuditEvent } from './auditEvents';
export type { GithubEvent, GithubEventType } from './githubEvents';

/**
 * Everything the engine does is announced as an event. The journal appends them to
 * `.claude/runs/{runId}/events.jsonl` (adding `ts` and `seq`), hosts render them, and a
 * run's state is rebuilt from them on resume. Never put secrets in an event.
 *
 * The shapes live in one file per family, as the catalogue's entries do (src/core/catalogue): runEvents.ts,
 * agentEvents.ts (GitHub's in githubEvents.ts), proofEvents.ts (attempts too) and auditEvents.ts.
 *
 * "Attempt" names three kinds of try here (the field names are the journal's contract and stay;
 * docs/architecture.md): a layer's attempt (`attempt.*`, `k`; run.started's `attempts`), an
 * agent's pass (the `attempt` of agent.*, `retry` and `phase.retry`) and a model call's retry
 * (the `attempt` of llm.retry and llm.waiting, llm.recovered's `attempts`).
 */
export type EngineEvent = RunEvent | AgentEvent | ProofEvent | AuditEvent | GithubEvent;

export type EventSink = (event: EngineEvent) => void;
