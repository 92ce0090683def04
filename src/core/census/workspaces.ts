/**
 * Which projects belong to a workspace of their ecosystem, and which root manifests only
 * gather others: JS workspaces (npm, pnpm, yarn, bun, lerna — read by @manypkg/tools, the
 * same discovery changesets uses), Cargo `[workspace]` members, Maven `<modules>`, Gradle
 * `include`s and `go.work`. An aggregator root is no project of its own.
 */
import { posix } from 'node:path';
import { loadJsWorkspace, type PackageManager } from '../project/commands/jsWorkspace';
import picomatch from 'picomatch';
import { asRecord } from './manifests';
import type { Project } from './types';

export interface Workspaces {
  /** Dirs of the members of the root JS workspace; with the tool that runs their scripts. */
  js?: { manager: PackageManager; members: Map<string, string> };
  /** Dirs of the Cargo workspace members. */
  cargoMembers: Set<string>;
  /** Dirs of Maven/Gradle modules of the root build. */
  jvmModules: Set<string>;
  /** Root dirs that only gather other projects. */
  aggregators: Set<string>;
  /** Monorepo tools seen (turbo, nx), for the context files. */
  tools: string[];
  warnings: string[];
}

export async function readWorkspaces(workspace: string, projects: readonly Project[], texts: ReadonlyMap<string, string>, files: ReadonlySet<string>): Promise<Workspaces> {
  const result: Workspaces = { cargoMembers: new Set(), jvmModules: new Set(), aggregators: new Set(), tools: [], warnings: [] };
  await readJs(workspace, result, files);
  await readCargoWorkspace(projects, texts, result);
  readJvmModules(projects, texts, files, result);
  // An Elixir umbrella's root only gathers its apps.
  if (/\bapps_path:/.test(texts.get('mix.exs') ?? '')) result.aggregators.add('');
  if (files.has('go.work')) result.tools.push('go.work');
  if (files.has('turbo.json')) result.tools.push('turbo');
  if (files.has('nx.json')) result.tools.push('nx');
  return result;
}

export function packageManagerOf(files: ReadonlySet<string>, dir: string): PackageManager {
  const at = (name: string) => files.has(dir === '' ? name : `${dir}/${name}`);
  if (at('pnpm-lock.yaml') || at('pnpm-workspace.yaml')) return 'pnpm';
  if (at('yarn.lock')) return 'yarn';
  if (at('bun.lockb') || at('bun.lock')) return 'bun';
  return 'npm';
}

async function readJs(workspace: string, result: Workspaces, files: ReadonlySet<string>): Promise<void> {
  if (!files.has('package.json') && !files.has('pnpm-workspace.yaml')) return;
  try {
    const js = await loadJsWorkspace(workspace);
    if (!js) return;
    result.js = js;
    result.aggregators.add('');
  } catch (error) {
    result.warnings.push(`package.json workspaces could not be listed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}

async function readCargoWorkspace(projects: readonly Project[], texts: ReadonlyMap<string, string>, result: Workspaces): Promise<void> {
  const { parse: parseToml } = await import('smol-toml');
  const text = texts.get('Cargo.toml');
  if (text === undefined) return;
  let toml: Record<string, unknown>;
  try {
    toml = parseToml(text) as Record<string, unknown>;
  } catch {
    return;
  }
  const workspaceTable = asRecord(toml.workspace);
  const members = Array.isArray(workspaceTable.members) ? workspaceTable.members.filter((m): m is string => typeof m === 'string') : [];
  const excluded = Array.isArray(workspaceTable.exclude) ? workspaceTable.exclude.filter((m): m is string => typeof m === 'string') : [];
  if (members.length === 0) return;
  const isMember = picomatch(members.map((m) => m.replace(/\/$/, '')));
  const isExcluded = excluded.length > 0 ? picomatch(excluded.map((m) => m.replace(/\/$/, ''))) : () => false;
  for (const project of projects) {
    if (project.ecosystem === 'rust' && project.dir !== '' && isMember(project.dir) && !isExcluded(project.dir)) result.cargoMembers.add(project.dir);
  }
  if (!('package' in toml)) result.aggregators.add('');
}

function readJvmModules(projects: readonly Project[], texts: ReadonlyMap<string, string>, files: ReadonlySet<string>, result: Workspaces): void {
  const pom = texts.get('pom.xml');
  const modules = pom ? [...pom.matchAll(/<module>([^<]+)<\/module>/g)].map((m) => posix.normalize(m[1]!.trim())) : [];
  for (const module of modules) result.jvmModules.add(module);
  if (modules.length > 0 && /<packaging>\s*pom\s*<\/packaging>/.test(pom ?? '')) result.aggregators.add('');
  // Gradle: with a root settings file, every nested build is one of its subprojects.
  const settings = files.has('settings.gradle') || files.has('settings.gradle.kts');
  if (!settings) return;
  const nested = projects.filter((p) => p.ecosystem === 'gradle' && p.dir !== '');
  for (const project of nested) result.jvmModules.add(project.dir);
  if (nested.length > 0 && ![...files].some((file) => file.startsWith('src/'))) result.aggregators.add('');
}
