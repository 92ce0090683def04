/**
 * A JavaScript runner's proof folder: the first folder it collects that is not build output (its config read as it
 * reads it: jsRunnerConfigs.ts), with a probe name its rules take, else where the project's tests are, else `test/`;
 * the next candidates kept for verification to try when the project's lint or build fails with a proof test in the
 * first (proofFolderGates.ts).
 */
import { posix } from 'node:path';
import { DenyList, isInstalledCode, protectedGlobOf } from '../../project/config';
import type { FileIndex } from '../files/fileIndex';
import type { PackageManager } from '../commands/packageCommands';
import { buildBefore, compiledFrom, isBuildOutput } from './compiledTests';
import { collects } from './jsGlobs';
import { collectedBy, globFolder, type Collected } from './jsRunnerConfigs';
import { flatPlace, inFolder, readHead, topFolder, type ProofPlace } from './places';
import type { RunnerFound } from './proofRunners';
import { keepsLayout, tsBuilds } from './tsconfigs';

/**
 * A JavaScript runner's place: the first folder it collects that is not build output (its config
 * read as it reads it: jsRunnerConfigs.ts), else where the project's tests are, else `test/`. A
 * compiled folder (`dist/esm/test`) sends the tests to the sources it is built from; a glob that
 * does not descend (`test/*.test.js`) keeps them in its folder, named `acceptance-*`.
 */
export async function jsPlace(
  workspace: string,
  runner: RunnerFound,
  files: FileIndex,
  tests: readonly string[],
  manager: PackageManager,
): Promise<ProofPlace> {
  const base = runner.project.dir;
  const collected = await collectedBy(workspace, runner, files);
  const { kind, extension } = jsProbeName(runner, collected.patterns, tests);
  const found = await jsFolder(workspace, runner, files, collected, tests, manager, kind, extension);
  const build = found.compiled ? undefined : buildBefore(runner, manager);
  const imports = await testImports(
    workspace,
    runner,
    tests.filter((t) => collects(collected, t)),
  );
  const module = await isModulePackage(workspace, base, files);
  for (const place of [found, ...(found.alternatives ?? [])]) {
    if (build) place.build = build;
    // AVA, tap and uvu are imported, and Mocha's and Jest's probe imports what the project's tests do: a `.js`
    // probe is a CommonJS file unless the package says `"type": "module"`.
    const { extension: ext } = place.language;
    if (/^[cm]?js$/.test(ext) && (['ava', 'tap', 'uvu'].includes(runner.name) || imports.length > 0))
      place.language = { ...place.language, framework: ext === 'cjs' || (ext === 'js' && !module) ? 'cjs' : 'esm' };
    if (imports.length > 0) place.language = { ...place.language, imports };
  }
  return found;
}

/** Test libraries whose imports a probe copies, by runner: what the project's own tests import of them. */
const IMPORTED: Partial<Record<RunnerFound['name'], string[]>> = {
  mocha: ['mocha', 'chai'],
  jest: ['@jest/globals'],
};

/** The test libraries the project's own tests (the first few the runner takes) import, as a proof test would. */
async function testImports(workspace: string, runner: RunnerFound, tests: readonly string[]): Promise<string[]> {
  const known = IMPORTED[runner.name] ?? [];
  if (known.length === 0) return [];
  const heads = await Promise.all(tests.slice(0, 3).map((t) => readHead(workspace, t)));
  return known.filter((name) =>
    heads.some((head) => new RegExp(`(from\\s+|require\\(\\s*)['"]${name.replace('/', '\\/')}['"]`).test(head)),
  );
}

async function jsFolder(
  workspace: string,
  runner: RunnerFound,
  files: FileIndex,
  collected: Collected,
  tests: readonly string[],
  manager: PackageManager,
  kind: string,
  extension: string,
): Promise<ProofPlace> {
  const base = runner.project.dir;
  const probe = (ext: string) => `orchestrator-probe.${kind}.${ext}`;
  // Never a place a proof test would move the root a TypeScript build mirrors (tsconfigs.ts), nor one agents may not write.
  const builds = await tsBuilds(workspace, base, files);
  const fits = (path: string) => writable(path) && builds.every((b) => keepsLayout(b, path));
  const found: ProofPlace[] = [];
  const add = (place: ProofPlace | undefined) => {
    if (place && !found.some((f) => f.tests === place.tests)) found.push(place);
  };
  let first: ProofPlace | undefined;
  const flat: string[] = [];
  for (const [i, folder] of collected.folders.entries()) {
    // The next folders are alternatives to one found, never a place of another kind.
    const next = found.length > 0;
    // A workspace package inside what the root's runner collects (`packages/**/*.spec.ts`): its own tests' folder.
    if (base !== '' && runner.cwd !== base && !collected.flat && (folder === '' || base.startsWith(`${folder}/`))) {
      if (next) continue;
      return inFolder(topFolder(tests, base) ?? base, files, extension, probe(extension));
    }
    const place = i === 0 && collected.flat === true ? flatPlace : inFolder;
    const compiled = await compiledFrom(workspace, runner, folder, files, manager);
    if (compiled && next) continue;
    if (compiled) return { ...place(compiled.source, files, compiled.extension, probe(compiled.extension)), compiled };
    if (await isBuildOutput(workspace, folder, runner.project, files)) continue;
    first ??= place(folder, files, extension, probe(extension));
    add(collectedPlace(collected, kind, extension, (ext, name) => place(folder, files, ext, name), fits));
    // Beside the project's tests, named `acceptance-*`, where a linter's test rules reach a folder's own files only
    // (`**/test/*`): tried last, when the project's lint rejects the folders (proofFolderGates.ts).
    if (place === inFolder) flat.push(folder);
  }
  // Where the project's own tests are that the runner takes: the shallowest of their folders a proof file is taken in.
  for (const folder of ancestors(
    tests.filter((t) => collects(collected, t)),
    base,
  ))
    add(collectedPlace(collected, kind, extension, (ext, name) => inFolder(folder, files, ext, name), fits));
  for (const folder of flat)
    add(collectedPlace(collected, kind, extension, (ext, name) => flatPlace(folder, files, ext, name), fits));
  // The next ones are tried when the project's lint or build fails with a proof test in the first (proofFolderGates.ts).
  if (found.length > 0) return found.length > 1 ? { ...found[0]!, alternatives: found.slice(1, 3) } : found[0]!;
  if (first) return first;
  const place = inFolder(
    topFolder(tests, base) ?? (base === '' ? 'test' : `${base}/test`),
    files,
    extension,
    probe(extension),
  );
  // Beside the project's tests: said so when its command names single files, never a folder the proof tests are in.
  const named = runner.paths.filter((p) => globFolder(p) === undefined);
  return named.length > 0 && named.length === runner.paths.length ? { ...place, onlyFiles: named } : place;
}

/**
 * The place with a probe name the runner collects there (`orchestrator-probe-test.ts` where Mocha's spec is
 * `src/**\/__tests__/**\/*-test.ts`), its glob narrowed to that form (`…/acceptance/**\/*-test.ts`) when a test
 * named the usual way (`x.test.ts`) would not be collected; undefined when no name is.
 */
function collectedPlace(
  collected: Collected,
  kind: string,
  extension: string,
  place: (extension: string, probe: string) => ProofPlace,
  fits: (path: string) => boolean,
): ProofPlace | undefined {
  if (collected.rules === undefined) {
    const found = place(extension, `orchestrator-probe.${kind}.${extension}`);
    return fits(posix.join(found.folder, found.probe)) ? found : undefined;
  }
  const family = /ts/.test(extension) ? ['ts', 'mts', 'cts', 'tsx'] : ['js', 'mjs', 'cjs', 'jsx'];
  const forms = [`.${kind}`, '.test', '.spec', '-test', '_test', '-spec', '_spec', '.tests'];
  for (const ext of [...new Set([extension, ...family])]) {
    for (const [before, after] of [...forms.map((f) => ['', `${f}.${ext}`]), ['test-', `.${ext}`], ['', `.${ext}`]]) {
      const found = place(ext, `${before}orchestrator-probe${after}`);
      const path = posix.join(found.folder, found.probe);
      if (!collects(collected, path) || !fits(path)) continue;
      // Nested (`…/acceptance/**`) or flat (`test/acceptance-*`): a test named the usual way there, and the narrowed glob.
      const nested = found.tests.endsWith('/**');
      const prefix = nested ? '' : posix.basename(found.tests).replace(/\*$/, '');
      if (collects(collected, posix.join(found.folder, `${prefix}x.${kind}.${ext}`))) return found;
      const [head, tail] = found.probe.split('orchestrator-probe') as [string, string];
      return {
        ...found,
        tests: nested ? `${found.tests}/${head}*${tail}` : `${posix.dirname(found.tests)}/${head}*${tail}`,
      };
    }
  }
  return undefined;
}

/** A path agents may write: not protected (`.claude/`, `.git*`, `.vscode/`), installed code or a secret's name. */
const DENIED = new DenyList();

function writable(path: string): boolean {
  return protectedGlobOf(path) === undefined && !isInstalledCode(path) && DENIED.match(path) === undefined;
}

async function isModulePackage(workspace: string, base: string, files: FileIndex): Promise<boolean> {
  const manifest = base === '' ? 'package.json' : `${base}/package.json`;
  return files.has(manifest) && /"type"\s*:\s*"module"/.test(await readHead(workspace, manifest));
}

/** The folders of the project's commonest test folder, shallowest first, from its first below the project's. */
function ancestors(tests: readonly string[], base: string): string[] {
  const counts = new Map<string, number>();
  for (const file of tests) counts.set(posix.dirname(file), (counts.get(posix.dirname(file)) ?? 0) + 1);
  const best = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (best === undefined || best === '.') return [];
  const parts = best.split('/');
  const from = base === '' ? 1 : base.split('/').length + 1;
  return parts.slice(from - 1).map((_, i) => parts.slice(0, from + i).join('/'));
}

const JS_SUFFIX = /\.(test|spec)\.([cm]?[jt]sx?)$/;

/**
 * A probe named as the project names its tests — vitest and jest run a given file only when their
 * include or testMatch takes it: `.spec` or `.test` and the extension its patterns spell
 * (`src/**\/*.spec.tsx`), else the most common among its tests, else TypeScript when it has it (the
 * other JS runners' patterns take files alike). node runs any file it is given: an ES module (`mjs`)
 * whatever the package's type, or TypeScript.
 */
function jsProbeName(
  runner: RunnerFound,
  patterns: readonly string[],
  tests: readonly string[],
): { kind: string; extension: string } {
  const spelled = patterns.map((p) => JS_SUFFIX.exec(p)).find((m) => m !== null);
  const counts = new Map<string, number>();
  for (const test of tests) {
    const suffix = JS_SUFFIX.exec(test);
    if (suffix) counts.set(`${suffix[1]}.${suffix[2]}`, (counts.get(`${suffix[1]}.${suffix[2]}`) ?? 0) + 1);
  }
  const common = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0].split('.');
  const typescript = runner.project.frameworks.includes('typescript') || tests.some((t) => /\.[cm]?tsx?$/.test(t));
  const kind = spelled?.[1] ?? common?.[0] ?? 'test';
  const extension = spelled?.[2] ?? common?.[1] ?? (typescript ? 'ts' : 'js');
  if (runner.name !== 'node') return { kind, extension };
  return { kind, extension: /ts/.test(extension) ? 'ts' : 'mjs' };
}
