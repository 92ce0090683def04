/**
 * A package's TypeScript builds, read from its tsconfigs as `tsc` reads them (through `extends`, nothing
 * run): where each writes (`outDir`), the folder its output mirrors (`rootDir`; unset, the deepest folder
 * holding every file it compiles, as tsc computes it — `src/` when only `src/` holds TypeScript), and which
 * files it compiles (`files`, `include`, `exclude`). A proof test must never move that root: uuid's
 * `test/acceptance-*.test.ts` beside a `src/`-only program made tsc write `dist/esm/src/…` and its build
 * script's `mv` fail.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import picomatch from 'picomatch';
import { isObject, moduleConfig, pathOf, strings, type Literal } from '../files/configLiteral';
import type { FileIndex } from '../files/fileIndex';
import { resolvePath } from './jsGlobs';

export interface TsBuild {
  /** Workspace-relative. */
  outDir: string;
  /** The folder the output mirrors: the config's rootDir, else the one tsc computes; undefined when no file is compiled. */
  rootDir?: string;
  /** Whether rootDir is the config's own (then a file outside it is an error, not a new layout). */
  explicitRoot: boolean;
  /** The tsconfig, workspace-relative. */
  config: string;
  /** Whether the build compiles a workspace-relative file of this name. */
  compiles: (path: string) => boolean;
}

interface Options {
  outDir?: string;
  rootDir?: string;
  composite?: boolean;
  allowJs?: boolean;
  /** Workspace-relative globs (a folder stands for everything in it). */
  include?: string[];
  exclude?: string[];
  files?: string[];
}

const TS = /\.(ts|tsx|mts|cts)$/;
const JS = /\.(js|jsx|mjs|cjs)$/;

/** The package's tsconfigs that write an outDir. */
export async function tsBuilds(workspace: string, base: string, files: FileIndex): Promise<TsBuild[]> {
  const configs = files
    .under(base === '' ? '' : `${base}/`)
    .filter((f) => /^tsconfig[\w.-]*\.json$/.test(base === '' ? f : f.slice(base.length + 1)));
  const found: TsBuild[] = [];
  for (const config of configs) {
    const options = await tsOptions(workspace, config, files, 0);
    if (options.outDir === undefined) continue;
    const dir = posix.dirname(config).replace(/^\.$/, '');
    const compiles = compiled(options, dir);
    const rootDir =
      options.rootDir ??
      (options.composite ? dir : commonFolder(files.under(dir === '' ? '' : `${dir}/`).filter(compiles)));
    found.push({
      outDir: options.outDir,
      ...(rootDir !== undefined ? { rootDir } : {}),
      explicitRoot: options.rootDir !== undefined,
      config,
      compiles,
    });
  }
  return found;
}

/** Whether a build would still mirror the same folder with a file at `path` (outside its root, a computed root moves). */
export function keepsLayout(build: TsBuild, path: string): boolean {
  if (build.explicitRoot || build.rootDir === undefined || !build.compiles(path)) return true;
  return build.rootDir === '' || path.startsWith(`${build.rootDir}/`);
}

/** The files a config compiles: its `files`, its `include` (every file when neither is set) but its `exclude`. */
function compiled(options: Options, dir: string): (path: string) => boolean {
  const globs = (list: readonly string[]) =>
    list.map((g) => (/[*?]/.test(g) || /\.\w+$/.test(g) ? g : `${g === '' ? '' : `${g}/`}**`));
  const listed = new Set(options.files ?? []);
  const include = picomatch(globs(options.include ?? (options.files ? [] : [dir])), { dot: false });
  const exclude = picomatch(
    globs(
      options.exclude ??
        ['node_modules', 'bower_components', 'jspm_packages', ...(options.outDir ? [options.outDir] : [])].map((d) =>
          dir === '' ? d : `${dir}/${d}`,
        ),
    ),
  );
  return (path) =>
    (TS.test(path) || (options.allowJs === true && JS.test(path))) &&
    !/\.d\.[cm]?ts$/.test(path) &&
    (listed.has(path) || (include(path) && !exclude(path)));
}

/** The deepest folder holding every file ('' for the package root); undefined for none. */
function commonFolder(paths: readonly string[]): string | undefined {
  let common: string[] | undefined;
  for (const path of paths) {
    const parts = path.split('/').slice(0, -1);
    if (common === undefined) common = parts;
    else {
      let i = 0;
      while (i < common.length && common[i] === parts[i]) i++;
      common = common.slice(0, i);
    }
  }
  return common?.join('/');
}

/** A config's options through its `extends` chain, each path resolved against the config that sets it. */
async function tsOptions(workspace: string, config: string, files: FileIndex, depth: number): Promise<Options> {
  if (depth > 4 || !files.has(config)) return {};
  const parsed: Literal | undefined = moduleConfig(await readFile(join(workspace, config), 'utf8').catch(() => ''));
  const dir = posix.dirname(config).replace(/^\.$/, '');
  const parent = strings(pathOf(parsed, 'extends')).find((e) => e.startsWith('.'));
  const inherited = parent
    ? await tsOptions(
        workspace,
        resolvePath(dir, parent.endsWith('.json') ? parent : `${parent}.json`) ?? '',
        files,
        depth + 1,
      )
    : {};
  const own = pathOf(parsed, 'compilerOptions');
  const path = (key: string) =>
    isObject(own)
      ? strings(own[key])
          .map((v) => resolvePath(dir, v))
          .find((v) => v !== undefined)
      : undefined;
  const list = (key: string) => {
    const value = pathOf(parsed, key);
    return value === undefined ? undefined : strings(value).flatMap((v) => resolvePath(dir, v) ?? []);
  };
  const flag = (key: string) => (isObject(own) && typeof own[key] === 'boolean' ? own[key] : undefined);
  const options: Options = { ...inherited };
  for (const [key, value] of [
    ['outDir', path('outDir')],
    ['rootDir', path('rootDir')],
    ['composite', flag('composite')],
    ['allowJs', flag('allowJs')],
    ['include', list('include')],
    ['exclude', list('exclude')],
    ['files', list('files')],
  ] as const)
    if (value !== undefined) Object.assign(options, { [key]: value });
  return options;
}
