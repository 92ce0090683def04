/**
 * `orchestrator init --github-action` and `init --ci github` (issue 59): each vendors the Action
 * (with the CLI its checks run) into the repository, then writes its own workflow file, and says
 * what it wrote. Paths are the repository's (GitHub reads `.github/` at its top level); a
 * workspace in a folder of it is named by its config's path.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../project/config';
import { ACTION_WORKFLOW_FILE, actionWorkflow } from './actionWorkflow';
import {
  GITHUB_WORKFLOW_FILE,
  githubWorkflow,
  type GithubWorkflowOptions,
  type WrittenWorkflow,
  writeWorkflowFile,
} from './githubWorkflow';
import { applyIgnoreEdits, ignoreEdits, type IgnoreProposal } from './vendoredIgnores';
import { repositoryTop, vendorAction, type VendoredAction } from './vendorAction';

export interface GithubInitReport {
  /** The repository's top level the paths are relative to. */
  top: string;
  action: VendoredAction;
  workflow: WrittenWorkflow;
  /** The entries that keep formatters, linters and GitHub's statistics away from the vendored folder, and whether they were added. */
  ignores: IgnoreProposal & { added: boolean };
}

/**
 * Whether to add the ignore entries (vendoredIgnores.ts): the host asks, only when there is
 * something to add; without it nothing is added.
 */
export type IgnoresConsent = (proposal: IgnoreProposal) => Promise<boolean>;

/** The ignore entries proposed, then added if `consent` agrees. */
async function ignoresAt(top: string, consent: IgnoresConsent | undefined): Promise<GithubInitReport['ignores']> {
  const proposal = await ignoreEdits(top);
  const added = proposal.edits.length > 0 && consent !== undefined && (await consent(proposal));
  if (added) await applyIgnoreEdits(top, proposal.edits);
  return { ...proposal, added };
}

interface Place {
  top: string;
  /** The workspace's config, relative to the top level. */
  config: string;
}

async function placeOf(workspace: string): Promise<Place> {
  const top = await repositoryTop(workspace);
  const folder = relative(top, workspace).replace(/\\/g, '/');
  return { top, config: `${folder && !folder.startsWith('..') ? `${folder}/` : ''}.claude/orchestrator.yaml` };
}

/** `init --github-action`: the Action in `.github/actions/orchestrator/` and the workflow that uses it. */
export async function initGithubAction(
  workspace: string,
  packageRoot: string,
  options: { force: boolean; ignores?: IgnoresConsent },
): Promise<GithubInitReport> {
  const place = await placeOf(workspace);
  const { label } = (await loadConfig(workspace)).github;
  const action = await vendorAction(place.top, packageRoot, options.force);
  const text = actionWorkflow({ label, config: place.config, ciWorkflows: await otherWorkflows(place.top) });
  return {
    top: place.top,
    action,
    workflow: await writeWorkflowFile(place.top, ACTION_WORKFLOW_FILE, text, options.force),
    ignores: await ignoresAt(place.top, options.ignores),
  };
}

/** `init --ci github`: the vendored Action (its CLI and its sandbox step) and the checks workflow. */
export async function initGithubChecks(
  workspace: string,
  packageRoot: string,
  options: GithubWorkflowOptions & { force: boolean; ignores?: IgnoresConsent },
): Promise<GithubInitReport> {
  const place = await placeOf(workspace);
  const action = await vendorAction(place.top, packageRoot, options.force);
  const { ignores, ...workflowOptions } = options;
  const text = githubWorkflow({ ...workflowOptions, config: place.config });
  return {
    top: place.top,
    action,
    workflow: await writeWorkflowFile(place.top, GITHUB_WORKFLOW_FILE, text, options.force),
    ignores: await ignoresAt(place.top, ignores),
  };
}

/** The `name:` of the repository's other workflows (workflow_run names them), the Orchestrator's own left out. */
async function otherWorkflows(top: string): Promise<string[]> {
  const dir = join(top, '.github', 'workflows');
  const files = await readdir(dir).catch(() => [] as string[]);
  const ours = new Set([ACTION_WORKFLOW_FILE, GITHUB_WORKFLOW_FILE].map((file) => file.split('/').pop()));
  const names: string[] = [];
  for (const file of files.filter((name) => /\.ya?ml$/.test(name) && !ours.has(name)).sort()) {
    try {
      const name = (parse(await readFile(join(dir, file), 'utf8')) as { name?: unknown } | null)?.name;
      names.push(typeof name === 'string' && name.trim() ? name.trim() : `.github/workflows/${file}`);
    } catch {
      // A file GitHub cannot read either: no workflow to name.
    }
  }
  return names;
}
