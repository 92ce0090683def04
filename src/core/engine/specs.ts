/** The contract's specs and gates: approving, importing and placing a spec, the gates waiting, decisions, workflows. */
import { isAbsolute, resolve } from 'node:path';
import type { RunOptions, RunSummary, SpecInfo } from '../api';
import {
  findForeignFolders,
  foreignFormat,
  type ImportedSpec,
  importRoom,
  type LayerAssignment,
  pendingProposalItems,
  withLayerPicks,
} from '../import';
import { listMustardSpecs } from '../mustard';
import { gatePlacement } from '../pipeline/phases';
import { specsWaitingInWorktrees, startFromSpec } from '../pipeline/run';
import { type PhaseGate, phaseGatesWaiting, recordPhaseDecision } from '../pipeline/workflow';
import { loadConfig } from '../project/config';
import {
  listSpecs as listStoredSpecs,
  loadSpec,
  type RecordedSpecDecision,
  recordedDecision,
  recordSpecDecision,
  SPEC_ID,
  type SpecGateAction,
  SpecGateError,
  unownedWork,
  WAITING_SPEC_STATUSES,
} from '../project/specs';
import { checkWorkflowFile, listWorkflows, type WorkflowListing } from '../project/workflows';
import { query, RUN, verb } from './entry';

/** A spec waiting at the approval gate as the portal shows it: its text and the decision recorded on it. */
export interface GateSpec extends SpecInfo {
  markdown: string;
  decision?: RecordedSpecDecision;
}

const FORMAT_NAMES: Record<ImportedSpec['format'], string> = { kiro: 'Kiro', speckit: 'Spec Kit', mustard: 'Mustard' };

/** Converts a Kiro spec folder or a Spec Kit feature folder into a spec awaiting approval (not approved). */
async function importSpec(workspace: string, folder: string): Promise<ImportedSpec> {
  const root = resolve(workspace);
  return importRoom().importSpecFolder(root, folder, await loadConfig(root));
}

/**
 * Approves a saved spec and implements it in a new run (approving is the action itself). A
 * Kiro or Spec Kit folder is converted into a spec first, then approved the same way.
 */
async function approveSpec(specIdOrFolder: string, opts: RunOptions): Promise<RunSummary> {
  const root = resolve(opts.workspace);
  if (SPEC_ID.test(specIdOrFolder) || foreignFormat(resolve(root, specIdOrFolder)) === undefined)
    return startFromSpec(specIdOrFolder, opts);
  const imported = await importSpec(root, specIdOrFolder);
  const say = (level: 'info' | 'warn', message: string) => opts.host.onEvent({ type: 'log', level, message });
  const counts = `${imported.requirements} requirement(s), ${imported.tasks} task(s)`;
  say('info', `Imported ${imported.source} (${FORMAT_NAMES[imported.format]}) as ${imported.specPath}: ${counts}.`);
  imported.notes?.forEach((note) => say('info', note));
  imported.warnings.forEach((warning) => say('warn', `${imported.source}: ${warning}`));
  return startFromSpec(imported.specId, opts);
}

/**
 * Saved specs; an active one lists its work no layer owns (`unowned`) while the config loads.
 * Mustard's spec folders follow, with Mustard's stage and outcome, then the Kiro and Spec Kit
 * folders not imported yet (an imported one is listed as its spec; the import room reads them
 * only when there are some).
 */
async function listSpecs(workspace: string): Promise<SpecInfo[]> {
  const root = resolve(workspace);
  const config = await loadConfig(root).catch(() => undefined);
  const unowned = config
    ? (text: string) =>
        withLayerPicks(
          [...unownedWork(text, config), ...pendingProposalItems(text)].sort((a, b) => a.line - b.line),
          Object.keys(config.layers),
        )
    : undefined;
  const [ours, mustard, waiting, folders] = await Promise.all([
    listStoredSpecs(root, unowned),
    listMustardSpecs(root),
    specsWaitingInWorktrees(root, unowned),
    findForeignFolders(root),
  ]);
  const imported = new Set([...ours, ...waiting].flatMap((s) => (s.source ? [s.source] : [])));
  const open = folders.filter((f) => !imported.has(f.dir));
  const foreign = open.length > 0 ? await importRoom().listForeignSpecs(root, open) : [];
  return [...ours, ...mustard, ...waiting, ...foreign];
}

/**
 * Specs of this workspace waiting for approval (not Mustard's, Kiro's or Spec Kit's folders nor worktree runs' specs:
 * those are decided where they run).
 */
async function specsAtGate(workspace: string): Promise<GateSpec[]> {
  const root = resolve(workspace);
  const atGate = (s: SpecInfo) =>
    !s.mustard && !s.foreign && !isAbsolute(s.path) && WAITING_SPEC_STATUSES.includes(s.status);
  const waiting = (await listSpecs(root)).filter(atGate);
  return Promise.all(
    waiting.map(async (info) => {
      const spec = await loadSpec(root, info.id);
      const decision = recordedDecision(spec);
      return { ...info, markdown: spec.body, ...(decision ? { decision } : {}) };
    }),
  );
}

/**
 * A named person's decision on a waiting spec (the portal): recorded in the spec, never run here
 * (specDecisionRecord.ts).
 */
export async function decideSpecAs(
  workspace: string,
  specId: string,
  input: { action: SpecGateAction; by: string; feedback?: string },
): Promise<void> {
  if (!SPEC_ID.test(specId)) throw new SpecGateError(`invalid spec id "${specId}"`);
  const root = resolve(workspace);
  if (input.action === 'approve') {
    // Tasks nothing placed are refused with the sentence the gate showed, before any other check.
    const placement = gatePlacement(
      (await loadSpec(root, specId).catch(() => undefined))?.body ?? '',
      await loadConfig(root),
    );
    if (placement?.unplaced) {
      const cli = `\`orchestrator approve ${specId} --assign "<task>=<layer>"\``;
      const how = `the layer picker, \`/changes <task>=<layer>\` on GitHub, or ${cli}`;
      throw new SpecGateError(
        `spec ${specId} was not approved: ${placement.unplaced}; ` +
          `give each its layer (${how}), or add a layer that owns this work`,
      );
    }
  }
  await recordSpecDecision(root, specId, input);
}

export const specs = {
  approveSpec: verb(RUN, approveSpec),
  importSpec: verb([], importSpec),
  /**
   * The human's layer for tasks of a spec that name no file (`approve … --assign "3.2=backend"`, the sidebar's
   * picker), before approving it.
   */
  assignLayers: verb(
    [],
    async (workspace: string, specId: string, assignments: readonly LayerAssignment[]): Promise<void> => {
      const root = resolve(workspace);
      const spec = await loadSpec(root, specId);
      await importRoom().assignTaskLayers(root, spec.path, assignments, await loadConfig(root));
    },
  ),
  listSpecs: query(listSpecs),
  specsAtGate: query(specsAtGate),
  decideSpecAs: verb([], decideSpecAs),
  /** Runs of this workspace waiting at a workflow phase's human gate, live or saved (the portal, issue 29). */
  phaseGatesWaiting: query(async (workspace: string): Promise<PhaseGate[]> => phaseGatesWaiting(resolve(workspace))),
  /**
   * A named person's decision on a run's phase gate (the portal): recorded in its journal, never run here
   * (phaseGateRecord.ts).
   */
  decidePhaseGateAs: verb(
    ['phase.decided'],
    async (
      workspace: string,
      input: { runId: string; phase: string; asked: number; action: SpecGateAction; by: string; feedback?: string },
    ): Promise<PhaseGate> => recordPhaseDecision(resolve(workspace), input),
  ),
  /**
   * The workflows this workspace can run (`.claude/workflows/*.yaml`, then the shipped ones), each with its phases and
   * gates.
   */
  listWorkflows: query(async (workspace: string, templatesDir?: string): Promise<WorkflowListing[]> =>
    listWorkflows(resolve(workspace), templatesDir),
  ),
  /**
   * `workflow check <file>`: the file validated as a run loads it; a problem throws ProjectFileError (file, line,
   * key).
   */
  checkWorkflow: query(async (workspace: string, file: string): Promise<Omit<WorkflowListing, 'origin'>> =>
    checkWorkflowFile(resolve(workspace), file),
  ),
};
