/**
 * Which folders a JavaScript test runner collects, read from its configuration as the runner
 * reads it (configLiteral.ts: nothing is run): Jest's config named by `-c`/`--config`, else
 * jest.config.* or package.json `jest` — `rootDir`, `roots`, `testMatch`, `testRegex`, `projects`;
 * Vitest's `--config`/`--root`/`--dir`, else vitest.config.* or vite.config.* — `root`, `test.dir`,
 * `test.include`, `test.projects`/`test.workspace` and vitest.workspace.* files; Mocha's
 * `.mocharc.*` or package.json `mocha` `spec`; AVA's `files` (ava.config.* or package.json `ava`);
 * Jasmine's `spec_dir`/`spec_files`; node --test's, tap's and uvu's own arguments.
 */
import { join, posix } from 'node:path';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import { COMPUTED, isObject, moduleConfig, pathOf, strings, type Literal } from '../configLiteral';
import { fileHead } from '../fileHead';
import type { FileIndex } from '../fileIndex';
import type { RunnerFound } from './proofRunners';

export interface Collected {
  /** Workspace-relative folders the runner collects tests from, the likeliest first. */
  folders: string[];
  /** Test-file patterns (globs, or a regex's source), which name a probe as the runner takes it. */
  patterns: string[];
  /** The first folder's glob does not descend (`test/*.test.js`, Mocha's default `./test`): proof files go in it, not below. */
  flat?: boolean;
}

const MODULE_EXTS = ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'];

/** A workspace-relative path from a folder and a path relative to it; undefined when it leaves the workspace. */
export function resolvePath(dir: string, path: string): string | undefined {
  const joined = posix
    .normalize(posix.join(dir, path.replace(/^["']|["']$/g, '')))
    .replace(/^\.\/?/, '')
    .replace(/\/+$/, '');
  return joined === '..' || joined.startsWith('../') ? undefined : joined;
}

/** The folder a glob names before its first pattern character (`test/**\/*.test.ts` → `test`), '' for none; undefined for a file. */
export function globFolder(glob: string): string | undefined {
  const clean = glob.replace(/^\.\//, '');
  const at = clean.search(/[*?[{(!]/);
  if (at < 0) return /\.[\w]+$/.test(clean) ? undefined : clean.replace(/\/+$/, '');
  return clean.slice(0, clean.lastIndexOf('/', at) + 1).replace(/\/+$/, '');
}

/** Whether a glob collects files below its folder (`**`, or a bare folder that the runner walks). */
function descends(glob: string): boolean {
  return glob.includes('**') || !/[*?[{]/.test(glob);
}

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

interface Ctx {
  files: FileIndex;
  read: (path: string) => Promise<Literal | undefined>;
  cwd: string;
  words: readonly string[];
  paths: readonly string[];
}

/** The value of `--flag value` or `--flag=value` among the runner's kept words. */
export function optionValue(words: readonly string[], ...flags: string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const [flag, value] = words[i]!.split(/=(.*)/s);
    if (flags.includes(flag!)) return value ?? words[i + 1];
  }
  return undefined;
}

/** Globs (relative to `dir`) as folders and patterns. */
function fromGlobs(dir: string, globs: readonly string[]): Collected {
  const folders: string[] = [];
  let flat: boolean | undefined;
  for (const glob of globs.filter((g) => !g.startsWith('!'))) {
    // A pattern with no folder of its own (`**/*.test.ts`) says nothing of where tests are: the project's tests do.
    const folder = globFolder(glob);
    const at = folder === undefined || folder === '' ? undefined : resolvePath(dir, folder);
    if (at === undefined || folders.includes(at)) continue;
    folders.push(at);
    flat ??= !descends(glob);
  }
  return { folders, patterns: [...globs], ...(flat ? { flat } : {}) };
}

/** The paths the project's command gives the runner (node --test, tap, mocha, ava): relative to where it runs. */
function fromPaths(ctx: Ctx, paths: readonly string[]): Collected {
  return fromGlobs(
    ctx.cwd,
    paths.filter((p) => globFolder(p) !== undefined),
  );
}

async function firstConfig(
  ctx: Ctx,
  dir: string,
  names: readonly string[],
): Promise<{ path: string; config: Literal } | undefined> {
  for (const name of names) {
    const path = dir === '' ? name : `${dir}/${name}`;
    const config = await ctx.read(path);
    if (config !== undefined && config !== COMPUTED) return { path, config };
  }
  return undefined;
}

// ---- Jest ----

async function jest(ctx: Ctx): Promise<Collected> {
  const named = optionValue(ctx.words, '-c', '--config');
  const found =
    named !== undefined && !named.trim().startsWith('{')
      ? await jestConfigAt(ctx, resolvePath(ctx.cwd, named))
      : await jestConfigIn(ctx, ctx.cwd);
  if (!found) return { folders: [], patterns: [] };
  const rootDir = optionValue(ctx.words, '--rootDir');
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
    return { folders: parts.flatMap((p) => p.folders), patterns: parts.flatMap((p) => p.patterns) };
  }
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
  // Without roots or a folder of its own, jest collects under rootDir: its tests' folder is found there.
  return {
    folders: folders.length > 0 || rootDir === ctx.cwd ? folders : [rootDir],
    patterns: [...testMatch, ...testRegex],
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
  return vitestOne(
    found?.config,
    root,
    root !== ctx.cwd,
    dirArg !== undefined ? resolvePath(ctx.cwd, dirArg) : undefined,
  );
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
  };
}

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
  return { folders: parts.flatMap((p) => p.folders), patterns: parts.flatMap((p) => p.patterns) };
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

// ---- Mocha, AVA, Jasmine ----

async function mochaCollected(ctx: Ctx): Promise<Collected> {
  const named = optionValue(ctx.words, '--config');
  const found =
    named !== undefined
      ? await firstConfig(ctx, '', [resolvePath(ctx.cwd, named) ?? named])
      : await firstConfig(ctx, ctx.cwd, [
          '.mocharc.js',
          '.mocharc.cjs',
          '.mocharc.mjs',
          '.mocharc.yaml',
          '.mocharc.yml',
          '.mocharc.jsonc',
          '.mocharc.json',
          '.mocharc',
        ]);
  const config = found?.config ?? pathOf((await firstConfig(ctx, ctx.cwd, ['package.json']))?.config, 'mocha');
  const recursive = pathOf(config, 'recursive') === true || ctx.words.includes('--recursive');
  const spec = ctx.paths.length > 0 ? [...ctx.paths] : strings(pathOf(config, 'spec'));
  // Mocha's default spec, `./test`, takes that folder's files only, not its subfolders' (unless recursive).
  const globs = (spec.length > 0 ? spec : ['./test']).map((s) =>
    recursive && !/[*?[{]/.test(s) && !/\.\w+$/.test(s) ? `${s.replace(/\/$/, '')}/**` : s,
  );
  const collected = fromGlobs(ctx.cwd, globs);
  const bare = globs.some((g) => !/[*?[{]/.test(g) && !/\.\w+$/.test(g));
  return bare && !recursive ? { ...collected, flat: true } : collected;
}

const AVA_DEFAULT = [
  'test.js',
  'src/test.js',
  'source/test.js',
  '**/test-*.js',
  '**/*.spec.js',
  '**/*.test.js',
  '**/test/**/*.js',
  '**/tests/**/*.js',
  '**/__tests__/**/*.js',
];

async function avaCollected(ctx: Ctx): Promise<Collected> {
  const config =
    (await firstConfig(ctx, ctx.cwd, ['ava.config.js', 'ava.config.cjs', 'ava.config.mjs']))?.config ??
    pathOf((await firstConfig(ctx, ctx.cwd, ['package.json']))?.config, 'ava');
  const files = ctx.paths.length > 0 ? [...ctx.paths] : strings(pathOf(config, 'files'));
  if (files.length > 0) return fromGlobs(ctx.cwd, files);
  // AVA's defaults collect any `test/` or `tests/` folder: the project's own tests' folder is found among them.
  return { folders: [], patterns: AVA_DEFAULT };
}

async function jasmineCollected(ctx: Ctx): Promise<Collected> {
  const named = optionValue(ctx.words, '--config');
  const found = await firstConfig(ctx, '', [
    resolvePath(ctx.cwd, named ?? 'spec/support/jasmine.json') ?? 'spec/support/jasmine.json',
  ]);
  const specDir = strings(pathOf(found?.config, 'spec_dir'))[0] ?? 'spec';
  const specFiles = strings(pathOf(found?.config, 'spec_files'));
  const dir = resolvePath(ctx.cwd, specDir) ?? ctx.cwd;
  const collected = fromGlobs(dir, specFiles.length > 0 ? specFiles : ['**/*[sS]pec.?(m)js']);
  return { ...collected, folders: collected.folders.length > 0 ? collected.folders : [dir] };
}

/** uvu's `uvu [dir] [pattern]`: the folder, recursive, and a pattern on file names. */
function uvuCollected(ctx: Ctx): Collected {
  const [dir, pattern] = ctx.paths;
  const folder = resolvePath(ctx.cwd, dir ?? '.');
  return {
    folders: folder !== undefined && folder !== ctx.cwd ? [folder] : [],
    patterns: pattern !== undefined ? [pattern] : [],
  };
}
