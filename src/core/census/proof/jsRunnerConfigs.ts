/**
 * Which folders a JavaScript test runner collects, read from its configuration as the runner
 * reads it (configLiteral.ts: nothing is run): Jest's config named by `-c`/`--config`, else
 * jest.config.* or package.json `jest` — `rootDir`, `roots`, `testMatch`, `testRegex`, `projects`;
 * Vitest's `--config`/`--root`/`--dir`, else vitest.config.* or vite.config.* — `root`, `test.dir`,
 * `test.include`, `test.projects`/`test.workspace` and vitest.workspace.* files; Mocha's
 * `.mocharc.*` or package.json `mocha` `spec`; AVA's `files` (ava.config.* or package.json `ava`);
 * Jasmine's `spec_dir`/`spec_files`; node --test's, tap's and uvu's own arguments (the last four in
 * mochaLikeConfigs.ts). Each gives the folders and the rules a file must meet (jsGlobs.ts), the
 * runner's defaults where its config says nothing.
 */
import { join, posix } from 'node:path';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import { isObject, moduleConfig, pathOf, strings, type Literal } from '../files/configLiteral';
import { fileHead } from '../files/fileHead';
import type { FileIndex } from '../files/fileIndex';
import {
  firstConfig,
  fromGlobs,
  globFolder,
  optionValue,
  resolvePath,
  type Collected,
  type CollectRule,
  type Ctx,
  literalStrings,
} from './jsGlobs';
import { avaCollected, jasmineCollected, mochaCollected, uvuCollected } from './mochaLikeConfigs';
import type { RunnerFound } from './proofRunners';

export { globFolder, optionValue, resolvePath, type Collected } from './jsGlobs';

const MODULE_EXTS = ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'];

export async function collectedBy(workspace: string, runner: RunnerFound, files: FileIndex): Promise<Collected> {
  const read = async (path: string): Promise<Literal | undefined> => {
    if (!files.has(path)) return undefined;
    const text = await fileHead(join(workspace, path), 65_536);
    if (/\.ya?ml$/.test(path) || /(^|\/)\.mocharc$/.test(path)) {
      try {
        return parseYaml(text) as Literal;
      } catch {
        return undefined;
      }
    }
    return moduleConfig(text);
  };
  const ctx: Ctx = { files, read, cwd: runner.cwd, words: runner.words, paths: runner.paths };
  switch (runner.name) {
    case 'jest':
      return jest(ctx);
    case 'vitest':
      return vitest(ctx);
    case 'mocha':
      return mochaCollected(ctx);
    case 'ava':
      return avaCollected(ctx);
    case 'jasmine':
      return jasmineCollected(ctx);
    case 'uvu':
      return uvuCollected(ctx);
    default:
      return fromPaths(ctx, runner.paths);
  }
}

/**
 * The paths the project's command gives node --test or tap, relative to where it runs; any file given runs (no
 * rules), but a command naming single files only (`node ./test/all.test.js`) runs those and no other.
 */
function fromPaths(ctx: Ctx, paths: readonly string[]): Collected {
  const globs = paths.filter((p) => globFolder(p) !== undefined);
  const { rules: _any, ...collected } = fromGlobs(ctx.cwd, globs);
  return paths.length > 0 && globs.length === 0 ? { ...collected, rules: [] } : collected;
}

// ---- Jest ----

async function jest(ctx: Ctx): Promise<Collected> {
  const named = optionValue(ctx.words, '-c', '--config');
  const found =
    named !== undefined && !named.trim().startsWith('{')
      ? await jestConfigAt(ctx, resolvePath(ctx.cwd, named))
      : await jestConfigIn(ctx, ctx.cwd);
  const rootDir = optionValue(ctx.words, '--rootDir');
  if (!found) {
    const at = rootDir !== undefined ? (resolvePath(ctx.cwd, rootDir) ?? ctx.cwd) : ctx.cwd;
    return { folders: [], patterns: [], rules: [{ base: '', globs: JEST_DEFAULT, roots: [at] }] };
  }
  return jestCollected(
    ctx,
    found.config,
    rootDir !== undefined
      ? (resolvePath(ctx.cwd, rootDir) ?? '')
      : (resolvePath(posix.dirname(found.path), strings(pathOf(found.config, 'rootDir'))[0] ?? '.') ?? ''),
    0,
  );
}

async function jestConfigAt(
  ctx: Ctx,
  path: string | undefined,
): Promise<{ path: string; config: Literal } | undefined> {
  if (path === undefined) return undefined;
  const config = await ctx.read(path);
  if (config === undefined) return ctx.files.any(`${path}/`) ? jestConfigIn(ctx, path) : undefined;
  return { path, config: path.endsWith('package.json') ? (pathOf(config, 'jest') ?? {}) : config };
}

async function jestConfigIn(ctx: Ctx, dir: string): Promise<{ path: string; config: Literal } | undefined> {
  const file = await firstConfig(
    ctx,
    dir,
    [...MODULE_EXTS, 'json'].map((e) => `jest.config.${e}`),
  );
  if (file) return file;
  const manifest = await firstConfig(ctx, dir, ['package.json']);
  const config = pathOf(manifest?.config, 'jest');
  return manifest && isObject(config) ? { path: manifest.path, config } : undefined;
}

async function jestCollected(ctx: Ctx, config: Literal, rootDir: string, depth: number): Promise<Collected> {
  const at = (p: string) => resolvePath(rootDir, p.replace(/^<rootDir>\/?/, '')) ?? rootDir;
  const projects = pathOf(config, 'projects');
  if (Array.isArray(projects) && projects.length > 0 && depth === 0) {
    const parts: Collected[] = [];
    for (const project of projects) {
      if (isObject(project))
        parts.push(await jestCollected(ctx, project, strings(project.rootDir).map(at)[0] ?? rootDir, 1));
      else if (typeof project === 'string' && !/[*?[{]/.test(project)) {
        const found = await jestConfigAt(ctx, at(project));
        if (found)
          parts.push(
            await jestCollected(
              ctx,
              found.config,
              resolvePath(posix.dirname(found.path), strings(pathOf(found.config, 'rootDir'))[0] ?? '.') ?? '',
              1,
            ),
          );
      }
    }
    return joined(parts, parts.length === projects.length);
  }
  const known = ['testMatch', 'testRegex', 'roots'].every((key) => literalStrings(pathOf(config, key)));
  const roots = strings(pathOf(config, 'roots')).map(at);
  const testMatch = strings(pathOf(config, 'testMatch'));
  const testRegex = strings(pathOf(config, 'testRegex'));
  // testMatch's globs are matched against absolute paths: only a `<rootDir>/…` glob names a folder.
  const matched = testMatch
    .filter((g) => g.startsWith('<rootDir>'))
    .map((g) => globFolder(g.replace(/^<rootDir>\/?/, '')))
    .filter((f): f is string => f !== undefined && f !== '')
    .map(at);
  const regexed = testRegex
    .flatMap((r) => regexFolder(r))
    .map(at)
    .filter((f) => ctx.files.any(`${f}/`));
  const within = [...matched, ...regexed].filter(
    (f) => roots.length === 0 || roots.some((r) => r === '' || f === r || f.startsWith(`${r}/`)),
  );
  const folders = within.length > 0 ? within : roots.length > 0 ? roots : [];
  // testRegex wins over testMatch; testMatch's globs are matched against the absolute path (`**/…` anywhere).
  const inRoots = roots.length > 0 ? roots : [rootDir];
  const rules: CollectRule[] =
    testRegex.length > 0
      ? testRegex.map((source) => ({ base: '', regex: { source, absolute: true }, roots: inRoots }))
      : [
          {
            base: '',
            globs: (testMatch.length > 0 ? testMatch : JEST_DEFAULT).map((g) =>
              g.startsWith('<rootDir>') ? at(g) : g,
            ),
            roots: inRoots,
          },
        ];
  // Without roots or a folder of its own, jest collects under rootDir: its tests' folder is found there.
  return {
    folders: folders.length > 0 || rootDir === ctx.cwd ? folders : [rootDir],
    patterns: [...testMatch, ...testRegex],
    ...(known ? { rules } : {}),
  };
}

/** Jest's testMatch when its config sets none. */
const JEST_DEFAULT = ['**/__tests__/**/*.?([mc])[jt]s?(x)', '**/?(*.)+(spec|test).?([mc])[jt]s?(x)'];

/** Projects' folders and patterns together, and their rules when every project's are known. */
function joined(parts: readonly Collected[], complete: boolean): Collected {
  const rules = parts.map((p) => p.rules);
  return {
    folders: parts.flatMap((p) => p.folders),
    patterns: parts.flatMap((p) => p.patterns),
    ...(complete && rules.every((r) => r !== undefined) ? { rules: rules.flat() } : {}),
  };
}

/** The literal folder a testRegex starts with (`/test/unit/.*\\.test\\.js$` → `test/unit`). */
function regexFolder(regex: string): string[] {
  const literal = /^\^?(?:\.\*)?\\?\/?((?:[\w-]+\\?\/)+)/.exec(regex)?.[1];
  return literal ? [literal.replace(/\\\//g, '/').replace(/\/$/, '')] : [];
}

// ---- Vitest ----

const VITEST_CONFIGS = ['vitest.config', 'vite.config'].flatMap((n) => MODULE_EXTS.map((e) => `${n}.${e}`));
const WORKSPACE_FILES = ['vitest.workspace', 'vitest.projects'].flatMap((n) =>
  [...MODULE_EXTS, 'json'].map((e) => `${n}.${e}`),
);

async function vitest(ctx: Ctx): Promise<Collected> {
  const named = optionValue(ctx.words, '-c', '--config');
  const rootArg = optionValue(ctx.words, '-r', '--root');
  const base = rootArg !== undefined ? (resolvePath(ctx.cwd, rootArg) ?? ctx.cwd) : ctx.cwd;
  const found =
    named !== undefined
      ? await firstConfig(ctx, '', [resolvePath(ctx.cwd, named) ?? named])
      : await firstConfig(ctx, base, VITEST_CONFIGS);
  // Vite resolves `root` from where it runs, not from its config's folder (a `--config` elsewhere keeps the cwd as root).
  const root =
    rootArg !== undefined
      ? base
      : (strings(pathOf(found?.config, 'test', 'root'))
          .concat(strings(pathOf(found?.config, 'root')))
          .map((r) => resolvePath(ctx.cwd, r))
          .find((r) => r !== undefined) ?? base);
  const dirArg = optionValue(ctx.words, '--dir');
  const projects =
    pathOf(found?.config, 'test', 'projects') ??
    pathOf(found?.config, 'test', 'workspace') ??
    (await firstConfig(ctx, root, WORKSPACE_FILES))?.config;
  if (Array.isArray(projects) && projects.length > 0) return vitestProjects(ctx, projects, root);
  const collected = vitestOne(
    found?.config,
    root,
    root !== ctx.cwd,
    dirArg !== undefined ? resolvePath(ctx.cwd, dirArg) : undefined,
  );
  // A config that could not be read as literals (computed): what it includes is not known.
  const unread = !found && VITEST_CONFIGS.some((name) => ctx.files.has(base === '' ? name : `${base}/${name}`));
  return unread ? { ...collected, rules: undefined } : collected;
}

/** One config's folders; `ownRoot`: its root is a project's of a workspace, or set explicitly, so a pattern naming no folder is placed there. */
function vitestOne(config: Literal | undefined, root: string, ownRoot: boolean, dirArg?: string): Collected {
  const include = strings(pathOf(config, 'test', 'include'));
  const dir =
    dirArg ??
    strings(pathOf(config, 'test', 'dir'))
      .map((d) => resolvePath(root, d))
      .find((d) => d !== undefined);
  const collected = fromGlobs(root, include);
  // `dir` is where vitest looks for the include's files: it places a pattern that names no folder.
  return {
    ...collected,
    folders: collected.folders.length > 0 ? collected.folders : dir !== undefined ? [dir] : ownRoot ? [root] : [],
    rules: literalStrings(pathOf(config, 'test', 'include'))
      ? [{ base: dir ?? root, globs: include.length > 0 ? include : VITEST_DEFAULT }]
      : undefined,
  };
}

/** Vitest's include when its config sets none. */
const VITEST_DEFAULT = ['**/*.{test,spec}.?(c|m)[jt]s?(x)'];

/** A workspace's projects: inline ones (`{ test: { include, root } }`), and folders or configs named by glob (`packages/*`). */
async function vitestProjects(ctx: Ctx, projects: readonly Literal[], root: string): Promise<Collected> {
  const parts: Collected[] = [];
  for (const project of projects) {
    if (isObject(project)) {
      const own = strings(pathOf(project, 'test', 'root')).concat(strings(pathOf(project, 'root')))[0];
      parts.push(vitestOne(project, own !== undefined ? (resolvePath(root, own) ?? root) : root, own !== undefined));
    } else if (typeof project === 'string') {
      for (const path of expand(ctx.files, resolvePath(root, project.replace(/^!.*/, '')) ?? '')) {
        const inDir = ctx.files.any(`${path}/`);
        const found = inDir ? await firstConfig(ctx, path, VITEST_CONFIGS) : await firstConfig(ctx, '', [path]);
        const dir = inDir ? path : posix.dirname(path).replace(/^\.$/, '');
        parts.push(
          vitestOne(
            found?.config,
            strings(pathOf(found?.config, 'test', 'root')).map((r) => resolvePath(dir, r) ?? dir)[0] ?? dir,
            true,
          ),
        );
      }
    }
  }
  return joined(parts, true);
}

/** The folders or files a workspace glob (`packages/*`) names among the repository's files. */
function expand(files: FileIndex, glob: string): string[] {
  if (glob === '' || !/[*?[{]/.test(glob)) return glob === '' ? [] : [glob];
  const head = globFolder(glob) ?? '';
  const depth = glob.split('/').length;
  const found = new Set<string>();
  const match = picomatch(glob);
  for (const file of files.under(head === '' ? '' : `${head}/`)) {
    const prefix = file.split('/').slice(0, depth).join('/');
    if (match(prefix)) found.add(prefix);
  }
  return [...found].slice(0, 50);
}
