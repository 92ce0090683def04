// Which of the unit's projects a test command means (its folder, a crate, a Maven or Gradle module); split from proofRunners.ts.
import { posix } from 'node:path';
import type { ProofRunnerName, Project } from '../types';

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
  /** The runner's own command-line script, a file of the repository (`bin/jasmine.js`, a runner's own repository): a layer may own it. */
  ownScript?: string;
}

export type Found = (runner: ProofRunnerName, words: string[], paths?: string[], cwd?: string) => RunnerFound;

/** The project a command run in `dir` belongs to: the deepest of the unit's projects at or above it. */
export function projectAt(dir: string, projects: readonly Project[]): Project | undefined {
  return (
    [...projects]
      .filter((p) => p.dir === '' || dir === p.dir || dir.startsWith(`${p.dir}/`))
      .sort((a, b) => b.dir.length - a.dir.length)[0] ?? projects[0]
  );
}

/** The unit's projects a command run in `dir` may mean: the one there first, then those below it (a root `pnpm test` in a unit of one package). */
export function projectsAt(dir: string, projects: readonly Project[]): Project[] {
  const at = projectAt(dir, projects);
  return [...(at ? [at] : []), ...projects.filter((p) => p !== at && (dir === '' || p.dir.startsWith(`${dir}/`)))];
}

export function projectOf(
  projects: readonly Project[],
  ecosystem: Project['ecosystem'],
  dir: string,
): Project | undefined {
  const matching = projects.filter((p) => p.ecosystem === ecosystem);
  return (
    matching.find((p) => p.dir === dir) ??
    matching.find((p) => p.dir.startsWith(dir === '' ? '' : `${dir}/`)) ??
    matching[0]
  );
}

/** The crate `-p name` selects among the unit's projects. */
export function crateOf(args: readonly string[], projects: readonly Project[]): Project | undefined {
  const at = args.indexOf('-p');
  const name = at >= 0 ? args[at + 1] : args.find((a) => a.startsWith('--package='))?.slice('--package='.length);
  return name ? projects.find((p) => p.ecosystem === 'rust' && p.name === name) : undefined;
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

/** Maven with a goal that runs the tests (`test`, `verify`, `install`, `package`): its wrapper, `-pl`/`-am`, `-f` and profiles kept. */
export function mavenRunner(
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
export function gradleRunner(
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
