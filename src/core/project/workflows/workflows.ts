/**
 * Where workflows come from: `.claude/workflows/<name>.yaml` in the workspace, else the ones
 * the package ships (its own `.claude/workflows/`: feature, slice, squads). A workspace file
 * of the same name wins, so a team adapts a shipped workflow by copying it.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EngineUsageError } from '../../errors';
import { ProjectFileError, readOptionalText } from '../sources';
import { parseWorkflow, type Workflow } from './workflowFile';
import type { WorkflowFile, WorkflowGate } from './workflowSchema';

export const WORKFLOWS_DIR = '.claude/workflows';
export const DEFAULT_WORKFLOW = 'feature';
const WORKFLOW_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * The shipped workflows' folder: `<templatesDir>/workflows` when the host says where its
 * templates are, else the package's `.claude/workflows` found from this module's place (beside
 * `dist/` in the bundle, a few folders up in the sources).
 */
export function shippedWorkflowsDir(templatesDir?: string): string | undefined {
  if (templatesDir) return join(templatesDir, 'workflows');
  let dir = __dirname;
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(dir, WORKFLOWS_DIR);
    if (existsSync(join(candidate, `${DEFAULT_WORKFLOW}.yaml`))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** One workflow by name (workspace first, then shipped); an unknown name lists the known ones. */
export async function loadWorkflow(workspace: string, name: string, templatesDir?: string): Promise<Workflow> {
  if (!WORKFLOW_NAME.test(name))
    throw new EngineUsageError(`"${name}" is not a workflow name (letters, digits, "-" and "_")`);
  const own = await readOptionalText(join(workspace, WORKFLOWS_DIR, `${name}.yaml`));
  if (own !== undefined)
    return {
      ...parseWorkflow(own, `${WORKFLOWS_DIR}/${name}.yaml`),
      name,
      file: `${WORKFLOWS_DIR}/${name}.yaml`,
      origin: 'workspace',
    };
  const shipped = shippedWorkflowsDir(templatesDir);
  const text = shipped ? await readOptionalText(join(shipped, `${name}.yaml`)) : undefined;
  if (text !== undefined && shipped)
    return {
      ...parseWorkflow(text, `(shipped) workflows/${name}.yaml`),
      name,
      file: join(shipped, `${name}.yaml`),
      origin: 'shipped',
    };
  const known = (await listWorkflows(workspace, templatesDir)).map((entry) => entry.name);
  throw new EngineUsageError(
    `No workflow "${name}": add ${WORKFLOWS_DIR}/${name}.yaml, or use one of: ${known.join(', ') || 'none found'}`,
  );
}

/** A workflow in a listing: its phases and gates, or why its file could not be read. */
export interface WorkflowListing {
  name: string;
  file: string;
  origin: 'workspace' | 'shipped';
  description?: string;
  /** `role`: the agent doing the phase's work (the sidebar's steps show it). */
  phases: {
    name: string;
    title?: string;
    role?: string;
    uses?: string;
    gate: string;
    fanOut?: string;
    documents: string[];
  }[];
  /** The file's problem (file:line key: …) when it does not validate; `phases` is then empty. */
  problem?: string;
}

/** Every workflow this workspace can run: its own files, then the shipped ones it does not override. */
export async function listWorkflows(workspace: string, templatesDir?: string): Promise<WorkflowListing[]> {
  const own = await yamlNames(join(workspace, WORKFLOWS_DIR));
  const shipped = shippedWorkflowsDir(templatesDir);
  const shippedNames = shipped ? (await yamlNames(shipped)).filter((name) => !own.includes(name)) : [];
  return Promise.all([
    ...own.map((name) => listed(join(workspace, WORKFLOWS_DIR), name, `${WORKFLOWS_DIR}/${name}.yaml`, 'workspace')),
    ...shippedNames.map((name) => listed(shipped as string, name, `(shipped) workflows/${name}.yaml`, 'shipped')),
  ]);
}

async function listed(
  dir: string,
  name: string,
  file: string,
  origin: WorkflowListing['origin'],
): Promise<WorkflowListing> {
  const text = (await readOptionalText(join(dir, `${name}.yaml`))) ?? '';
  try {
    return { name, file, origin, ...summarize(parseWorkflow(text, file)) };
  } catch (error) {
    if (!(error instanceof ProjectFileError)) throw error;
    return { name, file, origin, phases: [], problem: error.message };
  }
}

/** What a listing shows of a workflow: its description, and each phase with its gate and documents. */
export function summarize(workflow: WorkflowFile): Pick<WorkflowListing, 'description' | 'phases'> {
  return {
    ...(workflow.description ? { description: workflow.description } : {}),
    phases: workflow.phases.map((phase) => ({
      name: phase.name,
      ...(phase.title ? { title: phase.title } : {}),
      ...(phase.role ? { role: typeof phase.role === 'string' ? phase.role : phase.role.agent } : {}),
      ...(phase.uses ? { uses: phase.uses } : {}),
      gate: gateText(phase.gate),
      ...(phase.fanOut ? { fanOut: phase.fanOut } : {}),
      documents: (phase.outputs ?? []).map((output) => (output === 'code' ? 'code' : output.path)),
    })),
  };
}

/** `none`, `human`, `human (pm, analyst)`, `check (dictionary, npm test)`. */
export function gateText(gate: WorkflowGate | undefined): string {
  if (gate === undefined || typeof gate === 'string') return gate ?? 'none';
  return 'human' in gate ? `human (${gate.human.join(', ')})` : `check (${gate.check.join(', ')})`;
}

async function yamlNames(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && entry.name.endsWith('.yaml') && WORKFLOW_NAME.test(entry.name.slice(0, -5)))
      .map((entry) => entry.name.slice(0, -5))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
