/**
 * What a JavaScript test runner collects, in its configuration's own terms (jsRunnerConfigs.ts and
 * mochaLikeConfigs.ts read them): the folders it takes tests from, the likeliest first, and the rules
 * a file must meet to be one of its tests — globs from a folder, a regular expression — so a proof
 * test is placed and named where the project's own run takes it (`src/**\/__tests__/**\/*-test.ts`
 * takes `src/__tests__/acceptance/x-test.ts`, never `src/acceptance/x.test.ts`).
 */
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { COMPUTED, type Literal } from '../files/configLiteral';
import type { FileIndex } from '../files/fileIndex';

export interface Collected {
  /** Workspace-relative folders the runner collects tests from, the likeliest first. */
  folders: string[];
  /** Test-file patterns (globs, or a regex's source), which name a probe as the runner takes it. */
  patterns: string[];
  /** The first folder's glob does not descend (`test/*.test.js`, Mocha's default `./test`): proof files go in it, not below. */
  flat?: boolean;
  /** What a file must meet to be collected (any one rule); absent: not known, any file the command is given counts. */
  rules?: CollectRule[];
}

/** One way a runner takes a file: globs read from a folder, or a regular expression. */
export interface CollectRule {
  /** Workspace-relative folder the globs (and a relative regular expression) are read from. */
  base: string;
  globs?: string[];
  /** Tested against the path from `base` (uvu), or with `absolute` against the whole path, as Jest's testRegex is. */
  regex?: { source: string; flags?: string; absolute?: boolean };
  /** Folders one of which must hold the file (Jest's roots). */
  roots?: string[];
}

/** Whether the runner collects a workspace-relative file (true when its rules are not known). */
export function collects(collected: Pick<Collected, 'rules'>, path: string): boolean {
  return collected.rules === undefined || collected.rules.some((rule) => ruleTakes(rule, path));
}

function ruleTakes(rule: CollectRule, path: string): boolean {
  const under = (dir: string) => dir === '' || path === dir || path.startsWith(`${dir}/`);
  if (rule.roots && !rule.roots.some(under)) return false;
  if (!under(rule.base)) return false;
  const relative = rule.base === '' ? path : path.slice(rule.base.length + 1);
  if (rule.regex) {
    try {
      return new RegExp(rule.regex.source, rule.regex.flags).test(rule.regex.absolute ? `/${path}` : relative);
    } catch {
      return true; // a pattern JavaScript cannot read here says nothing against the file
    }
  }
  const globs = (rule.globs ?? []).map((g) => g.replace(/^\.\//, ''));
  const wanted = globs.filter((g) => !g.startsWith('!'));
  const unwanted = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
  return (
    wanted.length > 0 &&
    picomatch(wanted, { dot: true })(relative) &&
    (unwanted.length === 0 || !picomatch(unwanted, { dot: true })(relative))
  );
}

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

/**
 * The shallowest folder a glob's files may sit in, its `**` taken as no folder at all
 * (`src/**\/__tests__/**\/*-test.ts` → `src/__tests__`), up to a segment with another pattern; and whether
 * the glob descends below it.
 */
function instanceFolder(glob: string): { folder: string; descends: boolean } {
  const segments = glob.replace(/^\.\//, '').split('/');
  const last = segments.pop()!;
  const kept: string[] = [];
  let descends = last === '**';
  for (const segment of segments) {
    if (segment === '**') descends = true;
    else if (/[*?[{(!]/.test(segment)) return { folder: kept.join('/'), descends: true };
    else {
      kept.push(segment);
      descends = last === '**';
    }
  }
  return { folder: kept.join('/'), descends: descends || !/[*?[{]/.test(glob) };
}

/** Globs (relative to `dir`) as folders, patterns and the rule they make. */
export function fromGlobs(dir: string, globs: readonly string[]): Collected {
  const folders: string[] = [];
  let flat: boolean | undefined;
  for (const glob of globs.filter((g) => !g.startsWith('!'))) {
    // A pattern with no folder of its own (`**/*.test.ts`) says nothing of where tests are: the project's tests do.
    const folder = globFolder(glob);
    if (folder === undefined || folder === '') continue;
    const instance = instanceFolder(glob);
    for (const [at, descends] of [
      [resolvePath(dir, instance.folder), instance.descends],
      [resolvePath(dir, folder), glob.includes('**') || !/[*?[{]/.test(glob)],
    ] as const) {
      if (at === undefined || at === '' || folders.includes(at)) continue;
      folders.push(at);
      flat ??= !descends;
    }
  }
  return {
    folders,
    patterns: [...globs],
    ...(flat ? { flat } : {}),
    rules: globs.length > 0 ? [{ base: dir, globs: [...globs] }] : [],
  };
}

/** Whether a config value is absent or strings only (a computed one, `path.join(…)`, says nothing of what is collected). */
export function literalStrings(value: Literal | undefined): boolean {
  return (
    value === undefined ||
    typeof value === 'string' ||
    (Array.isArray(value) && value.every((v) => typeof v === 'string'))
  );
}

/** The value of `--flag value` or `--flag=value` among the runner's kept words. */
export function optionValue(words: readonly string[], ...flags: string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const [flag, value] = words[i]!.split(/=(.*)/s);
    if (flags.includes(flag!)) return value ?? words[i + 1];
  }
  return undefined;
}

export interface Ctx {
  files: FileIndex;
  read: (path: string) => Promise<Literal | undefined>;
  cwd: string;
  words: readonly string[];
  paths: readonly string[];
}

export async function firstConfig(
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
