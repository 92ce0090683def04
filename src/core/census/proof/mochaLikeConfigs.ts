/**
 * What Mocha, AVA, Jasmine and uvu collect, read as each reads it (jsRunnerConfigs.ts for the others):
 * Mocha's `spec` (`.mocharc.*`, package.json `mocha`, or its command's own paths) with its `extension`
 * and `recursive`; AVA's `files` (ava.config.*, package.json `ava`, else its defaults); Jasmine's
 * `spec_dir` and `spec_files`; uvu's `uvu [dir] [pattern]`.
 */
import { pathOf, strings } from '../files/configLiteral';
import { firstConfig, fromGlobs, literalStrings, optionValue, resolvePath, type Collected, type Ctx } from './jsGlobs';

export async function mochaCollected(ctx: Ctx): Promise<Collected> {
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
  // A folder in spec takes the files of Mocha's extensions (js, cjs, mjs and its config's `extension`) in it.
  const extensions = [
    'js',
    'cjs',
    'mjs',
    ...strings(pathOf(config, 'extension')),
    ...wordValues(ctx.words, '--extension'),
  ];
  const takes = globs.map((g) =>
    /[*?[{]/.test(g) || /\.\w+$/.test(g)
      ? g
      : `${g.replace(/\/(\*\*)?$/, '')}/${g.endsWith('**') ? '**/' : ''}*.{${extensions.join(',')}}`,
  );
  const rules = literalStrings(pathOf(config, 'spec')) ? [{ base: ctx.cwd, globs: takes }] : undefined;
  const bare = globs.some((g) => !/[*?[{]/.test(g) && !/\.\w+$/.test(g));
  return { ...collected, rules, ...(bare && !recursive ? { flat: true } : {}) };
}

/** Every value of a repeatable `--flag value` (`--extension ts --extension tsx`). */
function wordValues(words: readonly string[], flag: string): string[] {
  return words.flatMap((w, i) =>
    w === flag && words[i + 1] ? [words[i + 1]!] : w.startsWith(`${flag}=`) ? [w.slice(flag.length + 1)] : [],
  );
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
/** What AVA never takes as a test file, whatever its globs. */
const AVA_IGNORED = ['!**/fixtures/**', '!**/helpers/**', '!**/_*', '!**/_*/**'];

export async function avaCollected(ctx: Ctx): Promise<Collected> {
  const config =
    (await firstConfig(ctx, ctx.cwd, ['ava.config.js', 'ava.config.cjs', 'ava.config.mjs']))?.config ??
    pathOf((await firstConfig(ctx, ctx.cwd, ['package.json']))?.config, 'ava');
  const files = ctx.paths.length > 0 ? [...ctx.paths] : strings(pathOf(config, 'files'));
  if (files.length > 0) {
    const collected = fromGlobs(ctx.cwd, files);
    return literalStrings(pathOf(config, 'files'))
      ? { ...collected, rules: [{ base: ctx.cwd, globs: [...files, ...AVA_IGNORED] }] }
      : { ...collected, rules: undefined };
  }
  // AVA's defaults collect any `test/` or `tests/` folder: the project's own tests' folder is found among them.
  const extensions = avaExtensions(pathOf(config, 'extensions'));
  const globs = AVA_DEFAULT.map((g) => (extensions ? g.replace(/\.js$/, `.{${extensions.join(',')}}`) : g));
  return { folders: [], patterns: AVA_DEFAULT, rules: [{ base: ctx.cwd, globs: [...globs, ...AVA_IGNORED] }] };
}

/** AVA's `extensions` (a list, or an object keyed by extension); undefined when not set. */
function avaExtensions(value: ReturnType<typeof pathOf>): string[] | undefined {
  const list =
    typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : strings(value);
  return list.length > 0 ? list : undefined;
}

export async function jasmineCollected(ctx: Ctx): Promise<Collected> {
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

/** uvu's `uvu [dir] [pattern]`: the folder, recursive, and a pattern on file names (uvu's own when none is given). */
export function uvuCollected(ctx: Ctx): Collected {
  const [dir, pattern] = ctx.paths;
  const folder = resolvePath(ctx.cwd, dir ?? '.');
  const source =
    pattern ??
    (dir !== undefined
      ? '(((?:[^\\/]*(?:\\/|$))*)[\\\\\\/])?\\w+\\.([mc]js|[jt]sx?)$'
      : '((\\/|^)(tests?|__tests?__)\\/.*|\\.(tests?|spec)|^\\/?tests?)\\.([mc]js|[jt]sx?)$');
  return {
    folders: folder !== undefined && folder !== ctx.cwd ? [folder] : [],
    patterns: pattern !== undefined ? [pattern] : [],
    ...(folder !== undefined ? { rules: [{ base: folder, regex: { source, flags: 'i' } }] } : {}),
  };
}
