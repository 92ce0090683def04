// A test command read to its runner, past its wrappers, coverage tools and the scripts it runs; split from proofRunners.ts.
import { posix } from 'node:path';
import { invocationOf } from '../commands/checkCommands';
import { recursiveScripts, isUsableScript, type PackageManager } from '../commands/packageCommands';
import type { FileIndex } from '../files/fileIndex';
import {
  AVA_KEPT,
  JASMINE_KEPT,
  JEST_KEPT,
  keptOptions,
  MOCHA_KEPT,
  nodeOptions,
  pastCoverage,
  pytestPaths,
  pythonOf,
  runnerPaths,
  splitNodeArgs,
  TAP_KEPT,
  unittestPaths,
  VITEST_KEPT,
} from './proofRunnerOptions';
import { scriptCommands } from '../commands/shellScript';
import type { ProofRunnerName, Project } from '../types';
import {
  crateOf,
  gradleRunner,
  mavenRunner,
  projectAt,
  projectOf,
  projectsAt,
  type RunnerFound,
} from './runnerProjects';

export interface RunnerContext {
  files: FileIndex;
  manager: (dir: string) => PackageManager;
  /** The workspace packages a package's tests need built first (siblingBuilds.ts). */
  siblings?: (project: Project) => readonly Project[];
  /** The JS workspace's root package, whose test script may run every package's tests. */
  root?: Project;
}

/** A test file by its name (`test/all.test.js`, `spec/run.spec.mjs`): run by node, node:test's. */
const TEST_SCRIPT = /(?:^|\/)[\w.-]+[.-](?:test|spec)\.[cm]?[jt]s$/;
/** Libraries whose tests are scripts node runs, each with its own output: not node:test's. */
const SCRIPT_TEST_LIBRARIES = new Set(['uvu', 'tape', 'zora', 'baretest', 'tap', 'brittle', 'tapzero', 'tehanu']);

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

/** A command line (`cd api && uv run pytest -q`, a script's text) read part by part. */
export function fromCommand(
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
      // A runner run through its own script in the repository, a layer's to rewrite, runs as the project runs it:
      // through the package manager's script, which a change to asks first (commandTrust.ts); pre and post with it.
      if (runner?.ownScript && runner.paths.length === 0 && scriptCommands(owner.scripts[script]!).length === 1) {
        const { before: _before, ...kept } = runner;
        return { ...kept, words: scriptWords(name, script) };
      }
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
      const cli = runnerCli(args);
      if (cli) {
        const runner = found(
          cli.name,
          ['node', ...cli.before, ...keptOptions(cli.after, cli.kept)],
          runnerPaths(cli.after, cli.kept),
        );
        const script = cli.before.at(-1)!;
        return script.split('/').includes('node_modules') ? runner : { ...runner, ownScript: script };
      }
      const node = splitNodeArgs(args);
      if (args.includes('--test')) return found('node', ['node', ...node.kept], node.paths);
      // `node ./test/all.test.js`: one test file run as a script (an aggregate importing the others), node:test's
      // where no other library for test scripts is a dependency; each proof file runs the same way under --test.
      const [entry, ...rest] = node.paths;
      if (!entry || rest.length > 0 || !TEST_SCRIPT.test(entry)) return undefined;
      if (project.dependencies?.some((d) => SCRIPT_TEST_LIBRARIES.has(d))) return undefined;
      return found('node', ['node', ...node.kept], [entry]);
    }
    case 'tsx': {
      if (!args.includes('--test')) return undefined;
      const node = splitNodeArgs(args);
      return found('node', [...jsExec(ctx.manager(dir)), 'tsx', ...node.kept], node.paths);
    }
    case 'pytest':
    case 'py.test':
      return found('pytest', [...wrapper, program[0]!], pytestPaths(args));
    case 'unittest':
      // Coverage is no concern of a proof run: `coverage run -m unittest` runs unittest on the interpreter.
      return found('unittest', [...pythonOf(wrapper), '-m', 'unittest'], unittestPaths(args));
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

/**
 * `node ./bin/jasmine.js`, `node node_modules/mocha/bin/mocha.js`: a runner's own command-line script, run by node
 * (a runner's repository runs its tests with itself, a project may call the installed runner's script): that runner,
 * through that script, with node's flags before it and the runner's options after it kept.
 */
function runnerCli(
  args: readonly string[],
):
  | { name: 'jasmine' | 'mocha' | 'ava' | 'tap'; before: string[]; after: string[]; kept: typeof MOCHA_KEPT }
  | undefined {
  let at = 0;
  while (at < args.length && args[at]!.startsWith('-'))
    at += /^(-r|--require|--import|--loader)$/.test(args[at]!) ? 2 : 1;
  const cli = /(?:^|\/)bin\/(jasmine|_?mocha|ava|tap)(?:\.[cm]?js)?$/.exec(args[at] ?? '');
  if (!cli) return undefined;
  const name = cli[1] === '_mocha' ? 'mocha' : (cli[1] as 'jasmine' | 'mocha' | 'ava' | 'tap');
  const kept = { ava: AVA_KEPT, mocha: MOCHA_KEPT, tap: TAP_KEPT, jasmine: JASMINE_KEPT }[name];
  return { name, before: args.slice(0, at + 1), after: args.slice(at + 1), kept };
}

/** How the package manager runs a script with more words for it (npm needs `--` before them). */
export function scriptWords(manager: PackageManager, script: string): string[] {
  if (manager === 'npm') return script === 'test' ? ['npm', 'test', '--'] : ['npm', 'run', script, '--'];
  return [manager, 'run', script];
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
