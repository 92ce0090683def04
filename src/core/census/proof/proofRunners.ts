/**
 * Which test runner a layer's tests use, found from what the census already knows: its validate
 * commands of kind `test` (CI's, task files', Mustard's, the manifest's), read past their wrappers
 * and into the package or composer scripts they run; else the unit's manifests (a `vitest`
 * dependency, pytest configured or unittest's tests, a crate, a Go module, a .NET test project, a JVM module with
 * tests, phpunit/pest, rspec). No second detector: the programs are judged by checkCommands.
 */
import { posix } from 'node:path';
import { checkCommand, commandWords } from '../commands/checkCommands';
import { TEST_SCRIPTS, isUsableScript } from '../commands/packageCommands';
import { scriptCommands } from '../commands/shellScript';
import type { ProofRunnerName, ProposedCommand, Project } from '../types';
import { fromCommand, jsExec, scriptWords, type RunnerContext } from './commandRunners';
import type { RunnerFound } from './runnerProjects';

export { jsExec, type RunnerContext } from './commandRunners';
export type { RunnerFound } from './runnerProjects';

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
  // What the tool CI names runs (tox's `commands`, a Makefile recipe): `tox -e py312` says no runner itself.
  for (const project of projects)
    for (const { command, origin } of project.testCommands ?? []) {
      const found = fromCommand(command, project.dir, projects, ctx, origin, 1);
      if (found) return found;
    }
  for (const project of [...projects].sort((a, b) => Number(b.tests ?? false) - Number(a.tests ?? false))) {
    const found = fromManifest(project, projects, validate, ctx);
    if (found) return found;
  }
  return undefined;
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
    for (const script of testScripts(project)) {
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
    // No script runs it: the runner as a dependency, with its own config files (jest.config.*, package.json `jest`).
    if (uses('vitest'))
      return at(
        'vitest',
        [...jsExec(ctx.manager(project.dir)), 'vitest', 'run'],
        `${posix.join(project.dir, 'package.json')} (vitest is a dependency)`,
      );
    if (uses('jest'))
      return at(
        'jest',
        [...jsExec(ctx.manager(project.dir)), 'jest'],
        `${posix.join(project.dir, 'package.json')} (jest is a dependency)`,
      );
    const rooted = rootRunner(project, ctx);
    if (rooted) return rooted;
    const script = scriptRunner(project, ctx);
    if (script) return script;
  }
  switch (project.ecosystem) {
    case 'python': {
      if (uses('pytest') || has('pytest.ini') || has('conftest.py'))
        return at('pytest', [...pythonWrapper(validate), 'pytest']);
      // The standard library's runner, for tests written as unittest.TestCase modules.
      return uses('unittest') ? at('unittest', [...pythonWrapper(validate), 'python3', '-m', 'unittest']) : undefined;
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

/**
 * The package's test scripts, the usual names first (`test`, `test:unit`, `unit`), then the others named as tests
 * (`test:integration`, `e2e:test`): a project whose only jest run is `test:integration: jest --config
 * ./tests/jest-e2e.json` has its config there, which a bare `jest` would not read.
 */
function testScripts(project: Project): string[] {
  const named = Object.keys(project.scripts).filter(
    (name) =>
      !TEST_SCRIPTS.includes(name) && /(^|:)tests?(:|$)/.test(name) && !/(^|:)(watch|dev|debug)(:|$)/.test(name),
  );
  return [...TEST_SCRIPTS, ...named];
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
 * reaches the runner: the script's last command is the test run, not a lint, a build or a message (nor is the
 * last of a `post` script npm runs after it).
 */
function scriptRunner(project: Project, ctx: RunnerContext): RunnerFound | undefined {
  for (const script of TEST_SCRIPTS) {
    const text = project.scripts[script];
    if (!isUsableScript(text)) continue;
    // npm runs `post<script>` after it, never given the file: its commands end the run.
    const post = ctx.manager(project.dir) === 'npm' ? project.scripts[`post${script}`] : undefined;
    const last = scriptCommands(isUsableScript(post) ? post : text).at(-1)?.text;
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
