// The run's own events (its start and end, phases and gates, spec, changes, roles, deploy), split from events.ts by family.

import type { UncheckedLayer } from '../errors';
import type { Question, QuestionAnswer } from '../questions';
import type { ConfirmationRequest } from '../requests';

export type RunEvent =
  // `runner`: the run's `--runner` (every layer on it), kept so `resume` keeps it (issue 27).
  // `workflow`: the workflow it runs when not its kind's default (issue 29), so a resume runs the same one.
  // `sandbox: 'off'` (issue 36): the config's `sandbox: off`, nothing of the run is confined.
  // `attempts` (docs/attempts.md): the run's `--attempts N`, kept so `resume` keeps it.
  | {
      type: 'run.started';
      runId: string;
      kind: RunKind;
      request: string;
      specId?: string;
      runner?: string;
      attempts?: number;
      workflow?: string;
      allowUntested?: true;
      allowUnchecked?: true;
      sandbox?: 'off';
    }
  | { type: 'run.completed'; runId: string; summary: unknown }
  // `untested` (issue 29): a workflow gate failed only for these requirements with no test, so
  // `--allow-untested` (resume) would pass it; hosts offer the waiver with it.
  | {
      type: 'run.stopped';
      runId: string;
      reason: string;
      report: string;
      untested?: { phase: string; requirements: string[] };
      unchecked?: UncheckedLayer[];
    }
  // Issue 70: before COMPLETE, the layers whose changed files no proof test and no validate command
  // checked; `accepted` when the run goes on all the same (`--allow-unchecked`, `allowUnchecked: true`).
  | { type: 'run.unchecked'; layers: UncheckedLayer[]; accepted: boolean }
  | { type: 'phase.started'; phase: string }
  | { type: 'phase.completed'; phase: string; ms: number }
  // Workflows (issue 29): a workflow's phase closed with its gate passed, and the documents it left (workspace-relative).
  | { type: 'phase.closed'; phase: string; documents: string[] }
  // A phase's human gate (`gate: human` on a phase other than SPEC): approved, saved for later (the
  // run ends `spec-saved` waiting at this gate), or changes requested (the phase's role runs again with the feedback).
  | { type: 'phase.approved'; phase: string }
  | { type: 'phase.saved'; phase: string; documents: string[] }
  | { type: 'phase.changes-requested'; phase: string; feedback: string }
  // The gate asks now (journal only): the portal shows a run waiting live at it (a VS Code window).
  | { type: 'phase.awaiting'; phase: string; documents: string[] }
  // A named person's decision on a run saved at this gate, recorded away from the run (the portal);
  // the run applies it when it continues (`resume`): approve → phase.approved, changes → phase.changes-requested.
  | { type: 'phase.decided'; phase: string; action: 'approve' | 'save' | 'changes'; by: string; feedback?: string }
  // A role phase's documents failed its gate: the role writes them again with the gate's report (`attempt` of `max`: the role's pass).
  | { type: 'phase.retry'; phase: string; attempt: number; max: number; report: string }
  | { type: 'wave.started'; wave: number; of: number; layers: string[] }
  | { type: 'budget.exceeded'; spentUsd: number; limitUsd: number; unpricedRequests?: number; maxRequests?: number }
  | { type: 'spec.saved'; specId: string; path: string }
  | { type: 'spec.approved'; specId: string }
  // Issue 71: a layer's task and file lines of the spec ticked once its work was accepted (`done`), or
  // opened again when it is sent back; `items` as the spec words them, `source` the imported folder's tasks ticked with them.
  | {
      type: 'spec.ticked';
      specId: string;
      layer: string;
      done: boolean;
      items: string[];
      source?: { path: string; refs: string[] };
    }
  // Issue 37: the layer of each imported task that names no file, decided at import or at the
  // approval gate, and where from; and the tasks recorded as not implementable (process, not code).
  | {
      type: 'tasks.assigned';
      specId: string;
      tasks: {
        task: string;
        layer: string;
        source: 'sibling' | 'name' | 'design' | 'wording' | 'model' | 'user';
        reason: string;
      }[];
      notImplementable: { task: string; reason: string; source: 'import' | 'model' }[];
    }
  | { type: 'checkpoint.created'; ref: string; commit: string }
  // `kind`, `agent` and `paths`: what was asked about (absent in journals written before them).
  // `covered`: the approved spec whose named files these are; its approval is the answer (issue 44).
  | {
      type: 'confirmation';
      question: string;
      answer: boolean;
      kind?: ConfirmationRequest['kind'];
      agent?: string;
      paths?: string[];
      covered?: string;
    }
  // Issue 62: each question the run asks (a gate, a confirmation, a placement), journaled with its
  // id before it is asked (a resumed run asking the same unanswered question keeps its id and does
  // not journal it again), then how it was settled: by the answers given with the run (`--approve`,
  // `--yes`) or through the host. The decision's own event follows (`spec.approved`, `confirmation`…).
  | ({ type: 'question.asked' } & Question)
  // A host may park a question (the answer will come in another process, the run set aside); the
  // answer given later through `answerQuestion` is journaled `by: 'later'` (`who`: the person).
  | { type: 'question.answered'; id: string; answer: QuestionAnswer; by: 'up-front' | 'host' | 'later'; who?: string }
  | { type: 'question.parked'; id: string; why: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  // Pipeline facts a resumed run needs again (UNDERSTAND, DIAGNOSE and SPEC results).
  // `modules`: the grain model's modules related to the request (issue 30), absent when none.
  | {
      type: 'understood';
      entity: string | null;
      known: boolean;
      layers: string[];
      pattern: string | null;
      modules?: string[];
    }
  | { type: 'diagnosis'; rootCause: string; proposedFix: string; files: string[]; layers: string[] }
  | { type: 'spec.changes-requested'; specId: string; feedback: string }
  /** `commit`: the work tree at COMPLETE (refs/orchestrator-completed/{specId}), drift's basis. */
  | { type: 'spec.completed'; specId: string; path: string; commit?: string }
  // Change requests (issue 23): a request picked up from the run's inbox, the amendment the
  // human approved (the spec's new version, the requirements and layers it changes) or declined.
  | { type: 'change.requested'; changeId: string; request: string }
  | {
      type: 'change.approved';
      changeId: string;
      specId: string;
      version: number;
      requirements: string[];
      layers: string[];
    }
  | { type: 'change.declined'; changeId: string; reason: string }
  // A follow-up run (issue 39): it continues completed worktree run `of`'s result (the commit
  // `base`, its branch's head) with the same approved spec. `runs`: the runs before it on that
  // branch, oldest first (their journals make its matrix). `kept`: the layers whose validated
  // work it starts from (passed, with the hash of the files they validated). `fix`: a layer sent
  // back with an error found outside (a CI job's log), which it gets as its first validation error.
  | {
      type: 'followup.started';
      of: string;
      runs: string[];
      base: string;
      kept: { layer: string; filesHash?: string }[];
      fix?: { layer: string; command: string; output: string };
    }
  // Runs (issue 7): a rollback is journaled, so neither `resume` nor the views take the run
  // for one that can continue.
  | { type: 'run.rolled-back'; restored: string[]; removed: string[] }
  // Seed 003's roles (issue 29): the reviewer's request to a phase's role and its answer, round by
  // round (the CTO↔Engineer loop); a squad's backlog planned; a squad's need of another squad's
  // work, asked through the CTO; the Monitor's alert on a risk.
  | { type: 'cto.engineer.request'; phase: string; round: number; from: string; to: string; request: string }
  | {
      type: 'engineer.cto.response';
      phase: string;
      round: number;
      from: string;
      to: string;
      documents: string[];
      accepted: boolean;
    }
  | { type: 'module.planned'; phase: string; squad: string; layers: string[]; documents: string[] }
  // A role phase fanned out per layer (`fanOut: layers`): one layer's documents written, so a resumed pass skips it.
  | { type: 'phase.layer.done'; phase: string; layer: string; documents: string[] }
  | { type: 'pm.cto.dependency_request'; block: number; from: string; to: string; request: string }
  | { type: 'monitor.alert'; alert: MonitorAlertKind; message: string; subject?: string }
  // The task queue (seed 004, issue 11): a `runner: external` layer's work went to the queue as this task.
  | { type: 'queue.task'; layer: string; taskId: string }
  // The deploy step after COMPLETE (seed 003's DevOps role): every `deploy:` command passed, then the `smoke:` tests' verdict.
  | { type: 'deploy.completed'; commands: string[]; ms: number }
  | { type: 'smoke.passed'; commands: string[]; ms: number }
  | { type: 'smoke.failed'; command: string; exitCode: number | null; output: string };

/** What the Monitor watches (seed 003): the budget's burn, one layer's repeated validation failures, a block open too long. */
export type MonitorAlertKind = 'budget.burn' | 'validation.failures' | 'block.open';

export type RunKind = 'feature' | 'bugfix' | 'audit';
