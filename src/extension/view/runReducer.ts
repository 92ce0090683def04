/**
 * Folds one engine event into the run's view: what the event means to the run (the catalogue's
 * meaning, reached through the engine's bundle, loaded by then: events and journals come from it)
 * folded by runFacets.ts, the sidebar's activity line for it (activityLines.ts), then the views of
 * a workflow's steps, of GitHub and of an audit. Pure: no clock, no I/O. Unknown event types and
 * missing fields are tolerated because the same fold replays journals written by other versions of
 * the engine.
 */
import type { EngineEvent } from '../../core/events';
import type { RunView } from '../../shared/viewState';
import { loadEngine } from '../engine';
import { activityLineOf } from './activityLines';
import { applyAuditMeaning } from './auditReducer';
import { applyGithubEvent } from './githubView';
import { applyMeaning } from './runFacets';
import { applyWorkflowMeaning } from './workflowReducer';

export { newRun } from './runFacets';

const MAX_ACTIVITY = 100;

export function applyEngineEvent(run: RunView, event: EngineEvent): RunView {
  const meaning = loadEngine().meaningOf(event);
  const folded = applyMeaning(run, meaning, (event as { ts?: unknown }).ts);
  const line = activityLineOf(event, folded);
  const said = line ? { ...folded, activity: [...folded.activity, line].slice(-MAX_ACTIVITY) } : folded;
  // An audit run also keeps its own view (scores, findings, fix jobs…).
  return applyAuditMeaning(applyGithubEvent(applyWorkflowMeaning(said, meaning), event, meaning), meaning);
}
