/**
 * Folds one engine event into the run's view: what the event means to the run (the catalogue's
 * meaning, reached through the engine's bundle, loaded by then: events and journals come from it)
 * folded by runFacets.ts, the sidebar's activity line for it, then the views of a workflow's steps,
 * of GitHub and of an audit. Pure: no clock, no I/O. Unknown event types and missing fields are
 * tolerated because the same fold replays journals written by other versions of the engine.
 */
import type { EngineEvent } from '../../core/events';
import type { RunView } from '../../shared/viewState';
import { loadEngine } from '../engine';
import { activityLineOf } from './activityLines';
import { applyAuditEvent } from './auditReducer';
import { applyGithubEvent } from './githubView';
import { applyMeaning } from './runFacets';
import { applyWorkflowEvent } from './workflowReducer';

export { newRun } from './runFacets';

const MAX_ACTIVITY = 100;

const info = (run: RunView, text: string): RunView => ({ ...run, activity: [...run.activity, { level: 'info' as const, text }].slice(-MAX_ACTIVITY) });

export function applyEngineEvent(run: RunView, event: EngineEvent): RunView {
  const folded = applyMeaning(run, loadEngine().meaningOf(event), (event as { ts?: unknown }).ts);
  const line = activityLineOf(event, folded);
  const said = line ? { ...folded, activity: [...folded.activity, line].slice(-MAX_ACTIVITY) } : folded;
  const next = applyGithubEvent(applyWorkflowEvent(said, event), event);
  // An audit run also keeps its own view (scores, findings, fix jobs…).
  if (!next.audit && event.type !== 'audit.started') return next;
  const audited = applyAuditEvent(next, event);
  return audited.line ? info(audited.run, audited.line) : audited.run;
}
