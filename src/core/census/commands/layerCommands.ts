/**
 * The commands the census proposes for a layer: a project's (what CI runs for it, then Mustard's,
 * its task files', its manifest's, a root command covering it), a unit's and a folder's, at most
 * MAX_COMMANDS_PER_LAYER each, every one in the form a validate command keeps.
 */
import { posix } from 'node:path';
import type { ScriptsReader } from '../../project/commands';
import { checkedProgram, miseTaskFolder, normalizeCheck, type CheckKind, type ScriptText } from './checkCommands';
import { manifestCommands } from './manifestCommands';
import { definedCheck } from './nixDefined';
import { folderTasksCovering, rootCommandsCovering } from './rootCommands';
import { scopeCommand, type ScopeContext } from './scopeCommand';
import type { ProposedCommand, Project, RepoCommand } from '../types';
import type { Unit } from '../layers/units';
import { packageManagerOf } from '../manifests/workspaces';

const MAX_COMMANDS_PER_LAYER = 5;
/** Programs that check JavaScript or TypeScript. */
const JS_TOOLS = /^(npm|pnpm|yarn|bun|npx|node|tsc|eslint|jest|vitest|biome|oxlint|prettier|vp|deno)$/;

/** Each project's commands: what CI runs for it and the checks Mustard declares, else its task files', else its manifest's, else a root command that covers it. */
export function projectCommands(
  scope: ScopeContext,
  files: ReadonlySet<string>,
  ci: RepoCommand[],
  mustard: RepoCommand[],
  tasks: RepoCommand[],
): (p: Project) => ProposedCommand[] {
  const memo = new Map<Project, ProposedCommand[]>();
  const checks = checksOf(scope.projects, scope.rootScripts, scope.nixDefined);
  const fromRepo = (project: Project, list: RepoCommand[]) => {
    const found: ProposedCommand[] = [];
    for (const repo of checks(list)) {
      for (const command of scopeCommand(repo, project, scope))
        if (!found.some((f) => f.command === command)) found.push({ command, origin: repo.origin, kind: repo.kind });
    }
    return found;
  };
  // A root task target's recipe lines (`make test` → `uv run pytest`), each made this member's own: never the root's target copied to each member.
  const fromRecipes = (project: Project, list: RepoCommand[]) => {
    if (project.dir === '') return [];
    const recipes = checks(list).flatMap((repo) =>
      repo.cwd === '' ? (tasks.find((t) => t.cwd === '' && t.command === repo.command) ?? []) : [],
    );
    return fromRepo(
      project,
      [...new Set(recipes)].flatMap((task) =>
        (task.runs ?? []).map((line) => ({ command: line, cwd: '', origin: `${task.origin} (${task.command})` })),
      ),
    );
  };
  const manifestContext = {
    workspaces: scope.workspaces,
    files,
    manager: (dir: string) => (scope.workspaces.js ? scope.workspaces.js.manager : packageManagerOf(files, dir)),
  };
  // A package.json beside the folder's main manifest (Symfony's composer.json and its Encore assets): when nothing
  // found checks its JavaScript, its own scripts do.
  const besideScripts = (project: Project, found: readonly ProposedCommand[]): ProposedCommand[] => {
    if (
      project.ecosystem === 'node' ||
      Object.keys(project.scripts).length === 0 ||
      !files.has(project.dir === '' ? 'package.json' : `${project.dir}/package.json`)
    )
      return [];
    if (found.some((c) => JS_TOOLS.test(checkedProgram(c.command) ?? ''))) return [];
    return manifestCommands(
      { ...project, ecosystem: 'node', manifest: project.dir === '' ? 'package.json' : `${project.dir}/package.json` },
      manifestContext,
    );
  };
  return (project) => {
    let commands = memo.get(project);
    if (!commands) {
      commands = fromRepo(project, ci);
      // Every check mustard.json declares is used, unless CI already runs that tool's same kind of check (its `cargo test` beside CI's).
      const declared = fromRepo(project, mustard).filter(
        (m) => !commands!.some((c) => c.kind === m.kind && checkedProgram(c.command) === checkedProgram(m.command)),
      );
      commands = [...commands, ...declared];
      // A task runner CI runs in a folder above the project (`cd swift/apple && mise run check`) checks what that folder holds.
      if (commands.length === 0) commands = folderTasksCovering(project, checks(ci));
      if (commands.length === 0) commands = fromRepo(project, tasks);
      // CI's root command whose tool is this project's (`make test` running `cargo test`) comes before an invented one:
      // what its recipe runs, narrowed to this member (`cargo test -p core`, `cd apps/api && uv run pytest`), else the target itself.
      if (commands.length === 0) commands = fromRecipes(project, ci);
      if (commands.length === 0)
        commands = rootCommandsCovering(project, checks(ci), tasks, true, scope.workspaces.cargoMembers);
      if (commands.length === 0) commands = manifestCommands(project, manifestContext);
      if (commands.length === 0) commands = fromRecipes(project, [...ci, ...tasks]);
      if (commands.length === 0)
        commands = rootCommandsCovering(
          project,
          checks([...ci, ...tasks]),
          tasks,
          false,
          scope.workspaces.cargoMembers,
        );
      commands = [...commands, ...besideScripts(project, commands)];
      memo.set(project, commands);
    }
    return commands;
  };
}

export type CheckedCommand = RepoCommand & { kind: NonNullable<ProposedCommand['kind']> };

/** The repository's commands that check code, each in the form a validate command keeps (`./gradlew clean test` → `./gradlew test`). */
export function checksOf(
  projects: readonly Project[],
  rootScripts: Record<string, string>,
  nixDefined: ReadonlyMap<string, CheckKind> = new Map(),
): (list: RepoCommand[]) => CheckedCommand[] {
  const memo = new Map<RepoCommand, CheckedCommand | null>();
  return (list) =>
    list.flatMap((repo) => {
      let checked = memo.get(repo);
      if (checked === undefined) {
        const scripts =
          projects.find((p) => p.dir === repo.cwd && p.ecosystem === 'node')?.scripts ??
          (repo.cwd === '' ? rootScripts : {});
        const scriptText: ScriptText = (name) => scripts[name];
        const defined = definedCheck(repo.command, nixDefined);
        const normal =
          normalizeCheck(repo.command, scriptText) ?? (defined && { command: repo.command.trim(), kind: defined });
        // A build in a release or deploy workflow (`release.yml`: `cargo build --release --bin …`) packages; it checks nothing CI does not.
        // A mise monorepo task runs in its folder (`mise run //swift/apple:check` is `cd swift/apple && mise run check`).
        const moved = normal && repo.cwd === '' ? miseTaskFolder(normal.command) : undefined;
        checked =
          normal && !(normal.kind === 'build' && isReleaseWorkflow(repo.origin))
            ? { ...repo, command: normal.command, kind: normal.kind, ...moved }
            : null;
        memo.set(repo, checked);
      }
      return checked ? [checked] : [];
    });
}

function isReleaseWorkflow(origin: string): boolean {
  return (
    /^\.github\/workflows\//.test(origin) &&
    posix
      .basename(origin)
      .replace(/\.ya?ml$/, '')
      .split(/[-_.]/)
      .some((part) => /^(release|releases|publish|deploy|dist|package|packaging|bump)$/i.test(part))
  );
}

export function unitCommands(unit: Unit, commandsOf: (p: Project) => ProposedCommand[]): ProposedCommand[] {
  const found: ProposedCommand[] = [];
  const firsts = new Set<string>();
  for (const project of unit.projects) {
    const own = commandsOf(project);
    // Each project of the layer keeps one of its checks (a PHP app's and the JS beside it in one folder).
    if (own[0]) firsts.add(own[0].command);
    for (const command of own) if (!found.some((f) => f.command === command.command)) found.push(command);
  }
  return keepBest(found, firsts);
}

/** At most MAX_COMMANDS_PER_LAYER, in CI's order: builds are the first to go, then tests; `kept` ones stay. */
function keepBest(commands: ProposedCommand[], kept: ReadonlySet<string> = new Set()): ProposedCommand[] {
  if (commands.length <= MAX_COMMANDS_PER_LAYER) return commands;
  const rank = { lint: 0, typecheck: 0, test: 1, build: 2 } as const;
  const order = (c: ProposedCommand) => (kept.has(c.command) ? -1 : rank[c.kind ?? 'lint']);
  const chosen = new Set([...commands].sort((a, b) => order(a) - order(b)).slice(0, MAX_COMMANDS_PER_LAYER));
  return commands.filter((c) => chosen.has(c));
}

/** What the manifests at the top would run, aggregators' too (`./gradlew classes`, `pnpm lint`): the root's own files are theirs to check. */
export function rootManifestCommands(
  manifestProjects: readonly Project[],
  scope: ScopeContext,
  files: ReadonlySet<string>,
): ProposedCommand[] {
  const found: ProposedCommand[] = [];
  for (const project of manifestProjects.filter((p) => p.dir === '')) {
    for (const command of manifestCommands(project, {
      workspaces: scope.workspaces,
      files,
      manager: () => scope.manager,
    }))
      if (!found.some((f) => f.command === command.command)) found.push(command);
  }
  return keepBest(found);
}

/** Build tools whose root build file the census reads no manifest of, and the sources a root task of theirs compiles and tests. */
const ROOT_BUILDS = [
  { program: /^(\.\/)?sbt$/, build: ['build.sbt'], sources: /\.(scala|java)$/ },
  { program: /^(\.\/)?mill$/, build: ['build.mill', 'build.sc'], sources: /\.(scala|java)$/ },
];

/** `sbt test` at the root of an sbt build checks every folder of Scala code below it (a subproject the build file declares). */
export function rootBuildChecks(
  folder: string,
  checks: CheckedCommand[],
  files: ReadonlySet<string>,
  sourceFiles: readonly string[],
): ProposedCommand[] {
  if (folder === '') return [];
  const builds = ROOT_BUILDS.filter(
    (b) =>
      b.build.some((f) => files.has(f)) && sourceFiles.some((f) => f.startsWith(`${folder}/`) && b.sources.test(f)),
  );
  const found: ProposedCommand[] = [];
  for (const c of checks) {
    const words = c.command.split(/\s+/);
    // A task CI qualifies with one project (`sbt docs/mdoc`) is that project's, not the folder's.
    if (
      c.cwd !== '' ||
      !builds.some((b) => b.program.test(words[0]!)) ||
      words.some((w, i) => i > 0 && w.includes('/'))
    )
      continue;
    if (!found.some((f) => f.command === c.command)) found.push({ command: c.command, origin: c.origin, kind: c.kind });
  }
  return keepBest(found);
}

/** A folder layer's commands: CI's and task files' run in it or acting in it, or (in a repository with no project) those run at the root. */
export function folderCommands(folder: string, checks: CheckedCommand[], noProjects: boolean): ProposedCommand[] {
  const found: ProposedCommand[] = [];
  for (const repo of checks) {
    // A root task whose recipe acts in one folder (`deno task lint:tools` running `deno lint tools/`) is that folder's, run as it is.
    const at = repo.checks ?? repo.cwd;
    const inside = folder !== '' && (at === folder || at.startsWith(`${folder}/`));
    const atRoot = repo.cwd === '' && repo.checks === undefined && (noProjects || folder === '');
    if (!inside && !atRoot) continue;
    const command = repo.cwd === '' ? repo.command : `cd ${repo.cwd} && ${repo.command}`;
    if (!found.some((f) => f.command === command)) found.push({ command, origin: repo.origin, kind: repo.kind });
  }
  return keepBest(found);
}

/** The scripts of the manifests the census read, and the JS workspace's packages: what a command would execute. */
export function scriptsReader(
  projects: readonly Project[],
  members: ReadonlyMap<string, string> | undefined,
): ScriptsReader {
  const byManifest = new Map(projects.map((p) => [p.dir === '' ? 'package.json' : `${p.dir}/package.json`, p.scripts]));
  const reader: ScriptsReader = (packageJson) => byManifest.get(packageJson);
  reader.packageDir = (selector) =>
    [...(members ?? [])].find(([dir, name]) => name === selector || dir === selector)?.[0];
  reader.packageDirs = () => [...(members?.keys() ?? [])];
  return reader;
}
