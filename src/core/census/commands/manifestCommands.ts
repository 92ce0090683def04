/**
 * Validate commands a project's own manifest implies, for projects whose CI says nothing
 * about them: its package scripts (type check or build, lint, test), `go vet ./...` (and
 * `go test ./...` when it has tests),
 * `cargo check -p`, `dotnet build X.csproj`, the Python tools it configures, Maven/Gradle
 * compilation, composer scripts, rubocop/rspec, `flutter analyze`, the checks a build file declares
 * (cabal, Zig, Julia, R, dune, Clojure, sbt, Meson: buildTools.ts). Never a placeholder.
 */
import { posix } from 'node:path';
import {
  BUILD_SCRIPTS,
  isUsableScript,
  LINT_SCRIPTS,
  scriptCommand,
  TEST_SCRIPTS,
  TYPECHECK_SCRIPTS,
  type PackageManager,
} from './packageCommands';
import type { ProposedCommand, Project } from '../types';
import type { Workspaces } from '../manifests/workspaces';

export interface ManifestContext {
  workspaces: Workspaces;
  files: ReadonlySet<string>;
  manager: (dir: string) => PackageManager;
}

/** A JVM module with tests of its own (`src/test/`). */
function hasTests(project: Project, files: ReadonlySet<string>): boolean {
  const prefix = project.dir === '' ? 'src/test/' : `${project.dir}/src/test/`;
  for (const file of files) if (file.startsWith(prefix)) return true;
  return false;
}

/** Commands that only compile (`./gradlew :app:classes`, `cargo check -p x`, `go build ./...`): alone, a weak gate. */
export function compilesOnly(command: string): boolean {
  const words = command
    .replace(/^cd\s+\S+\s*&&\s*/, '')
    .trim()
    .split(/\s+/);
  const program = words[0]!.split('/').at(-1)!;
  const tasks = words
    .slice(1)
    .filter((w) => !w.startsWith('-'))
    .map((w) => w.split(':').at(-1)!);
  if (['gradle', 'gradlew', 'mvn', 'mvnw'].includes(program))
    return tasks.length > 0 && tasks.every((t) => /^(classes|compile\w*|assemble\w*|testClasses)$/.test(t));
  if (program === 'cargo') return tasks[0] === 'check' || tasks[0] === 'build';
  if (program === 'go' || program === 'dotnet' || program === 'mix')
    return tasks[0] === 'build' || tasks[0] === 'compile';
  return false;
}

function inFolder(dir: string, command: string): string {
  return dir === '' ? command : `cd ${dir} && ${command}`;
}

function relativeTo(root: string, dir: string): string {
  return root === '' ? dir : dir.slice(root.length + 1);
}

/**
 * A Gradle module's own task, run by its build's wrapper from the build's root (`cd backend && ./gradlew
 * :domain:test`); an included build without a wrapper of its own is reached from the top's
 * (`./gradlew :build-logic:convention:classes`).
 */
function gradleCommand(dir: string, workspaces: Workspaces, task: string, files: ReadonlySet<string>): string {
  const root = workspaces.buildRoots.get(dir);
  const wrapperAt = (folder: string) => files.has(folder === '' ? 'gradlew' : `${folder}/gradlew`);
  if (root === undefined) return inFolder(dir, `${wrapperAt(dir) ? './gradlew' : 'gradle'} ${task}`);
  const moved = workspaces.gradlePaths.get(dir);
  const from = moved !== undefined || wrapperAt(root) || !wrapperAt('') ? root : '';
  return inFolder(
    from,
    `${wrapperAt(from) ? './gradlew' : 'gradle'} ${moved ?? `:${relativeTo(from, dir).split('/').join(':')}`}:${task}`,
  );
}

/** A cabal package's checks; a package hpack describes with no `.cabal` of its own is stack's (`stack build`, `stack test`). */
function haskellChecks(project: Project): string[] {
  const checks = project.buildChecks ?? [];
  const cabal = checks.filter((c) => /\bcabal (build|test)$/.test(c));
  return cabal.length > 0 ? cabal : checks;
}

export function manifestCommands(project: Project, ctx: ManifestContext): ProposedCommand[] {
  const origin = project.manifest;
  const at = (text: string) => (project.dir === '' ? text : `cd ${project.dir} && ${text}`);
  const has = (name: string) => ctx.files.has(project.dir === '' ? name : `${project.dir}/${name}`);
  const uses = (framework: string) => project.frameworks.includes(framework);
  const commands: string[] = [];
  switch (project.ecosystem) {
    case 'rust': {
      const root = ctx.workspaces.buildRoots.get(project.dir);
      commands.push(
        root !== undefined
          ? inFolder(root, `cargo check -p ${project.name}`)
          : project.dir === ''
            ? 'cargo check'
            : `cargo check --manifest-path ${project.dir}/Cargo.toml`,
      );
      break;
    }
    case 'go': {
      commands.push(at('go vet ./...'));
      // Its tests are the check that matters; `go test` of a module without them only compiles again.
      const prefix = project.dir === '' ? '' : `${project.dir}/`;
      if ([...ctx.files].some((file) => file.endsWith('_test.go') && file.startsWith(prefix)))
        commands.push(at('go test ./...'));
      break;
    }
    case 'dotnet':
      commands.push(`dotnet ${project.tests ? 'test' : 'build'} ${project.manifest}`);
      break;
    case 'python':
      if (uses('ruff') || has('ruff.toml') || has('.ruff.toml')) commands.push(at('ruff check'));
      if (uses('mypy') || has('mypy.ini')) commands.push(at('mypy .'));
      if (uses('pytest') || has('pytest.ini') || has('conftest.py')) commands.push(at('pytest'));
      break;
    case 'maven': {
      // Its tests when it has some: compiling alone checks little. `-am` builds the modules it depends on, which the local repository may not hold.
      const goal = hasTests(project, ctx.files) ? 'test' : 'compile';
      const root = ctx.workspaces.buildRoots.get(project.dir);
      const wrapper = (dir: string) => (ctx.files.has(dir === '' ? 'mvnw' : `${dir}/mvnw`) ? './mvnw' : 'mvn');
      commands.push(
        root !== undefined
          ? inFolder(root, `${wrapper(root)} -q -B -pl ${relativeTo(root, project.dir)} -am ${goal}`)
          : at(`${wrapper(project.dir)} -q -B ${goal}`),
      );
      break;
    }
    case 'gradle': {
      const tested = hasTests(project, ctx.files);
      // Its tests when it has some; else `check`, every Gradle project's lifecycle task (a multiplatform module's jvmTest, its linters), where `classes` only compiled.
      const multiplatform = [...ctx.files].some((f) =>
        f.startsWith(`${project.dir === '' ? '' : `${project.dir}/`}src/commonMain/`),
      );
      const task = uses('android')
        ? tested
          ? 'testDebugUnitTest'
          : 'assembleDebug'
        : tested && !multiplatform
          ? 'test'
          : 'check';
      commands.push(gradleCommand(project.dir, ctx.workspaces, task, ctx.files));
      break;
    }
    case 'php':
      for (const script of ['lint', 'analyse', 'phpstan', 'test'])
        if (isUsableScript(project.composerScripts?.[script])) commands.push(at(`composer run-script ${script}`));
      if (commands.length === 0 && uses('phpunit')) commands.push(at('vendor/bin/phpunit'));
      break;
    case 'ruby':
      if (uses('rubocop')) commands.push(at('bundle exec rubocop'));
      if (uses('rspec')) commands.push(at('bundle exec rspec'));
      break;
    case 'elixir':
      commands.push(at('mix compile --warnings-as-errors'), at('mix test'));
      break;
    case 'dart':
      commands.push(at(uses('flutter') ? 'flutter analyze' : 'dart analyze'));
      break;
    case 'swift':
      // A Swift package builds and tests itself; an Xcode project needs a scheme and a simulator, which the census cannot choose.
      if (project.manifest.endsWith('Package.swift'))
        commands.push(
          at(
            [...ctx.files].some((f) => f.startsWith(project.dir === '' ? 'Tests/' : `${project.dir}/Tests/`))
              ? 'swift test'
              : 'swift build',
          ),
        );
      break;
    case 'haskell':
      commands.push(...haskellChecks(project));
      break;
    case 'julia':
      // Pkg.test() runs `test/runtests.jl`; a package without it has no tests to run.
      if (has('test/runtests.jl')) commands.push(...(project.buildChecks ?? []));
      break;
    case 'clojure':
      // deps.edn, project.clj and bb.edn in one folder each run the same tests: the first one's (bb.edn's task, else the CLI's alias, else lein).
      commands.push(...(project.buildChecks ?? []).slice(0, 1));
      break;
    case 'zig':
    case 'meson':
    case 'r':
    case 'ocaml':
    case 'scala':
    case 'cmake':
      commands.push(...(project.buildChecks ?? []));
      break;
    case 'node':
    case 'bazel':
      break;
  }
  if (project.bazelCheck) commands.push(project.bazelCheck);
  // Package scripts count in any folder that has a package.json (a Rails or Laravel app's front end too).
  if (has('package.json') && Object.keys(project.scripts).length > 0) {
    const pick = (names: string[]) => names.find((name) => isUsableScript(project.scripts[name]));
    const chosen = [pick(TYPECHECK_SCRIPTS) ?? pick(BUILD_SCRIPTS), pick(LINT_SCRIPTS), pick(TEST_SCRIPTS)].filter(
      (s): s is string => s !== undefined,
    );
    const manager = ctx.manager(project.dir);
    for (const script of chosen) commands.push(scriptCommand(project, script, ctx.workspaces, manager));
  }
  const packageOrigin = project.ecosystem === 'node' ? origin : posix.join(project.dir, 'package.json');
  return commands.map((command) => ({
    command,
    origin: /(npm|pnpm|yarn|bun)\b/.test(command) && !/composer/.test(command) ? packageOrigin : origin,
  }));
}
