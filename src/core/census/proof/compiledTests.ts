/**
 * Proof tests never go in build output: a folder the project's `.gitignore` ignores, a build
 * folder (`dist/`, `build/`, `out/`, `lib/`), or a TypeScript `outDir`. Where the tests the runner
 * is given are compiled (`tsc && node --test dist/esm/test/*.test.js`), the folder they are
 * compiled from is found through the tsconfig whose `outDir` holds them (its `rootDir`, else the one
 * tsc computes: tsconfigs.ts), and the proof command builds first, as the project's script does.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import ignore from 'ignore';
import picomatch from 'picomatch';
import { scriptCommands } from '../commands/shellScript';
import type { FileIndex } from '../files/fileIndex';
import { jsExec, type RunnerFound } from './proofRunners';
import { tsBuilds } from './tsconfigs';
import type { PackageManager } from '../commands/packageCommands';
import type { Project } from '../types';

export interface CompiledTests {
  /** Workspace-relative folder the tests are written in (`test`). */
  source: string;
  /** Workspace-relative folder they are compiled to (`dist/esm/test`). */
  output: string;
  /** The project's build, as commands run in the runner's folder (`npm run build`). */
  build: string[];
  /** The extension the project's tests are written with (`ts`). */
  extension: string;
}

const BUILD_DIRS = /^(dist|build|out|lib|esm|cjs|\.build|\.output|target|compiled)$/;

/** Whether a workspace-relative folder is build output: under a build folder, an outDir or a folder a script cleans (`rimraf lib`), or ignored by git. */
export async function isBuildOutput(
  workspace: string,
  folder: string,
  project: Project,
  files: FileIndex,
): Promise<boolean> {
  if (files.any(`${folder}/`)) return false; // the census lists only files git would keep
  const base = project.dir;
  const below = base === '' ? folder : folder.slice(base.length + 1);
  if (BUILD_DIRS.test(below.split('/')[0] ?? '')) return true;
  if (cleaned(project).some((c) => below === c || below.startsWith(`${c}/`))) return true;
  if ((await tsBuilds(workspace, base, files)).some((o) => folder === o.outDir || folder.startsWith(`${o.outDir}/`)))
    return true;
  return gitIgnored(workspace, folder, files);
}

/** The sources a runner's compiled test folder comes from, and the build that makes it; undefined when the folder is not compiled output. */
export async function compiledFrom(
  workspace: string,
  runner: RunnerFound,
  output: string,
  files: FileIndex,
  manager: PackageManager,
): Promise<CompiledTests | undefined> {
  const base = runner.project.dir;
  if (!(await isBuildOutput(workspace, output, runner.project, files))) return undefined;
  for (const { outDir, rootDir, config } of await tsBuilds(workspace, base, files)) {
    if (output !== outDir && !output.startsWith(`${outDir}/`)) continue;
    // The folder the output mirrors: the config's rootDir or the one tsc computes, else the package's folder or its src/.
    const rootDirs = rootDir !== undefined ? [rootDir] : [base, base === '' ? 'src' : `${base}/src`];
    const rest = output.slice(outDir.length + 1);
    const source = rootDirs
      .map((r) => (rest === '' ? r : r === '' ? rest : `${r}/${rest}`))
      .find((s) => files.any(s === '' ? '' : `${s}/`));
    if (source === undefined) continue;
    const tests = files.under(source === '' ? '' : `${source}/`).filter((f) => /\.(test|spec)\.[cm]?tsx?$/.test(f));
    const extension = /\.([cm]?ts)x?$/.exec(tests[0] ?? '')?.[1] ?? 'ts';
    return {
      source,
      output,
      build: buildSteps(runner, manager) ?? [
        `${jsExec(manager).join(' ')} tsc -p ${posix.relative(runner.cwd, config)}`,
      ],
      extension,
    };
  }
  // Another compiler (`babel src -d build`): the same path below the build folder, in the package or its `src/`, built by the script's own steps.
  const below = base === '' ? output : output.slice(base.length + 1);
  const root = cleaned(runner.project).find((c) => below === c || below.startsWith(`${c}/`)) ?? below.split('/')[0]!;
  const rest = below.slice(root.length + 1);
  const at = (dir: string) => [base, dir, rest].filter(Boolean).join('/');
  const source = rest === '' ? undefined : [at(''), at('src')].find((s) => files.any(`${s}/`));
  const build = buildSteps(runner, manager);
  if (source === undefined || build === undefined) return undefined;
  const extension =
    /\.(test|spec)\.([cm]?[jt]sx?)$/.exec(
      files.under(`${source}/`).find((f) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(f)) ?? '',
    )?.[2] ?? 'js';
  return { source, output, build, extension };
}

/** The folders the package's scripts delete (`rimraf lib`, `rm -rf build/`, `del-cli dist`): what a build makes again. */
function cleaned(project: Project): string[] {
  const found: string[] = [];
  for (const text of Object.values(project.scripts)) {
    for (const m of text.matchAll(/\b(?:rimraf|del-cli|del|rm\s+-(?:rf|fr|r))\s+((?:[^\s&|;]+\s*)+)/g)) {
      for (const word of m[1]!.trim().split(/\s+/))
        if (!word.startsWith('-'))
          found.push(
            word
              .replace(/^\.\//, '')
              .replace(/["']/g, '')
              .replace(/\/\*?$/, ''),
          );
    }
  }
  return found.filter((f) => f !== '' && f !== '.' && !/[*?$]/.test(f));
}

/** A word of a script that builds (`tshy`, `tsc`, `rollup -c`): a step running it makes what the tests may import. */
const BUILDS =
  /(^|[\s;&|(])(tsc|tshy|tsup|rollup|esbuild|webpack|babel|swc|unbuild|microbundle|vite build|bun build)(\s|$)/;

/**
 * Where the tests are not compiled but the package manager builds before the test script (its
 * `pretest: npm run prepare`, which runs `tshy`), those steps run before the proof command too:
 * tests importing the build output (`../dist/esm/index.js`) would run on a stale build, or on none
 * in a fresh worktree. Only a `pre` script: steps chained inside a script (`tsc --build && vitest`)
 * are as often a type check before tests that import the sources.
 */
export function buildBefore(runner: RunnerFound, manager: PackageManager): string[] | undefined {
  const scripts = runner.project.scripts;
  const builds = (text: string, depth: number): boolean =>
    depth < 4 &&
    scriptCommands(text).some(
      ({ text: part }) =>
        BUILDS.test(part) ||
        calledScripts(part, scripts).some((name) =>
          [scripts[`pre${name}`], scripts[name]].some((t) => t !== undefined && builds(t, depth + 1)),
        ),
    );
  const pre = (runner.before ?? []).filter((step) => /^(?:npm|pnpm|yarn|bun) run pre[\w:.-]+$/.test(step.text));
  if (!pre.some((step) => builds(step.text, 0))) return undefined;
  // A `pre` script that also lints (`pretest: npm run build && npm run lint`): only its build runs before a proof
  // run, a lint of the new test failing it would stop the runner from reading the test at all. A check chained
  // before the runner (`npm run test:size && npm run test:unit`) is no build either.
  const before = (runner.before ?? []).flatMap((step) => {
    const name = pre.includes(step) ? /run (pre[\w:.-]+)$/.exec(step.text)![1]! : undefined;
    if (name === undefined) return builds(step.text, 0) ? [step] : [];
    const parts = scriptCommands(scripts[name] ?? '');
    const building = parts.filter((part) => builds(part.text, 1));
    return building.length === parts.length ? [step] : building.map((part) => ({ dir: step.dir, text: part.text }));
  });
  return buildSteps({ ...runner, before }, manager);
}

/** The scripts a command runs: `npm run build`, npm-run-all's `run-p build:*` (its patterns). */
function calledScripts(text: string, scripts: Readonly<Record<string, string>>): string[] {
  const one = /^(?:npm|pnpm|yarn|bun)\s+(?:run(?:-script)?\s+)?([\w:.-]+)\s*$/.exec(text)?.[1];
  if (one !== undefined) return [one];
  const all = /^(?:run-p|run-s|npm-run-all)\s+(.*)$/.exec(text)?.[1];
  if (all === undefined) return [];
  const patterns = all.split(/\s+/).filter((w) => w !== '' && !w.startsWith('-'));
  return Object.keys(scripts).filter((name) =>
    patterns.some((p) => picomatch.isMatch(name, p.replace(/["']/g, ''), { dot: true })),
  );
}

/** How the project builds before it tests: its script's own steps (its `pretest`, `tsc -p …`), else its build script; undefined when neither says. */
function buildSteps(runner: RunnerFound, manager: PackageManager): string[] | undefined {
  // An install step (`npm ci && npm test` in CI) is no build: the dependencies are already there.
  const steps = (runner.before ?? [])
    .filter(({ text }) => !/^(npm|pnpm|yarn|bun)(\s+(ci|install|i)\b|$)/.test(text))
    .map(({ dir, text }) => {
      const cd = posix.relative(runner.cwd, dir);
      // A package binary (`tsc`, `rimraf`) is on PATH inside a script only: run it as the package manager does.
      const word = /^[\w@./-]+/.exec(text)?.[0] ?? '';
      const run =
        /^(npm|pnpm|yarn|bun|npx|bunx|node|cd|rm|mkdir|cp|mv|echo|sh|bash|true|test|\[|make)$/.test(word) ||
        /^[A-Za-z_]\w*=/.test(word)
          ? text
          : `${jsExec(manager).join(' ')} ${text}`;
      return cd === '' ? run : `(cd ${cd} && ${run})`;
    });
  if (steps.length > 0) return steps;
  if (runner.project.scripts.build !== undefined) return [`${manager === 'bun' ? 'bun' : manager} run build`];
  return undefined;
}

/** Whether a `.gitignore` at the root or on the way down to the folder ignores it. */
async function gitIgnored(workspace: string, folder: string, files: FileIndex): Promise<boolean> {
  const parts = folder.split('/');
  for (let i = 0; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    const path = dir === '' ? '.gitignore' : `${dir}/.gitignore`;
    if (!files.has(path)) continue;
    const rules = ignore().add(await readFile(join(workspace, path), 'utf8').catch(() => ''));
    if (rules.ignores(`${parts.slice(i).join('/')}/`)) return true;
  }
  return false;
}
