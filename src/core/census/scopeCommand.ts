/**
 * A command the repository runs (CI, Mustard, a task file), made to check one project:
 * kept as it is when it already runs in or names that project, or narrowed to it when it
 * runs over the whole repository (`turbo run lint` → `pnpm --filter web lint`, `cargo clippy
 * --workspace` → `cargo clippy -p core`, `dotnet build` → `dotnet build Api/Api.csproj`).
 */
import { posix } from 'node:path';
import { commandWords } from './commandKinds';
import { isUsableScript, recursiveScripts, rootScriptName, scriptCommand, type PackageManager } from './packageCommands';
import type { Project, RepoCommand } from './types';
import type { Workspaces } from './workspaces';

export interface ScopeContext {
  workspaces: Workspaces;
  /** Root package.json scripts (a CI `pnpm lint` may run `turbo run lint`). */
  rootScripts: Record<string, string>;
  manager: PackageManager;
  /** The projects that layers are made of (aggregators excluded). */
  projects: readonly Project[];
}

export function scopeCommand(repo: RepoCommand, project: Project, ctx: ScopeContext): string[] {
  let { command, cwd } = repo;
  const cd = /^cd\s+([^\s&;|]+)\s*&&\s*(.+)$/.exec(command);
  if (cd) {
    const moved = posix.normalize(posix.join(cwd || '.', cd[1]!)).replace(/^\.$/, '');
    if (moved.startsWith('..')) return [];
    cwd = moved;
    command = cd[2]!;
  }
  const inCwd = (text: string) => (cwd === '' ? text : `cd ${cwd} && ${text}`);
  if (isInside(cwd, project.dir) && cwd !== project.dir) return nestedProjectAt(cwd, project, ctx) ? [] : [inCwd(command)];
  if (cwd === project.dir) return [inCwd(command)];
  if (!isInside(project.dir, cwd)) return [];

  // The command runs above the project: it must name it, or be narrowed to it.
  const words = commandWords(command);
  const relativeDir = cwd === '' ? project.dir : project.dir.slice(cwd.length + 1);
  if (namesProject(words, project, relativeDir)) return [inCwd(command)];
  const narrowed = narrow(command, words, project, relativeDir, ctx);
  if (narrowed !== undefined) return narrowed.map(inCwd);
  return [];
}

function isInside(path: string, folder: string): boolean {
  return folder === '' || path === folder || path.startsWith(`${folder}/`);
}

/** A deeper project than `project` holds `cwd`: the command is that one's. */
function nestedProjectAt(cwd: string, project: Project, ctx: ScopeContext): boolean {
  return ctx.projects.some((p) => p !== project && p.dir.length > project.dir.length && isInside(p.dir, project.dir) && isInside(cwd, p.dir));
}

function namesProject(words: readonly string[], project: Project, relativeDir: string): boolean {
  const selectors = new Set([project.name, relativeDir, `./${relativeDir}`, `${relativeDir}/`, `./${relativeDir}/`, `./${relativeDir}/...`, `${relativeDir}/...`]);
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    const value = word.includes('=') && word.startsWith('-') ? word.slice(word.indexOf('=') + 1) : word;
    if (relativeDir !== '' && (selectors.has(value) || value.startsWith(`${relativeDir}/`) || value.startsWith(`./${relativeDir}/`))) return true;
    const previous = words[i - 1] ?? '';
    if (['--filter', '-F', '-p', '--package', '-w', '--workspace', '-pl', '--projects'].includes(previous) && selectors.has(value)) return true;
    if (previous === 'workspace' && words[0] === 'yarn' && value === project.name) return true;
  }
  return false;
}

function narrow(command: string, words: readonly string[], project: Project, relativeDir: string, ctx: ScopeContext): string[] | undefined {
  const program = words[0]?.split('/').at(-1) ?? '';
  const sub = words.find((w, i) => i > 0 && !w.startsWith('-'));
  // JS: a recursive runner, or a root script that is one.
  let scripts = recursiveScripts(words);
  const rootScript = rootScriptName(words);
  if (scripts === undefined && rootScript !== undefined && ctx.rootScripts[rootScript] !== undefined) {
    const text = ctx.rootScripts[rootScript]!;
    scripts = recursiveScripts(commandWords(text));
  }
  if (scripts !== undefined) {
    return scripts.filter((s) => isUsableScript(project.scripts[s])).map((s) => scriptCommand(project, s, ctx.workspaces, ctx.manager));
  }
  if (program === 'cargo' && project.ecosystem === 'rust' && ctx.workspaces.cargoMembers.has(project.dir) && ['check', 'clippy', 'test', 'build'].includes(sub ?? '')) {
    const kept = words.filter((w) => w !== '--workspace' && w !== '--all');
    const at = kept.indexOf(sub!) + 1;
    return [[...kept.slice(0, at), '-p', project.name, ...kept.slice(at)].join(' ')];
  }
  if (program === 'dotnet' && project.ecosystem === 'dotnet' && (sub === 'build' || sub === 'test')) {
    if ((sub === 'test') !== Boolean(project.tests)) return [];
    const target = words.findIndex((w, i) => i > 1 && /\.(sln|slnx|csproj|fsproj)$/.test(w));
    const rest = words.slice(2).filter((_, i) => i + 2 !== target);
    return [['dotnet', sub, relativeDir === '' ? project.manifest : posix.join(relativeDir, posix.basename(project.manifest)), ...rest].join(' ')];
  }
  if ((program === 'mvn' || program === 'mvnw') && project.ecosystem === 'maven' && ctx.workspaces.jvmModules.has(project.dir)) {
    return [[words[0], '-pl', relativeDir, ...words.slice(1)].join(' ')];
  }
  if ((program === 'gradle' || program === 'gradlew') && project.ecosystem === 'gradle' && ctx.workspaces.jvmModules.has(project.dir)) {
    const path = `:${relativeDir.split('/').join(':')}`;
    return [[words[0], ...words.slice(1).map((w) => (w.startsWith('-') ? w : `${path}:${w}`))].join(' ')];
  }
  // A Python tool over the whole repository, when this is its only Python project.
  if (['pytest', 'ruff', 'mypy', 'flake8', 'black', 'pyright'].includes(program) && project.ecosystem === 'python') {
    const pythonProjects = ctx.projects.filter((p) => p.ecosystem === 'python');
    if (pythonProjects.length === 1) return [`cd ${relativeDir} && ${command}`];
  }
  // One project in the whole repository: every root command is its own.
  if (ctx.projects.filter((p) => !p.tests).length === 1 && project.dir === '') return [command];
  return undefined;
}
