/**
 * The sidebar's view model: everything the webview renders, computed on the host by a pure
 * reducer from engine events. Described with zod because it crosses the webview boundary and
 * is also restored from the webview's persisted state, which may come from an older version.
 *
 * This file must stay free of VS Code and Node imports: the webview bundles it.
 */
import { z } from 'zod';

export const usageSchema = z.object({
  input: z.number(),
  output: z.number(),
  cacheRead: z.number(),
  cacheWrite: z.number(),
});
export type UsageView = z.infer<typeof usageSchema>;

export const layerStateSchema = z.enum(['waiting', 'running', 'validating', 'retry', 'passed', 'failed', 'cancelled']);
export type LayerState = z.infer<typeof layerStateSchema>;

/** One agent of the run: a layer of a wave, or a phase agent (spec, review, diagnose). */
export const agentViewSchema = z.object({
  name: z.string(),
  /** 1-based wave the layer runs in; absent for phase agents. */
  wave: z.number().optional(),
  state: layerStateSchema,
  attempt: z.number(),
  mode: z.string().optional(),
  retry: z.object({ n: z.number(), max: z.number() }).optional(),
  command: z.string().optional(),
  lastError: z.string().optional(),
  outcome: z.string().optional(),
  summary: z.string().optional(),
  tokens: z.number(),
  costUsd: z.number(),
});
export type AgentView = z.infer<typeof agentViewSchema>;

export const waveViewSchema = z.object({ index: z.number(), of: z.number(), layers: z.array(z.string()) });
export type WaveView = z.infer<typeof waveViewSchema>;

export const phaseViewSchema = z.object({
  name: z.string(),
  state: z.enum(['running', 'done']),
  ms: z.number().optional(),
});
export type PhaseView = z.infer<typeof phaseViewSchema>;

export const reviewIssueSchema = z.object({
  file: z.string(),
  line: z.number().optional(),
  severity: z.enum(['critical', 'major', 'minor']),
  problem: z.string(),
  fix: z.string(),
});
export type ReviewIssueView = z.infer<typeof reviewIssueSchema>;

export const reviewViewSchema = z.object({
  round: z.number(),
  verdict: z.enum(['approved', 'rejected', 'skipped']),
  reason: z.string().optional(),
  issues: z.array(reviewIssueSchema),
});
export type ReviewView = z.infer<typeof reviewViewSchema>;

export const activityLineSchema = z.object({
  level: z.enum(['info', 'warn', 'error']),
  text: z.string(),
});
export type ActivityLine = z.infer<typeof activityLineSchema>;

export const runStatusSchema = z.enum([
  'running',
  'awaiting-approval',
  'completed',
  'spec-saved',
  'stopped',
  'cancelled',
  'failed',
  'interrupted',
]);
export type RunViewStatus = z.infer<typeof runStatusSchema>;

export const runViewSchema = z.object({
  runId: z.string().optional(),
  kind: z.enum(['feature', 'bugfix', 'approve', 'resume', 'sync']),
  request: z.string(),
  status: runStatusSchema,
  /** True while this run is live in this window (false for a run restored from its journal). */
  live: z.boolean(),
  phase: z.string().optional(),
  phases: z.array(phaseViewSchema),
  waves: z.array(waveViewSchema),
  agents: z.array(agentViewSchema),
  usage: usageSchema,
  costUsd: z.number(),
  budget: z.object({ spentUsd: z.number(), limitUsd: z.number() }).optional(),
  specId: z.string().optional(),
  specPath: z.string().optional(),
  checkpoint: z.string().optional(),
  review: reviewViewSchema.optional(),
  stop: z.object({ reason: z.string(), report: z.string() }).optional(),
  error: z.string().optional(),
  filesChanged: z.array(z.string()),
  activity: z.array(activityLineSchema),
});
export type RunView = z.infer<typeof runViewSchema>;

export const specItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(['feature', 'bugfix']),
  status: z.string(),
  path: z.string(),
  created: z.string(),
});
export type SpecItem = z.infer<typeof specItemSchema>;

export const runItemSchema = z.object({
  runId: z.string(),
  kind: z.enum(['feature', 'bugfix']),
  request: z.string(),
  status: z.string(),
  started: z.string(),
});
export type RunItem = z.infer<typeof runItemSchema>;

export const selectedSpecSchema = z.object({
  id: z.string(),
  path: z.string(),
  markdown: z.string(),
});
export type SelectedSpec = z.infer<typeof selectedSpecSchema>;

export const viewStateSchema = z.object({
  /** Bumped on every change so the webview can skip stale or duplicate states. */
  version: z.number(),
  hasWorkspace: z.boolean(),
  workspaceName: z.string().optional(),
  trusted: z.boolean(),
  /** A run (or sync) is in progress in this window. */
  busy: z.boolean(),
  specs: z.array(specItemSchema),
  runs: z.array(runItemSchema),
  selectedSpec: selectedSpecSchema.optional(),
  /** The engine is waiting for the human's decision on this spec. */
  pendingDecision: selectedSpecSchema.optional(),
  run: runViewSchema.optional(),
});
export type ViewState = z.infer<typeof viewStateSchema>;

/** A spec still waiting for approval (not completed or in progress); shared so both sides agree. */
export const isSavedSpec = (status: string): boolean => !/complete|done|progress|implement/i.test(status);

/** The engine resumes interrupted, stopped and cancelled runs (not completed or spec-saved ones). */
export const isResumable = (status: string): boolean => status === 'interrupted' || status === 'stopped' || status === 'cancelled';

export const emptyViewState = (): ViewState => ({
  version: 0,
  hasWorkspace: false,
  trusted: true,
  busy: false,
  specs: [],
  runs: [],
});
