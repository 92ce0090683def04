/**
 * Which test runner a layer's tests use, found from what the census already knows: its validate
 * commands of kind `test` (CI's, task files', Mustard's, the manifest's), read past their wrappers
 * and into the package or composer scripts they run; else the unit's manifests (a `vitest`
 * dependency, pytest configured, a crate, a Go module, a .NET test project, a JVM module with
 * tests, phpunit/pest, rspec). No second detector: the programs are judged by checkCommands.
 */
import { posix } from 'node:path';
import { checkCommand, commandWords, invocationOf } from '../checkCommands';
import { recursiveScripts, TEST_SCRIPTS, isUsableScript, type PackageManager } from '../packageCommands';
import type { FileIndex } from '../fileIndex';
import {
  AVA_KEPT,
  JASMINE_KEPT,
  JEST_KEPT,
  keptOptions,
  MOCHA_KEPT,
  nodeOptions,
  pastCoverage,
  pytestPaths,
  runnerPaths,
  splitNodeArgs,
  TAP_KEPT,
  VITEST_KEPT,
} from './proofRunnerOptions';
import { scriptCommands } from '../shellScript';
import type { ProofRunnerName, ProposedCommand, Project } from '../types';

export interface RunnerFound {
  name: ProofRunnerName;
  /** The project whose tests it runs. */
  project: Project;
  /** Folder it runs in ('' = root). */
  cwd: string;
  /** Assignments, wrapper and program as the project writes them, with the options that matter kept (`uv run pytest`, `node --import tsx --test`). */
  words: string[];
  /** Paths the project's own command gives it (`test/`, `tests/**\/*.test.ts`): what it already runs. */
  paths: string[];
  origin: string;
  /** What the project's script runs before the runner, in order (`tsc -p tsconfig.esm.json`, its `pretest`): its build, when the tests it runs are compiled. */
  before?: { dir: string; text: string }[];
}

export interface RunnerContext {
  files: FileIndex;
  manager: (dir: string) => PackageManager;
  /** The workspace packages a package's tests need built first (siblingBuilds.ts). */
  siblings?: (project: Project) => readonly Project[];
  /** The JS workspace's root package, whose test script may run every package's tests. */
  root?: Project;
}

/** The first test command of the layer whose runner is known, else what the unit's manifests imply. */
export function findRunner(
  projects: readonly Project[],
  validate: readonly ProposedCommand[],
  ctx: RunnerContext,
): RunnerFound | undefined {
  for (const proposed of validate) {
    // The manifest's commands carry no kind; lints, type checks and builds never name a test runner.
    if (proposed.kind !== undefined && proposed.kind !== 'test') continue;
    const found = fromCommand(proposed.command, '', projects, ctx, proposed.origin, 0);
    if (found) return found;
  }
  for (const project of [...projects].sort((a, b) => Number(b.tests ?? false) - Number(a.tests ?? false))) {
    const found = fromManifest(project, projects, validate, ctx);
    if (found) return found;
  }
  return undefined;
}

/** A command line (`cd api && uv run pytest -q`, a script's text) read part by part. */
function fromCommand(
  command: string,
  cwd: string,
  projects: readonly Project[],
  ctx: RunnerContext,
  origin: string,
  depth: number,
): RunnerFound | undefined {
  if (depth > 3) return undefined;
  let dir = cwd;
  const steps: { dir: string; text: string }[] = [];
  for (const { text } of scriptCommands(command)) {
    const cd = /^cd\s+(\S+)$/.exec(text);
    if (cd) {
      dir = posix.normalize(posix.join(dir, cd[1]!)).replace(/^\.$/, '').replace(/\/$/, '');
      continue;
    }
    const found = fromPart(text, dir, projects, ctx, origin, depth);
    if (found) return steps.length > 0 ? { ...found, before: [...steps, ...(found.before ?? [])] } : found;
    steps.push({ dir, text });
  }
  return undefined;
}

/** The project a command run in `dir` belongs to: the deepest of the unit's projects at or above it. */
function projectAt(dir: string, projects: readonly Project[]): Project | undefined {
  return (
    [...projects]
      .filter((p) => p.dir === '' || dir === p.dir || dir.startsWith(`${p.dir}/`))
      .sort((a, b) => b.dir.length - a.dir.length)[0] ?? projects[0]
  );
}

function programName(word: string | undefined): string {
  return (word ?? '')
    .split('/')
    .at(-1)!
    .replace(/\.(exe|cmd|bat|js)$/i, '');
}

function fromPart(
  text: string,
  dir: string,
  projects: readonly Project[],
  ctx: RunnerContext,
  origin: string,
  depth: number,
): RunnerFound | undefined {
  const invocation = invocationOf(text);
  if (!invocation) return undefined;
  let { assignments, program } = invocation;
  const { wrapper } = invocation;
  // cross-env sets variables portably; a POSIX shell's own assignments do the same.
  if (programName(program[0]) === 'cross-env' || programName(program[0]) === 'cross-env-shell') {
    program = program.slice(1);
    while (program.length > 0 && /^[A-Za-z_]\w*=/.test(program[0]!)) assignments = [...assignments, program.shift()!];
  }
  // Coverage is no concern of a proof run: `c8 ava`, `nyc mocha` run their runner.
  if (programName(program[0]) === 'c8' || programName(program[0]) === 'nyc') program = pastCoverage(program.slice(1));
  const name = programName(program[0]);
  const args = program.slice(1);
  const sub = args.find((a) => !a.startsWith('-'));
  const project = projectAt(dir, projects);
  if (!project) return undefined;
  const found = (runner: ProofRunnerName, words: string[], paths: string[] = [], cwd = dir): RunnerFound => ({
    name: runner,
    project,
    cwd,
    words: [...assignments, ...words],
    paths,
    origin,
  });
  switch (name) {
    case 'npm':
    case 'pnpm':
    case 'yarn':
    case 'bun': {
      // `bun test` is bun's own runner, not the package's script: no proof runner of ours.
      if (name === 'bun' && sub === 'test') return undefined;
      const script = scriptNameOf(name, args);
      const owner = projectsAt(dir, projects).find((p) => script !== undefined && isUsableScript(p.scripts[script]));
      if (!owner || script === undefined) return undefined;
      const runner = fromCommand(
        owner.scripts[script]!,
        owner.dir,
        projects,
        ctx,
        `${owner.manifest} (scripts.${script})`,
        depth + 1,
      );
      // The package manager runs `pre<script>` first: a build there is part of how the tests run.
      const pre = isUsableScript(owner.scripts[`pre${script}`])
        ? [{ dir: owner.dir, text: `${name} run pre${script}` }]
        : [];
      return runner && pre.length > 0 ? { ...runner, before: [...pre, ...(runner.before ?? [])] } : runner;
    }
    case 'turbo':
    case 'nx':
    case 'lerna': {
      // A pipeline's test script, in each of the unit's packages that has it.
      for (const script of recursiveScripts([name, ...args]) ?? []) {
        for (const owner of projects) {
          if (isUsableScript(owner.scripts[script]))
            return fromCommand(
              owner.scripts[script]!,
              owner.dir,
              projects,
              ctx,
              `${owner.manifest} (scripts.${script})`,
              depth + 1,
            );
        }
      }
      return undefined;
    }
    case 'composer': {
      const script = sub === 'run-script' || sub === 'run' ? args.filter((a) => !a.startsWith('-'))[1] : sub;
      const text = script ? project.composerScripts?.[script] : undefined;
      return text
        ? fromCommand(
            text,
            project.dir,
            projects,
            ctx,
            `${posix.join(project.dir, 'composer.json')} (scripts.${script})`,
            depth + 1,
          )
        : undefined;
    }
    case 'vitest':
      return sub === 'bench'
        ? undefined
        : found('vitest', [...jsExec(ctx.manager(dir)), 'vitest', 'run', ...keptOptions(args, VITEST_KEPT)]);
    case 'jest':
      return found('jest', [...jsExec(ctx.manager(dir)), 'jest', ...keptOptions(args, JEST_KEPT)]);
    case 'ava':
    case 'mocha':
    case 'tap':
    case 'jasmine': {
      const kept = { ava: AVA_KEPT, mocha: MOCHA_KEPT, tap: TAP_KEPT, jasmine: JASMINE_KEPT }[name];
      return found(name, [...jsExec(ctx.manager(dir)), name, ...keptOptions(args, kept)], runnerPaths(args, kept));
    }
    case 'uvu': {
      // uvu's command takes a folder and a pattern, never files: each file is a script node runs, with uvu's `-r` loaders.
      const loaders = args.flatMap((a, i) =>
        (a === '-r' || a === '--require') && args[i + 1] ? ['-r', args[i + 1]!] : [],
      );
      return found(
        'uvu',
        ['node', ...loaders],
        runnerPaths(args, { withValue: new Set(['-r', '--require', '-i', '--ignore']) }).slice(0, 1),
      );
    }
    case 'react-scripts':
    case 'craco':
      // Create React App's jest: one run, no watch.
      return sub === 'test'
        ? found('jest', ['CI=true', ...jsExec(ctx.manager(dir)), name, 'test', '--watchAll=false'])
        : undefined;
    case 'node': {
      const jest = args.find((a) => !a.startsWith('-') && /(^|\/)jest(\.js)?$/.test(a));
      // `node --experimental-vm-modules node_modules/jest/bin/jest.js`: jest, with node's flags kept for it.
      if (jest)
        return found('jest', [
          ...nodeOptions(args.slice(0, args.indexOf(jest))),
          ...jsExec(ctx.manager(dir)),
          'jest',
          ...keptOptions(args.slice(args.indexOf(jest) + 1), JEST_KEPT),
        ]);
      if (!args.includes('--test')) return undefined;
      const node = splitNodeArgs(args);
      return found('node', ['node', ...node.kept], node.paths);
    }
    case 'tsx': {
      if (!args.includes('--test')) return undefined;
      const node = splitNodeArgs(args);
      return found('node', [...jsExec(ctx.manager(dir)), 'tsx', ...node.kept], node.paths);
    }
    case 'pytest':
    case 'py.test':
      return found('pytest', [...wrapper, program[0]!], pytestPaths(args));
    case 'go': {
      const module = sub === 'test' ? projectOf(projects, 'go', dir) : undefined;
      return module
        ? {
            ...found('go', ['go', 'test', ...args.filter((a) => /^-(race|short|tags=.+)$/.test(a))], [], module.dir),
            project: module,
          }
        : undefined;
    }
    case 'cargo': {
      if (sub !== 'test' && sub !== 'nextest') return undefined;
      // Run in the crate's own folder: `cargo test` there tests that crate, whatever workspace holds it.
      const crate = crateOf(args, projects) ?? projectOf(projects, 'rust', dir);
      return crate ? { ...found('cargo', ['cargo', 'test'], [], crate.dir), project: crate } : undefined;
    }
    case 'dotnet': {
      if (sub !== 'test') return undefined;
      const testProject = projects.find((p) => p.ecosystem === 'dotnet' && p.tests);
      return testProject
        ? { ...found('dotnet', ['dotnet', 'test'], [], testProject.dir), project: testProject }
        : undefined;
    }
    case 'mvn':
    case 'mvnw':
      return mavenRunner(program, dir, projects, found);
    case 'gradle':
    case 'gradlew':
      return gradleRunner(program, dir, projects, found);
    case 'phpunit':
    case 'pest':
      return found(name, [...wrapper, program[0]!]);
    case 'php':
      if (sub === 'artisan' && args.filter((a) => !a.startsWith('-'))[1] === 'test')
        return found(project.dependencies?.includes('pestphp/pest') ? 'pest' : 'phpunit', [
          project.dependencies?.includes('pestphp/pest') ? 'vendor/bin/pest' : 'vendor/bin/phpunit',
        ]);
      if (sub && /(^|\/)(phpunit|pest)$/.test(sub)) return found(programName(sub) as 'phpunit' | 'pest', ['php', sub]);
      return undefined;
    case 'rspec':
      return found('rspec', [...wrapper, program[0]!]);
  }
  return undefined;
}

/** The unit's projects a command run in `dir` may mean: the one there first, then those below it (a root `pnpm test` in a unit of one package). */
function projectsAt(dir: string, projects: readonly Project[]): Project[] {
  const at = projectAt(dir, projects);
  return [...(at ? [at] : []), ...projects.filter((p) => p !== at && (dir === '' || p.dir.startsWith(`${dir}/`)))];
}

function projectOf(projects: readonly Project[], ecosystem: Project['ecosystem'], dir: string): Project | undefined {
  const matching = projects.filter((p) => p.ecosystem === ecosystem);
  return (
    matching.find((p) => p.dir === dir) ??
    matching.find((p) => p.dir.startsWith(dir === '' ? '' : `${dir}/`)) ??
    matching[0]
  );
}

/** The crate `-p name` selects among the unit's projects. */
function crateOf(args: readonly string[], projects: readonly Project[]): Project | undefined {
  const at = args.indexOf('-p');
  const name = at >= 0 ? args[at + 1] : args.find((a) => a.startsWith('--package='))?.slice('--package='.length);
  return name ? projects.find((p) => p.ecosystem === 'rust' && p.name === name) : undefined;
}

/** The script a package manager's words run (`npm run test:unit`, `pnpm --filter web test`, `yarn workspace web test`). */
function scriptNameOf(program: string, args: readonly string[]): string | undefined {
  const withValue = new Set(['--filter', '-F', '-C', '--dir', '--prefix', '-w', '--workspace', '--cwd']);
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (withValue.has(args[i]!)) i++;
    else if (args[i] === '--') break;
    else if (!args[i]!.startsWith('-')) positional.push(args[i]!);
  }
  if (program === 'yarn' && positional[0] === 'workspace') positional.splice(0, 2);
  const [first, second] = positional;
  if (first === 't' || first === 'test') return 'test';
  return first === 'run' || first === 'run-script' ? second : first;
}

/** How the project's package manager runs a package's binary. */
export function jsExec(manager: PackageManager): string[] {
  switch (manager) {
    case 'pnpm':
      return ['pnpm', 'exec'];
    case 'yarn':
      return ['yarn'];
    case 'bun':
      return ['bunx'];
    default:
      return ['npx'];
  }
}

type Found = (runner: ProofRunnerName, words: string[], paths?: string[], cwd?: string) => RunnerFound;

/** Maven with a goal that runs the tests (`test`, `verify`, `install`, `package`): its wrapper, `-pl`/`-am`, `-f` and profiles kept. */
function mavenRunner(
  program: readonly string[],
  dir: string,
  projects: readonly Project[],
  found: Found,
): RunnerFound | undefined {
  const goals = program
    .slice(1)
    .filter(
      (w, i, all) =>
        !w.startsWith('-') && !/^-(pl|f|P|s|rf)$|^--(projects|file|activate-profiles|settings)$/.test(all[i - 1] ?? ''),
    );
  if (!goals.some((g) => /^(test|verify|install|package|integration-test)$/.test(g))) return undefined;
  const kept: string[] = [];
  const words = program.slice(1);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (/^-(pl|f|P|s)$|^--(projects|file|activate-profiles|settings)$/.test(word) && words[i + 1] !== undefined)
      kept.push(word, words[++i]!);
    else if (
      /^-(am|B|U|o)$|^--(also-make|batch-mode|offline)$|^-P\S+$|^-D(?!test=|skipTests|maven\.test\.skip)\S+$/.test(word)
    )
      kept.push(word);
  }
  if (!kept.includes('-B') && !kept.includes('--batch-mode')) kept.unshift('-B');
  const module = moduleOf(words, dir, projects, 'maven');
  return module ? { ...found('maven', [program[0]!, ...kept]), project: module } : undefined;
}

/** Gradle with a test task (`test`, `:app:test`, `testDebugUnitTest`), or `check`/`build`, which run the module's `test`. */
function gradleRunner(
  program: readonly string[],
  dir: string,
  projects: readonly Project[],
  found: Found,
): RunnerFound | undefined {
  const tasks = program.slice(1).filter((w) => !w.startsWith('-'));
  const test =
    tasks.find((t) => /(^|:)test\w*$/i.test(t)) ??
    tasks.find((t) => /(^|:)(check|build)$/.test(t))?.replace(/(check|build)$/, 'test');
  if (!test) return undefined;
  const flags = program.slice(1).filter((w) => /^--(no-daemon|offline|console=plain)$|^-P\S+$|^-D\S+$/.test(w));
  const path = test.includes(':') ? test.slice(0, test.lastIndexOf(':')).split(':').filter(Boolean).join('/') : '';
  const module =
    projects.find(
      (p) =>
        p.ecosystem === 'gradle' &&
        (p.dir === posix.join(dir, path) || p.dir.endsWith(`/${path}`) || (path === '' && p.dir === dir)),
    ) ?? projectOf(projects, 'gradle', dir);
  return module ? { ...found('gradle', [program[0]!, test, ...flags]), project: module } : undefined;
}

/** The Maven module `-pl x` selects (from the build's root), else the one at `dir`. */
function moduleOf(
  words: readonly string[],
  dir: string,
  projects: readonly Project[],
  ecosystem: Project['ecosystem'],
): Project | undefined {
  const at = words.findIndex((w) => w === '-pl' || w === '--projects');
  const selected = at >= 0 ? words[at + 1]?.split(',')[0] : undefined;
  if (selected) {
    const path = posix.join(dir, selected.replace(/^:/, ''));
    const module = projects.find(
      (p) => p.ecosystem === ecosystem && (p.dir === path || p.name === selected.replace(/^:/, '')),
    );
    if (module) return module;
  }
  return projectOf(projects, ecosystem, dir);
}

/**
 * What the manifest implies when no test command of the layer names a runner: the package's test
 * scripts, vitest or jest among its dependencies, pytest configured, the language's own runner
 * (cargo, go), a .NET test project, a JVM module with tests, phpunit or pest, rspec.
 */
function fromManifest(
  project: Project,
  projects: readonly Project[],
  validate: readonly ProposedCommand[],
  ctx: RunnerContext,
): RunnerFound | undefined {
  const has = (name: string) => ctx.files.has(project.dir === '' ? name : `${project.dir}/${name}`);
  const under = (prefix: string) => ctx.files.any(project.dir === '' ? prefix : `${project.dir}/${prefix}`);
  const uses = (framework: string) =>
    project.frameworks.includes(framework) || (project.dependencies ?? []).includes(framework);
  const at = (runner: ProofRunnerName, words: string[], origin = project.manifest): RunnerFound => ({
    name: runner,
    project,
    cwd: project.dir,
    words,
    paths: [],
    origin,
  });
  if (has('package.json')) {
    for (const script of TEST_SCRIPTS) {
      const text = project.scripts[script];
      if (!isUsableScript(text)) continue;
      const found = fromCommand(
        text,
        project.dir,
        [project],
        ctx,
        `${posix.join(project.dir, 'package.json')} (scripts.${script})`,
        1,
      );
      if (found) return found;
    }
    if (uses('vitest'))
      return at(
        'vitest',
        [...jsExec(ctx.manager(project.dir)), 'vitest', 'run'],
        `${posix.join(project.dir, 'package.json')} (vitest)`,
      );
    if (uses('jest'))
      return at(
        'jest',
        [...jsExec(ctx.manager(project.dir)), 'jest'],
        `${posix.join(project.dir, 'package.json')} (jest)`,
      );
    const rooted = rootRunner(project, ctx);
    if (rooted) return rooted;
    const script = scriptRunner(project, ctx);
    if (script) return script;
  }
  switch (project.ecosystem) {
    case 'python': {
      if (!(uses('pytest') || has('pytest.ini') || has('conftest.py'))) return undefined;
      return at('pytest', [...pythonWrapper(validate), 'pytest']);
    }
    case 'go':
      return at('go', ['go', 'test']);
    case 'rust':
      return at('cargo', ['cargo', 'test']);
    case 'dotnet': {
      const testProject = projects.find((p) => p.ecosystem === 'dotnet' && p.tests);
      return testProject
        ? { ...at('dotnet', ['dotnet', 'test'], testProject.manifest), project: testProject, cwd: testProject.dir }
        : undefined;
    }
    case 'maven':
      return under('src/test/')
        ? at('maven', [ctx.files.has(posix.join(project.dir, 'mvnw')) ? './mvnw' : 'mvn', '-B'])
        : undefined;
    case 'gradle':
      return under('src/test/')
        ? at('gradle', [
            ctx.files.has(posix.join(project.dir, 'gradlew')) ? './gradlew' : 'gradle',
            project.frameworks.includes('android') ? 'testDebugUnitTest' : 'test',
          ])
        : undefined;
    case 'php':
      if (uses('pestphp/pest')) return at('pest', ['vendor/bin/pest']);
      return uses('phpunit') || uses('phpunit/phpunit') ? at('phpunit', ['vendor/bin/phpunit']) : undefined;
    case 'ruby':
      return uses('rspec') ? at('rspec', ['bundle', 'exec', 'rspec']) : undefined;
  }
  return undefined;
}

/**
 * A workspace package whose own scripts run no test runner (`pnpm run build && pnpm test:dts`),
 * tested by the root's vitest or jest (`vitest` with `include: ['packages/**\/*.spec.ts']`): that
 * runner, run from the root as the root's script runs it, for the package's files.
 */
function rootRunner(project: Project, ctx: RunnerContext): RunnerFound | undefined {
  const root = ctx.root;
  if (!root || project.dir === '' || root === project) return undefined;
  for (const script of TEST_SCRIPTS) {
    const text = root.scripts[script];
    if (!isUsableScript(text)) continue;
    const found = fromCommand(text, '', [root], ctx, `${root.manifest} (scripts.${script})`, 1);
    if (found?.name === 'vitest' || found?.name === 'jest') return { ...found, project };
  }
  return undefined;
}

/** The environment runner the layer's other Python commands use (`uv run`, `poetry run`), so pytest runs in the project's virtualenv too. */
function pythonWrapper(validate: readonly ProposedCommand[]): string[] {
  for (const { command } of validate) {
    const words = commandWords(command.replace(/^cd\s+\S+\s*&&\s*/, ''));
    if (['uv', 'poetry', 'pipenv', 'pdm', 'hatch', 'rye'].includes(words[0] ?? '') && words[1] === 'run')
      return words.slice(0, 2);
  }
  return [];
}

/** Last commands of a test script that never get the file (`… || true`, a message, a browser runner that takes none). */
const NO_FILES = /^(?:echo|printf|true|exit|rm|cp|mkdir|cat|karma)\b/;

/**
 * A test script whose runner has no reader yet (a runner we do not know): run on one file at a
 * time as the project runs it (`npm test -- <file>`), read by its exit code. Only when the file
 * reaches the runner: the script's last command is the test run, not a lint, a build or a message.
 */
function scriptRunner(project: Project, ctx: RunnerContext): RunnerFound | undefined {
  for (const script of TEST_SCRIPTS) {
    const text = project.scripts[script];
    if (!isUsableScript(text)) continue;
    const last = scriptCommands(text).at(-1)?.text;
    const kind = last === undefined ? undefined : checkCommand(last)?.kind;
    if (last === undefined || NO_FILES.test(last) || /[|>]/.test(last) || (kind !== undefined && kind !== 'test'))
      continue;
    return {
      name: 'script',
      project,
      cwd: project.dir,
      words: scriptWords(ctx.manager(project.dir), script),
      paths: [],
      origin: `${posix.join(project.dir, 'package.json')} (scripts.${script})`,
    };
  }
  return undefined;
}

/** How the package manager runs a script with more words for it (npm needs `--` before them). */
function scriptWords(manager: PackageManager, script: string): string[] {
  if (manager === 'npm') return script === 'test' ? ['npm', 'test', '--'] : ['npm', 'run', script, '--'];
  return [manager, 'run', script];
}
