/**
 * Which projects belong to a workspace of their ecosystem, and which root manifests only
 * gather others: JS workspaces (npm, pnpm, yarn, bun, lerna — read by @manypkg/tools, the
 * same discovery changesets uses), Cargo `[workspace]` members, Maven `<modules>`, Gradle
 * `include`s, `go.work`, sbt projects and dune packages (buildModules.ts). An aggregator root is no
 * project of its own.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { loadJsWorkspace, type PackageManager } from '../../project/commands';
import picomatch from 'picomatch';
import { asRecord } from './manifests';
import { readBuildModules } from './buildModules';
import type { Project } from '../types';

export interface Workspaces {
  /** Dirs of the members of the root JS workspace; with the tool that runs their scripts. */
  js?: { manager: PackageManager; members: Map<string, string> };
  /** Dirs of the Cargo workspace members. */
  cargoMembers: Set<string>;
  /** Dirs of Maven/Gradle modules of a multi-module build. */
  jvmModules: Set<string>;
  /** Each member's or module's build root: the folder of its Cargo workspace, Gradle settings or Maven reactor ('' at the top). */
  buildRoots: Map<string, string>;
  /** A Gradle module's path where its settings put it elsewhere (`project(":app").projectDir = file("apps/android")` → `:app`). */
  gradlePaths: Map<string, string>;
  /** Gradle modules a settings file includes that have no build file of their own (configured from the root's `subprojects {}`), sbt projects and dune packages. */
  includedModules: Project[];
  /** Root dirs that only gather other projects. */
  aggregators: Set<string>;
  /**
   * Maven modules below a reactor of reactors (`test-suite/` gathering `module/`, which gathers `api/`), by the
   * top module holding them: they are that module's (one layer, `mvn -pl test-suite -amd`), never layers of their own.
   */
  foldedModules: Map<string, string>;
  /** Monorepo tools seen (turbo, nx), for the context files. */
  tools: string[];
  warnings: string[];
}

export async function readWorkspaces(
  workspace: string,
  projects: readonly Project[],
  texts: ReadonlyMap<string, string>,
  files: ReadonlySet<string>,
): Promise<Workspaces> {
  const result: Workspaces = {
    cargoMembers: new Set(),
    jvmModules: new Set(),
    buildRoots: new Map(),
    gradlePaths: new Map(),
    includedModules: [],
    aggregators: new Set(),
    foldedModules: new Map(),
    tools: [],
    warnings: [],
  };
  await readJs(workspace, result, files);
  await readCargoWorkspaces(projects, texts, result);
  readMavenModules(texts, result);
  await readGradleBuilds(workspace, projects, files, result);
  const built = readBuildModules(projects, texts, [...files]);
  result.includedModules.push(...built.modules);
  for (const [dir, root] of built.roots) result.buildRoots.set(dir, root);
  for (const dir of built.aggregators) result.aggregators.add(dir);
  // A uv workspace whose root is no project of its own (`[tool.uv.workspace]` without `[project]`) only gathers its members.
  const pyproject = texts.get('pyproject.toml') ?? '';
  if (/^\s*\[tool\.uv\.workspace\]/m.test(pyproject) && !/^\s*\[project\]/m.test(pyproject)) result.aggregators.add('');
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
    // A root with code of its own outside every member (the server in `src/`, the UI a member) is a project too.
    const memberDirs = [...js.members.keys()].filter((dir) => dir !== '');
    const ownCode = [...files].some(
      (file) => /^src\/.+\.[cm]?[jt]sx?$/.test(file) && !memberDirs.some((dir) => file.startsWith(`${dir}/`)),
    );
    if (!ownCode) result.aggregators.add('');
  } catch (error) {
    result.warnings.push(
      `package.json workspaces could not be listed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
}

/** Every Cargo workspace, at the top or in a folder of its own (`rust/Cargo.toml` beside `swift/` and `kotlin/`). */
async function readCargoWorkspaces(
  projects: readonly Project[],
  texts: ReadonlyMap<string, string>,
  result: Workspaces,
): Promise<void> {
  const { parse: parseToml } = await import('smol-toml');
  for (const [path, text] of texts) {
    if (posix.basename(path) !== 'Cargo.toml' || !/^\s*\[workspace\]/m.test(text)) continue;
    let toml: Record<string, unknown>;
    try {
      toml = parseToml(text) as Record<string, unknown>;
    } catch {
      continue;
    }
    const root = dirOf(path);
    const workspaceTable = asRecord(toml.workspace);
    const members = Array.isArray(workspaceTable.members)
      ? workspaceTable.members.filter((m): m is string => typeof m === 'string')
      : [];
    const excluded = Array.isArray(workspaceTable.exclude)
      ? workspaceTable.exclude.filter((m): m is string => typeof m === 'string')
      : [];
    if (members.length === 0) continue;
    const isMember = picomatch(members.map((m) => posix.join(root, m.replace(/\/$/, ''))));
    const isExcluded =
      excluded.length > 0 ? picomatch(excluded.map((m) => posix.join(root, m.replace(/\/$/, '')))) : () => false;
    for (const project of projects) {
      if (project.ecosystem !== 'rust' || project.dir === root || !isMember(project.dir) || isExcluded(project.dir))
        continue;
      result.cargoMembers.add(project.dir);
      result.buildRoots.set(project.dir, root);
    }
    if (!('package' in toml)) result.aggregators.add(root);
  }
}

/** Maven reactors: every pom's `<modules>`, relative to it; a nested reactor's modules are the top reactor's (`-pl services/billing`). */
function readMavenModules(texts: ReadonlyMap<string, string>, result: Workspaces): void {
  const poms = [...texts.keys()]
    .filter((path) => posix.basename(path) === 'pom.xml')
    .sort((a, b) => a.split('/').length - b.split('/').length);
  for (const path of poms) {
    const pom = texts.get(path)!;
    const root = dirOf(path);
    const top = result.buildRoots.get(root) ?? root;
    const modules = [...pom.matchAll(/<module>([^<]+)<\/module>/g)].map((m) =>
      posix.normalize(posix.join(root, m[1]!.trim())),
    );
    for (const module of modules) {
      if (result.buildRoots.has(module)) continue;
      result.jvmModules.add(module);
      result.buildRoots.set(module, top);
    }
    if (root === '' && modules.length > 0 && /<packaging>\s*pom\s*<\/packaging>/.test(pom)) result.aggregators.add('');
  }
  // A module of the top reactor that gathers aggregators of its own holds everything below it.
  const gathers = (dir: string) =>
    [...(texts.get(dir === '' ? 'pom.xml' : `${dir}/pom.xml`) ?? '').matchAll(/<module>([^<]+)<\/module>/g)].map((m) =>
      posix.normalize(posix.join(dir, m[1]!.trim())),
    );
  for (const top of [...result.jvmModules].filter((m) => result.buildRoots.get(m) === '' && !m.includes('/..'))) {
    if (!gathers(top).some((inner) => gathers(inner).length > 0)) continue;
    for (const module of result.jvmModules) if (module.startsWith(`${top}/`)) result.foldedModules.set(module, top);
  }
}

/**
 * Gradle builds, rooted wherever a settings file is (`settings.gradle.kts` at the top, or in `backend/`
 * or `kotlin/android/`): every build file below it (up to another build's settings) is one of its
 * modules, and so is every folder it `include`s with no build file of its own.
 */
async function readGradleBuilds(
  workspace: string,
  projects: readonly Project[],
  files: ReadonlySet<string>,
  result: Workspaces,
): Promise<void> {
  const settingsFiles = [...files].filter((f) => /(^|\/)settings\.gradle(\.kts)?$/.test(f));
  const roots = [...new Set(settingsFiles.map(dirOf))].sort((a, b) => b.length - a.length);
  const rootOf = (dir: string) => roots.find((root) => root !== dir && (root === '' || dir.startsWith(`${root}/`)));
  for (const project of projects) {
    const root = project.ecosystem === 'gradle' && project.dir !== '' ? rootOf(project.dir) : undefined;
    if (root === undefined) continue;
    result.jvmModules.add(project.dir);
    result.buildRoots.set(project.dir, root);
  }
  const known = new Set(projects.map((p) => p.dir));
  for (const settings of settingsFiles) {
    const root = dirOf(settings);
    const text = await readFile(join(workspace, settings), 'utf8').catch(() => '');
    const moved = movedProjects(text);
    for (const [path, folder] of moved) result.gradlePaths.set(posix.join(root, folder), path);
    for (const path of includedPaths(text)) {
      const dir = posix.join(root, moved.get(path) ?? path.replace(/^:/, '').split(':').join('/'));
      if (known.has(dir) || ![...files].some((f) => f.startsWith(`${dir}/src/`))) continue;
      known.add(dir);
      result.includedModules.push({
        dir,
        ecosystem: 'gradle',
        name: posix.basename(dir),
        manifest: settings,
        frameworks: [],
        scripts: {},
        dependencies: [],
      });
      result.jvmModules.add(dir);
      result.buildRoots.set(dir, root);
    }
  }
  if (
    (files.has('settings.gradle') || files.has('settings.gradle.kts')) &&
    [...result.jvmModules].some((m) => result.buildRoots.get(m) === '') &&
    ![...files].some((file) => file.startsWith('src/'))
  )
    result.aggregators.add('');
}

/** `project(":app").projectDir = file("apps/android")` (or `new File(settingsDir, '…')`): where a settings file puts a module. */
function movedProjects(settings: string): Map<string, string> {
  const moved = new Map<string, string>();
  for (const m of settings.matchAll(
    /project\(\s*["'](:[\w:.-]+)["']\s*\)\.projectDir\s*=\s*(?:file\(|new\s+File\(\s*(?:rootDir|settingsDir)\s*,)\s*["']([^"']+)["']/g,
  )) {
    moved.set(m[1]!, posix.normalize(m[2]!.replace(/^\.\//, '')).replace(/\/$/, ''));
  }
  return moved;
}

/** `include(":app", ":core:data")`, `include ':app', ':lib'`, `include("server")`: the Gradle paths a settings file includes. */
export function includedPaths(settings: string): string[] {
  const paths: string[] = [];
  for (const call of settings.replace(/\/\/.*$/gm, '').matchAll(/^\s*include\s*(?:\(([^)]*)\)|([^\n]*))/gm)) {
    for (const quoted of (call[1] ?? call[2] ?? '').matchAll(/["']([:\w.-]+)["']/g)) paths.push(quoted[1]!);
  }
  return paths;
}

function dirOf(path: string): string {
  const dir = posix.dirname(path);
  return dir === '.' ? '' : dir;
}
