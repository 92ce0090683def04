/**
 * The sandbox of the project's commands that run code the layers wrote (validate, sync, deploy,
 * smoke, the audit's tests, worktree setup; issue 36): the work writable, a private HOME and
 * /tmp per run (so npm, pip and cargo caches land there), no network unless `sandbox.network`
 * (or the layer's `sandbox.network`) names it. In a worktree run the user's checkout is not
 * there, except the folders `worktree.link` shares, read-only; in place, the rest of the
 * repository is readable (hoisted node_modules) and only the workspace writable.
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { processTempFolder, sandboxPolicy, spreadSubfolders, type SandboxPolicy } from '../sandbox';

/**
 * What of the project's config a command's sandbox reads (project/config's OrchestratorConfig
 * is one: the process room sits below the project and never imports it).
 */
export interface CommandSandboxConfig {
  sandbox: { mode: 'required' | 'off'; network: readonly string[] };
  worktree: { link: readonly string[] };
  layers: Readonly<Record<string, { sandbox?: { network: readonly string[] } } | undefined>>;
}

/** A command's policy, its cwd given when it runs. */
export type CommandSandbox = Omit<SandboxPolicy, 'cwd'>;

export interface CommandPlace {
  /** Where the command runs. */
  workspace: string;
  /** The run's worktree (its root) when the run works in one. */
  worktree?: string;
  /** The user's checkout (the workspace the run was started in), hidden from a worktree run. */
  checkout?: string;
  /** The run, for its private folder; none outside a run. */
  runId?: string;
  /** The layer whose command it is (its `sandbox.network`, its lane). */
  layer?: string;
  command: string;
  /** Folders beside the work it may read (a change-set's producers' changed heads, linked into the consumer). */
  readOnly?: readonly string[];
}

let base: string | undefined;

/** This process's private folder of command homes: made once, unguessable, removed at exit (after a kill -9, by the next process). */
function privateBase(): string {
  if (!base) {
    base = processTempFolder('orchestrator-sandbox-');
    const made = base;
    // Each run's folder in a block group of its own; the first command does not wait for it.
    void spreadSubfolders(made);
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return base;
}

/** The private folder of a run's commands (of this process's commands outside a run). */
export function commandPrivateDir(runId: string | undefined): string {
  return join(privateBase(), runId ?? 'commands');
}

/** Removes a run's private folder (its caches) once the run ended. */
export function removeCommandPrivateDir(runId: string): void {
  if (base) rmSync(join(base, runId), { recursive: true, force: true });
}

/**
 * The repository's top level above `folder`, if any: a folder whose `.git` is a repository (a folder with
 * `HEAD`) or a worktree's link to one (a `gitdir:` file). A stray empty `.git` (one found in `/tmp`) is
 * none: taken for a repository, it made the whole of `/tmp` read-only around a work tree there.
 */
function repositoryTop(folder: string): string | undefined {
  for (let dir = folder; ; dir = dirname(dir)) {
    if (isGitDir(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function isGitDir(path: string): boolean {
  try {
    if (statSync(path).isDirectory()) return existsSync(join(path, 'HEAD'));
    return readFileSync(path, 'utf8').startsWith('gitdir:');
  } catch {
    return false;
  }
}

/** undefined when the config turns the sandbox off. */
export function commandSandbox(config: CommandSandboxConfig, place: CommandPlace): CommandSandbox | undefined {
  if (config.sandbox.mode === 'off') return undefined;
  const layerNetwork = place.layer ? config.layers[place.layer]?.sandbox?.network : undefined;
  const privateDir = commandPrivateDir(place.runId);
  const common = {
    home: join(privateDir, 'home'),
    tmp: join(privateDir, 'tmp'),
    network: layerNetwork ?? config.sandbox.network,
    who: { command: place.command },
  };
  if (place.worktree) {
    const checkout = place.checkout;
    return sandboxPolicy({
      ...common,
      writable: [place.worktree],
      ...(checkout ? { linked: { checkout, links: config.worktree.link } } : {}),
      hidden: checkout ? [repositoryTop(checkout) ?? checkout] : [],
      readOnly: place.readOnly ?? [],
    });
  }
  const top = repositoryTop(place.workspace);
  return sandboxPolicy({
    ...common,
    writable: [place.workspace],
    readOnly: [...(top && top !== place.workspace ? [top] : []), ...(place.readOnly ?? [])],
  });
}
