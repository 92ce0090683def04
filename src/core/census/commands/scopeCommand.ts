/**
 * A command the repository runs (CI, Mustard, a task file), made to check one project:
 * kept as it is when it already runs in or names that project, or narrowed to it when it
 * runs over the whole repository (`turbo run lint` → `pnpm --filter web lint`, `cargo clippy
 * --workspace` → `cargo clippy -p core`, `dotnet build` → `dotnet build Api/Api.csproj`).
 */
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { quote } from 'shell-quote';
import { checkedProgram, commandWords, jvmTaskIndexes, type CheckKind } from './checkCommands';
import { buildTargets, targetCovers } from './buildTargets';
import { scriptCommands } from './shellScript';
import {
  isUsableScript,
  recursiveScripts,
  rootScriptName,
  scriptCommand,
  type PackageManager,
} from './packageCommands';
import type { Project, RepoCommand } from '../types';
import type { Workspaces } from '../manifests/workspaces';

export interface ScopeContext {
  workspaces: Workspaces;
  /** Root package.json scripts (a CI `pnpm lint` may run `turbo run lint`). */
  rootScripts: Record<string, string>;
  manager: PackageManager;
  /** The projects that layers are made of (aggregators excluded). */
  projects: readonly Project[];
  /** Whether a folder holds tests of its own (`tests/`, `test_*.py`); absent: assumed so. */
  hasOwnTests?: (dir: string) => boolean;
  /** The root project keeps tests outside every member (a uv workspace's root `tests/`). */
  testsAtRoot?: boolean;
  /** The commands the repository's Nix files define (nixDefined.ts). */ nixDefined?: ReadonlyMap<string, CheckKind>;
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
  if (isInside(cwd, project.dir) && cwd !== project.dir)
    return nestedProjectAt(cwd, project, ctx) ? [] : [inCwd(command)];
  if (cwd === project.dir) return othersTargets(command, cwd, project, ctx) ? [] : [inCwd(command)];
  if (!isInside(project.dir, cwd)) return [];

  // The command runs above the project: it must name it, or be narrowed to it.
  const words = commandWords(command);
  const relativeDir = cwd === '' ? project.dir : project.dir.slice(cwd.length + 1);
  if (namesProject(words, project, relativeDir, ctx.workspaces.gradlePaths.get(project.dir)))
    return [inCwd(onlyOwnTargets(command, words, relativeDir, project.name))];
  const narrowed = narrow(command, words, project, relativeDir, ctx);
  if (narrowed !== undefined) return narrowed.map(inCwd);
  return [];
}

/** A command whose build targets are all deeper projects' (`dune runtest cohttp-eio`, `bazel test //sub/...`): theirs. */
function othersTargets(command: string, cwd: string, project: Project, ctx: ScopeContext): boolean {
  const targets = buildTargets(commandWords(command)).map((t) => posix.join(cwd, t.folder).replace(/\/$/, ''));
  return (
    targets.length > 0 &&
    targets.every((t) =>
      ctx.projects.some((p) => p !== project && p.dir.length > project.dir.length && isInside(t, p.dir)),
    )
  );
}

function isInside(path: string, folder: string): boolean {
  return folder === '' || path === folder || path.startsWith(`${folder}/`);
}

/** A deeper project than `project` holds `cwd`: the command is that one's. */
function nestedProjectAt(cwd: string, project: Project, ctx: ScopeContext): boolean {
  return ctx.projects.some(
    (p) => p !== project && p.dir.length > project.dir.length && isInside(p.dir, project.dir) && isInside(cwd, p.dir),
  );
}

function namesProject(
  words: readonly string[],
  project: Project,
  relativeDir: string,
  gradleModule: string | undefined,
): boolean {
  // A Gradle task CI qualified itself (`:core:data:check`; `:app:check` for a module its settings moved).
  const gradlePath = `${gradleModule ?? `:${relativeDir.split('/').join(':')}`}:`;
  if (
    relativeDir !== '' &&
    /gradlew?$/.test(words[0] ?? '') &&
    words.some((w) => w.startsWith(gradlePath) && !w.slice(gradlePath.length).includes(':'))
  )
    return true;
  // A Bazel or Pants target under this project's folder (`bazel test //services/api/...`, `pants test services/api::`).
  if (relativeDir !== '' && buildTargets(words).some((t) => t.folder !== '' && targetCovers(t, relativeDir)))
    return true;
  // An sbt task CI qualified with this project's id (`sbt +plugin/testFull`, `sbt docs/mdoc`).
  if (programOf(words) === 'sbt' && words.some((w) => w.replace(/^\+/, '').startsWith(`${project.name}/`))) return true;
  const selectors = new Set([
    project.name,
    relativeDir,
    `./${relativeDir}`,
    `${relativeDir}/`,
    `./${relativeDir}/`,
    `./${relativeDir}/...`,
    `${relativeDir}/...`,
  ]);
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    const value = word.includes('=') && word.startsWith('-') ? word.slice(word.indexOf('=') + 1) : word;
    if (
      relativeDir !== '' &&
      (selectors.has(value) || value.startsWith(`${relativeDir}/`) || value.startsWith(`./${relativeDir}/`))
    )
      return true;
    const previous = words[i - 1] ?? '';
    if (
      ['--filter', '-F', '-p', '--package', '-w', '--workspace', '-pl', '--projects'].includes(previous) &&
      selectors.has(value)
    )
      return true;
    if (previous === 'workspace' && words[0] === 'yarn' && value === project.name) return true;
  }
  return false;
}

function narrow(
  command: string,
  words: readonly string[],
  project: Project,
  relativeDir: string,
  ctx: ScopeContext,
): string[] | undefined {
  const program = words[0]?.split('/').at(-1) ?? '';
  const sub = words.find((w, i) => i > 0 && !w.startsWith('-'));
  // JS: a recursive runner, or a root script that is one.
  let scripts = recursiveScripts(words);
  const rootScript = rootScriptName(words);
  if (scripts === undefined && rootScript !== undefined && ctx.rootScripts[rootScript] !== undefined) {
    const text = ctx.rootScripts[rootScript]!;
    scripts = recursiveScripts(commandWords(text));
  }
  // A root script made of per-package steps (`pnpm run -C packages/pinia build && pnpm run -C packages/nuxt build`): this package's.
  if (scripts === undefined && rootScript !== undefined && ctx.rootScripts[rootScript] !== undefined)
    scripts = stepsInFolder(ctx.rootScripts[rootScript]!, relativeDir);
  if (scripts !== undefined) {
    return scripts
      .filter((s) => isUsableScript(project.scripts[s]))
      .map((s) => scriptCommand(project, s, ctx.workspaces, ctx.manager));
  }
  // Already scoped to some other package or project: not this one's.
  if (program === 'cargo' && words.some((w) => /^(-p|--package|--manifest-path|--bin|--example)(=|$)/.test(w)))
    return [];
  if (
    program === 'cargo' &&
    project.ecosystem === 'rust' &&
    ctx.workspaces.cargoMembers.has(project.dir) &&
    ['check', 'clippy', 'test', 'build', 'nextest'].includes(sub ?? '')
  ) {
    const kept = words.filter((w) => w !== '--workspace' && w !== '--all');
    const at = kept.indexOf(sub!) + 1;
    return [[...kept.slice(0, at), '-p', project.name, ...kept.slice(at)].join(' ')];
  }
  if (program === 'dotnet' && (sub === 'build' || sub === 'test')) {
    if (project.ecosystem !== 'dotnet' || (sub === 'test') !== Boolean(project.tests)) return [];
    // One project or solution per command (MSBuild refuses two): a solution or a glob gives way to this project.
    const targets = words
      .map((w, i) => ({ w, i }))
      .filter(({ w, i }) => i > 1 && /\.(sln|slnx|slnf|csproj|fsproj|vbproj|proj)$/.test(w));
    for (const { w } of targets) {
      if (/\.(csproj|fsproj|vbproj|proj)$/.test(w) && !/[*?{]/.test(w)) return [];
      if (
        /[*?{]/.test(w) &&
        !picomatch(w.replace(/^\.\//, ''), { dot: true })(
          project.manifest.slice(project.dir.length - relativeDir.length),
        )
      )
        return [];
    }
    const dropped = new Set(targets.map((t) => t.i));
    const rest = words.slice(2).filter((_, i) => !dropped.has(i + 2));
    return [
      [
        'dotnet',
        sub,
        relativeDir === '' ? project.manifest : posix.join(relativeDir, posix.basename(project.manifest)),
        ...rest,
      ].join(' '),
    ];
  }
  if ((program === 'mvn' || program === 'mvnw') && (words.includes('-pl') || words.includes('--projects'))) return [];
  if (
    (program === 'mvn' || program === 'mvnw') &&
    project.ecosystem === 'maven' &&
    ctx.workspaces.jvmModules.has(project.dir)
  ) {
    // `-f service/pom.xml`: the reactor is that pom's folder, so a module's path is taken from there (`-pl annotations`).
    const file = words.findIndex((w) => w === '-f' || w === '--file');
    const pom = file >= 0 ? (words[file + 1] ?? '').replace(/^\.\//, '') : '';
    const reactor = (/\.xml$/.test(pom) ? posix.dirname(pom) : pom).replace(/^\.$/, '').replace(/\/$/, '');
    if (!isInside(relativeDir, reactor)) return [];
    const module = reactor === '' ? relativeDir : relativeDir.slice(reactor.length + 1);
    if (module === '') return [command];
    // A module holding folded ones builds them too: they inherit from it, so `-amd` takes them in.
    const folds = [...ctx.workspaces.foldedModules.values()].includes(project.dir);
    return [[words[0], '-pl', module, ...(folds ? ['-amd'] : []), ...words.slice(1)].join(' ')];
  }
  // sbt's standard tasks at the build's root run in every project: this one's (`sbt test` → `sbt core/test`); an alias is left whole.
  if (program === 'sbt' && project.ecosystem === 'scala' && ctx.workspaces.buildRoots.get(project.dir) !== undefined) {
    const tasks = words.slice(1).filter((w) => !w.startsWith('-'));
    if (tasks.some((t) => t.includes('/'))) return [];
    if (tasks.length > 0 && tasks.every((t) => SBT_PROJECT_TASKS.has(t.replace(/^\+/, ''))))
      return [[words[0], ...words.slice(1).map((w) => (w.startsWith('-') ? w : `${project.name}/${w}`))].join(' ')];
    return undefined;
  }
  if (program === 'gradle' || program === 'gradlew') {
    const tasks = jvmTaskIndexes(words);
    // A task CI qualified (`:build-logic:convention:check`) belongs to that module, never gets a second prefix.
    if (tasks.some((i) => words[i]!.startsWith(':'))) return [];
    if (project.ecosystem === 'gradle' && ctx.workspaces.jvmModules.has(project.dir)) {
      const path = ctx.workspaces.gradlePaths.get(project.dir) ?? `:${relativeDir.split('/').join(':')}`;
      return [words.map((w, i) => (tasks.includes(i) ? `${path}:${w}` : w)).join(' ')];
    }
  }
  // A Python or Go tool run over the whole repository: run it in this project's folder.
  const tool = checkedProgram(command);
  if (project.ecosystem === 'python' && tool && PYTHON_TOOLS.has(tool)) {
    // A member whose tests live at the root (a uv workspace's root `tests/`) is checked from there: run in the member, they would find none.
    if (
      relativeDir === project.dir &&
      ctx.testsAtRoot &&
      ctx.hasOwnTests?.(project.dir) === false &&
      ctx.projects.some((p) => p.dir === '' && p.ecosystem === 'python')
    )
      return undefined;
    const inMember = withinFolder(command, words, tool, relativeDir);
    return inMember === undefined ? [] : [`cd ${relativeDir} && ${inMember}`];
  }
  if (project.ecosystem === 'go' && program === 'go' && words.includes('./...'))
    return [`cd ${relativeDir} && ${command}`];
  // One project in the whole repository: every root command is its own.
  if (ctx.projects.filter((p) => !p.tests).length === 1 && project.dir === '') return [command];
  return undefined;
}

/** The scripts a root script's steps run in `dir` (`pnpm run -C <dir> build`, `npm --prefix <dir> run build`, `yarn --cwd <dir> build`); undefined when no step names a folder. */
function stepsInFolder(text: string, dir: string): string[] | undefined {
  const clean = (path: string) => path.replace(/^\.\//, '').replace(/\/+$/, '');
  let named = false;
  const scripts: string[] = [];
  for (const { text: step } of scriptCommands(text)) {
    const words = commandWords(step);
    if (!['npm', 'pnpm', 'yarn'].includes(words[0] ?? '')) continue;
    const at = words.findIndex((w) => ['-C', '--dir', '--prefix', '--cwd'].includes(w));
    if (at < 0 || words[at + 1] === undefined) continue;
    named = true;
    const rest = words.filter((_, i) => i !== 0 && i !== at && i !== at + 1 && !words[i]!.startsWith('-'));
    const script = rest[0] === 'run' || rest[0] === 'run-script' ? rest[1] : rest[0];
    if (script !== undefined && clean(words[at + 1]!) === dir) scripts.push(script);
  }
  return named ? scripts : undefined;
}

/** Options whose next word is their value (a config file, a folder to skip), not a path to check. */
const VALUE_FLAGS = new Set([
  '-c',
  '--config',
  '--config-file',
  '--rcfile',
  '-p',
  '--rootdir',
  '--confcutdir',
  '--ignore',
  '--ignore-glob',
  '--deselect',
  '--cov',
  '--cov-config',
  '--junitxml',
  '--basetemp',
  '-o',
  '--output-file',
  '--exclude',
  '--extend-exclude',
]);

interface PathArgument {
  index: number;
  path: string;
  /** `--cov=` of `--cov=src/app`; '' for a word of its own. */
  prefix: string;
  /** An option's value (`--config ruff.toml`), not a path the command checks. */
  option: boolean;
}

/**
 * The paths a command names after its program (`pytest .github/scripts/test_x.py packages/core/tests`,
 * `--cov=src/app`): words with a folder in them or a file name, as the command's folder reads them.
 */
export function pathArguments(words: readonly string[], tool: string): PathArgument[] {
  const start = words.findIndex((w) => w.split('/').at(-1) === tool);
  const found: PathArgument[] = [];
  for (let i = Math.max(start, 0) + 1; i < words.length; i++) {
    const word = words[i]!;
    const eq = word.startsWith('-') ? word.indexOf('=') : -1;
    const value = eq >= 0 ? word.slice(eq + 1) : word;
    if ((word.startsWith('-') && eq < 0) || value.startsWith('$') || /^[a-z]+:\/\//i.test(value)) continue;
    if (!value.includes('/') && !/\.(py|pyi|toml|ini|cfg|json|ya?ml|md)$/.test(value)) continue;
    const option = eq >= 0 || VALUE_FLAGS.has(words[i - 1] ?? '');
    found.push({
      index: i,
      path: posix.normalize(value).replace(/\/$/, ''),
      prefix: eq >= 0 ? word.slice(0, eq + 1) : '',
      option,
    });
  }
  return found;
}

export const isIn = (path: string, folder: string) => folder === '' || path === folder || path.startsWith(`${folder}/`);

/**
 * A root command run in a member's folder: one checking paths (none of them the member's, or it
 * would name the member) is not the member's (undefined); an option's value, a root file, is
 * reached from the member (`-c pyproject.toml` → `-c ../../pyproject.toml`).
 */
function withinFolder(command: string, words: readonly string[], tool: string, folder: string): string | undefined {
  const paths = pathArguments(words, tool);
  if (paths.some((p) => !p.option)) return undefined;
  if (paths.length === 0) return command;
  const rewritten = new Map(paths.map((p) => [p.index, `${p.prefix}${posix.relative(folder, p.path)}`]));
  return shellWords(words.map((w, i) => rewritten.get(i) ?? w));
}

/**
 * A root command naming this project's paths and others' (`pytest libs/a/tests libs/b/tests`) keeps only
 * this one's; a cargo command selecting several packages (`cargo test -p core -p sync`) keeps this one's.
 */
function onlyOwnTargets(command: string, words: readonly string[], folder: string, name: string): string {
  if (programOf(words) === 'cargo') return onlyOwnPackage(command, words, name);
  // Build targets name folders (`dune build http cohttp`, `bazel test //a/... //b/...`): this one's alone.
  const built = buildTargets(words);
  const elsewhere = new Set(built.filter((t) => !targetCovers(t, folder)).map((t) => t.index));
  if (built.length > elsewhere.size && elsewhere.size > 0) return shellWords(words.filter((_, i) => !elsewhere.has(i)));
  const tool = checkedProgram(command);
  const targets = tool === undefined ? [] : pathArguments(words, tool).filter((p) => !p.option);
  const others = new Set(targets.filter((p) => !isIn(p.path, folder)).map((p) => p.index));
  if (others.size === 0 || others.size === targets.length) return command;
  return shellWords(words.filter((_, i) => !others.has(i)));
}

function programOf(words: readonly string[]): string {
  return words[0]?.split('/').at(-1) ?? '';
}

/** `cargo test -p core -p sync` for `core` → `cargo test -p core`: each crate's layer checks its own package. */
function onlyOwnPackage(command: string, words: readonly string[], name: string): string {
  const selected = (i: number) =>
    /^(-p|--package)$/.test(words[i]!) ? words[i + 1] : /^(?:--package=|-p)(.+)$/.exec(words[i]!)?.[1];
  const drop = new Set<number>();
  let own = false;
  for (let i = 1; i < words.length && words[i] !== '--'; i++) {
    const value = selected(i);
    if (value === undefined) continue;
    if (value === name) own = true;
    else {
      drop.add(i);
      if (/^(-p|--package)$/.test(words[i]!)) drop.add(i + 1);
    }
    if (/^(-p|--package)$/.test(words[i]!)) i++;
  }
  return own && drop.size > 0 ? shellWords(words.filter((_, i) => !drop.has(i))) : command;
}

/** Words as a command line: globs stay globs for the shell (`tests/*.py`); anything else unusual is quoted. */
function shellWords(words: readonly string[]): string {
  return words.map((w) => (/^[\w@%+=:,./*?-]+$/.test(w) ? w : quote([w]))).join(' ');
}

/** sbt tasks every project has, so one run at the root is run on each (`sbt test` → `sbt core/test`). */
const SBT_PROJECT_TASKS = new Set(['test', 'compile', 'Test/compile', 'testQuick', 'scalafmtCheck']);

/** Python's test and lint tools (a root one covers Python projects; narrowed to a member's folder). */
export const PYTHON_TOOLS = new Set([
  'pytest',
  'py.test',
  'ruff',
  'mypy',
  'flake8',
  'black',
  'pyright',
  'basedpyright',
  'pylint',
  'isort',
  'bandit',
  'unittest',
]);
