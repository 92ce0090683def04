/**
 * `feature --dry-run` / `bugfix --dry-run` (issue 71): what a run would do in this repository, with
 * no model call and nothing written — the layers from the config (or the census in memory, as a
 * run without a config takes them), their owns and validate gates, the proof folders and the
 * commands that run them, the waves, the phases and their gates, who would do each agent's work
 * on which model, what is unverified or checked by nothing, and what would stop the run before
 * its first call (a missing key, a CLI agent not installed). Works with no key.
 */
import { join, resolve } from 'node:path';
import type { RunOptions } from '../../api';
import { censusRoom } from '../../census';
import { computeWaves, layerOwning, type OrchestratorConfig } from '../../project/config';
import { loadProjectFiles } from '../../project/registry';
import { CONFIG_FILE, readOptionalText } from '../../project/sources';
import { listSpecs } from '../../project/specs';
import { isCliRunner } from '../../runners';
import { PROOF_AGENT } from '../agent';
import { PHASES } from '../kernel';
import { proofMode, type ProofMode } from '../proof';
import { workflowAgents, workflowOfRun } from '../workflow';
import { blockers, type PlannedAgent, plannedAgents } from './planAgents';
import { applyOverrides } from './runSetup';

export interface PlannedLayer extends PlannedAgent {
  name: string;
  owns: string[];
  validate: string[];
  after: string[];
  /** 1-based wave it starts in. */
  wave: number;
  /** The proof folders inside what it owns, each with the command that runs given files. */
  proof: { tests: string; command: string }[];
  /** What would check its changes: nothing means a change there ends the run `unchecked`. */
  checkedBy: ('validate' | 'proof')[];
}

export interface RunPlan {
  kind: 'feature' | 'bugfix';
  request: string;
  workspace: string;
  /** Where the layers come from: `.claude/orchestrator.yaml`, or the census in memory (no config yet). */
  config: 'file' | 'census';
  census?: { files: number; sourceFiles: number; ownedFiles: number; unowned: string[]; ms: number };
  workflow?: string;
  phases: { name: string; title: string; gate: string }[];
  layers: PlannedLayer[];
  waves: string[][];
  proof: { mode: ProofMode; why?: string; folders: { tests: string; command: string; layer?: string }[] };
  /** The agents besides the layers': spec, review, diagnose, proof, a workflow's roles. */
  agents: PlannedAgent[];
  /** What nothing has verified, or nothing would check. */
  unverified: string[];
  /** What would stop the run before its first model call. */
  blockers: string[];
  sync: string[];
  deploy: string[];
  warnings: string[];
}

export async function planRun(opts: RunOptions, kind: RunPlan['kind'], request: string): Promise<RunPlan> {
  const workspace = resolve(opts.workspace);
  const loaded = await loadProjectFiles(workspace);
  const configText = await readOptionalText(join(workspace, CONFIG_FILE));
  const hasConfig = configText !== undefined;
  let census: RunPlan['census'];
  if (!hasConfig) {
    const inMemory = await censusRoom().censusInMemory(workspace);
    loaded.config = inMemory.config;
    loaded.warnings.push(...inMemory.census.warnings);
    const { files, sourceFiles, ownedFiles, unowned, ms } = inMemory.census;
    census = { files, sourceFiles, ownedFiles, unowned, ms };
  }
  const config = applyOverrides(loaded.config, opts.overrides);
  await listSpecs(workspace); // a broken spec stops a run: the dry run says so the same way
  const workflow = await workflowOfRun(workspace, kind, opts.workflow, opts.templatesDir);
  const proof = proofMode(config);
  const folders = proof.mode === 'off' ? [] : proofFolders(config);
  const names = Object.keys(config.layers);
  const waves = computeWaves(config, names);
  const layerAgents = plannedAgents(opts, config, names, workflow);
  const layers = names.map((name, i): PlannedLayer => {
    const layer = config.layers[name]!;
    const own = folders.filter((f) => f.layer === name).map(({ tests, command }) => ({ tests, command }));
    return {
      ...layerAgents[i]!,
      name,
      owns: [...layer.owns],
      validate: [...layer.validate],
      after: [...layer.after],
      wave: waves.findIndex((wave) => wave.includes(name)) + 1,
      proof: own,
      checkedBy: [
        ...(layer.validate.length > 0 ? ['validate' as const] : []),
        ...(own.length > 0 ? ['proof' as const] : []),
      ],
    };
  });
  const roles = [
    ...(kind === 'bugfix' ? ['diagnose'] : []),
    'spec',
    ...(proof.mode === 'off' ? [] : [PROOF_AGENT]),
    ...(kind === 'feature' ? ['review'] : []),
  ];
  // A workflow's own roles (a role phase's agent, a reviewer), with the model a role names for itself.
  const own = workflow
    ? workflowAgents(workflow).filter((role) => !roles.includes(role.agent) && role.agent !== 'layer')
    : [];
  const agents = [
    ...plannedAgents(opts, config, roles, workflow),
    ...plannedAgents(opts, config, [...new Set(own.map((role) => role.agent))], workflow).map((agent) => {
      const model = own.find((role) => role.agent === agent.agent && role.model)?.model;
      return model && !isCliRunner(agent.runner) ? { ...agent, model, modelKey: 'role.model' } : agent;
    }),
  ];
  return {
    kind,
    request,
    workspace,
    config: hasConfig ? 'file' : 'census',
    ...(census ? { census } : {}),
    ...(workflow ? { workflow: workflow.name } : {}),
    phases: phasesOf(workflow, config, proof.mode),
    layers,
    waves,
    proof: { mode: proof.mode, ...(proof.why ? { why: proof.why } : {}), folders },
    agents,
    unverified: unverified(configText, layers, config, census),
    blockers: await blockers(opts, config, [...layers, ...agents]),
    sync: [...config.sync],
    deploy: [...config.deploy],
    warnings: loaded.warnings,
  };
}

/** Each proof folder, its command and the layer owning it (where a file inside it would go). */
function proofFolders(config: OrchestratorConfig): RunPlan['proof']['folders'] {
  return config.proof.tests.map((tests, i) => {
    const inside = `${tests.replace(/\*.*$/, '').replace(/\/?$/, '/')}proof.test`;
    const layer = layerOwning(config, inside);
    return { tests, command: config.proof.command[i] ?? config.proof.command[0] ?? '', ...(layer ? { layer } : {}) };
  });
}

/** The phases in order with their gates: the workflow's (the feature's is one), or the bugfix pipeline's. */
function phasesOf(
  workflow: Awaited<ReturnType<typeof workflowOfRun>>,
  config: OrchestratorConfig,
  proof: ProofMode,
): RunPlan['phases'] {
  // The checkpoint is taken beside the first phase that writes: PROVE when proof is on, else the layers' work.
  const writes = [
    { name: PHASES.checkpoint, title: 'A git checkpoint of the work tree, for rollback', gate: 'none' },
    ...(proof === 'off'
      ? []
      : [
          { name: PHASES.prove, title: 'A test per acceptance criterion, red on the base, then frozen', gate: 'proof' },
        ]),
  ];
  if (!workflow) {
    return [
      { name: PHASES.sync, title: 'Run the sync commands', gate: 'none' },
      { name: PHASES.understand, title: 'Look the entity up in the registry and the memory graph', gate: 'none' },
      { name: PHASES.diagnose, title: 'The diagnose agent finds the root cause (read-only)', gate: 'none' },
      { name: PHASES.spec, title: 'Write the fix spec and wait for a decision', gate: 'human' },
      ...writes,
      { name: PHASES.fix, title: 'The owning layers fix it, in waves; validate and retry', gate: 'check: validate' },
      { name: PHASES.complete, title: 'Sync the registry, archive the spec', gate: 'check: checked' },
      ...(config.deploy.length > 0
        ? [{ name: PHASES.deploy, title: 'The deploy and smoke commands', gate: 'each exits 0' }]
        : []),
    ];
  }
  const phases = workflow.phases.map((phase) => ({
    name: phase.name,
    title: phase.title ?? phase.name,
    gate: gateText(phase.gate),
  }));
  // A workflow that writes code proves and checkpoints once its spec is approved.
  const at = phases.findIndex((phase) => phase.name === PHASES.spec) + 1;
  if (at > 0) phases.splice(at, 0, ...writes);
  return phases;
}

function gateText(gate: unknown): string {
  if (typeof gate === 'string') return gate;
  if (gate && typeof gate === 'object' && 'check' in gate)
    return `check: ${([] as unknown[]).concat((gate as { check: unknown }).check).join(', ')}`;
  return gate === undefined ? 'none' : JSON.stringify(gate);
}

/**
 * What nothing verified: every command of a census in memory; in a config, the commands whose line
 * does not say `init` saw them pass (`# from …; passed in 3.1 s`); layers nothing would check; files
 * no layer owns.
 */
function unverified(
  configText: string | undefined,
  layers: readonly PlannedLayer[],
  config: OrchestratorConfig,
  census: RunPlan['census'],
): string[] {
  const lines: string[] = [];
  const all = [...layers.flatMap((l) => l.validate), ...config.proof.command];
  const commands = all.length;
  if (configText !== undefined) {
    const passed = (command: string) =>
      configText.split('\n').some((line) => line.includes(command) && /#.*\b(?:passed in|ran a probe)\b/.test(line));
    const notSeen = [...new Set(all.filter((command) => !passed(command)))];
    if (notSeen.length > 0)
      lines.push(
        `${notSeen.length} command${notSeen.length === 1 ? '' : 's'} of the config with no record of passing at \`init\` (${notSeen.slice(0, 4).join('; ')}${notSeen.length > 4 ? '; …' : ''}): a run checks each on the base before it counts against a layer`,
      );
  } else if (commands > 0)
    lines.push(
      `${commands} proposed command${commands === 1 ? '' : 's'} never run here: the census read ${commands === 1 ? 'it' : 'them'} from the repository; a run checks each on the base before it counts against a layer (\`orchestrator init\` runs them now and writes the config)`,
    );
  for (const layer of layers)
    if (layer.checkedBy.length === 0)
      lines.push(
        `${layer.name}: no validate command and no proof folder: a change there is checked by nothing and ends the run \`unchecked\` (unless --allow-unchecked)`,
      );
  if (census && census.unowned.length > 0)
    lines.push(
      `${census.unowned.length} source file${census.unowned.length === 1 ? '' : 's'} no layer owns (${census.unowned.slice(0, 5).join(', ')}${census.unowned.length > 5 ? ', …' : ''}): a task there is refused at the spec`,
    );
  return lines;
}
