/**
 * Where a layer's proof tests go: a folder its own test command already runs, so they stay part of
 * the project's suite after the run — the folder the command names (`node --test test/`), the
 * runner's configured roots (pytest's `testpaths`, vitest's `include`, jest's `roots`/`testMatch`,
 * phpunit.xml's test suites), else where the project's tests already are, else the runner's
 * convention — and in it `acceptance/` (`proof/` when that folder already holds other files).
 * Which language a probe is written in comes from the same tests (their extension, JUnit 4 or 5,
 * xUnit, NUnit or MSTest).
 */
import { join, posix } from 'node:path';
import { fileHead } from '../fileHead';
import type { FileIndex } from '../fileIndex';
import { buildBefore, compiledFrom, isBuildOutput, type CompiledTests } from './compiledTests';
import { collects } from './jsGlobs';
import { collectedBy, globFolder, type Collected } from './jsRunnerConfigs';
import type { PackageManager } from '../packageCommands';
import type { RunnerFound } from './proofRunners';
import type { ProofUnit } from '../types';

export interface ProofPlace {
  /** Workspace-relative glob. */
  tests: string;
  /** Workspace-relative folder a probe is written in. */
  folder: string;
  /** A probe's file name, in the project's naming (`orchestrator-probe.test.ts`, `test_orchestrator_probe.py`, `acceptance_orchestrator_probe.rs`). */
  probe: string;
  language: ProofUnit['language'];
  /** The tests are written in sources the project compiles before its runner runs them: the proof command builds first and runs the compiled files. */
  compiled?: CompiledTests;
  /** The tests are not compiled, but the project's script builds before it runs them (compiledTests.ts's buildBefore): so does the proof command. */
  build?: string[];
  /** The project's own command names only these files (`mocha test/test.js`): no folder of it runs the proof tests, only the proof command does. */
  onlyFiles?: string[];
}

const JS_TEST = /(^|[./_-])(test|spec)\.[cm]?[jt]sx?$|(^|\/)__tests__\/.+\.[cm]?[jt]sx?$/;
const PY_TEST = /(^|\/)(test_[^/]*|[^/]*_test)\.py$/;

export async function proofPlace(
  workspace: string,
  runner: RunnerFound,
  files: FileIndex,
  manager: PackageManager = 'npm',
): Promise<ProofPlace> {
  const base = runner.project.dir;
  const inBase = (path: string) => (base === '' ? path : `${base}/${path}`);
  const fromCwd = (path: string) =>
    posix
      .normalize(posix.join(runner.cwd, path))
      .replace(/^\.\/?/, '')
      .replace(/\/$/, '');
  // Snapshots are no tests (tap's `tap-snapshots/test/a.ts.test.cjs`).
  const ownTests = (pattern: RegExp) =>
    files
      .under(base === '' ? '' : `${base}/`)
      .filter(
        (f) => pattern.test(f) && !/(^|\/)(node_modules|fixtures?|__fixtures__|tap-snapshots|__snapshots__)\//.test(f),
      );
  switch (runner.name) {
    case 'node':
    case 'vitest':
    case 'jest':
    case 'mocha':
    case 'ava':
    case 'tap':
    case 'jasmine':
    case 'uvu':
    case 'script':
      return jsPlace(workspace, runner, files, ownTests(JS_TEST), manager);
    case 'pytest': {
      const configured = runner.paths
        .map((p) => staticFolder(p))
        .filter((p): p is string => p !== undefined && !p.endsWith('.py'))
        .map(fromCwd);
      const testpaths = (await pytestPaths(workspace, base, files)).map(inBase);
      const folder =
        testpaths[0] ?? configured[0] ?? topFolder(ownTests(PY_TEST), base, ['tests', 'test']) ?? inBase('tests');
      return inFolder(folder, files, 'py', 'test_orchestrator_probe.py');
    }
    case 'go':
      return inFolder(base, files, 'go', 'orchestrator_probe_test.go');
    case 'cargo': {
      // Cargo builds each `tests/*.rs` as a test of its own: proof tests are files there with a prefix of theirs.
      const prefix = ['acceptance', 'proof'].find((p) => !files.any(inBase(`tests/${p}_`))) ?? 'proof';
      return {
        tests: inBase(`tests/${prefix}_*.rs`),
        folder: inBase('tests'),
        probe: `${prefix}_orchestrator_probe.rs`,
        language: { extension: 'rs' },
      };
    }
    case 'dotnet': {
      const framework = ['xunit', 'nunit', 'mstest'].find((f) => runner.project.frameworks.includes(f)) ?? 'xunit';
      const extension = runner.project.manifest.endsWith('.fsproj') ? 'fs' : 'cs';
      return inFolder(base, files, extension, `OrchestratorProbe.${extension}`, framework, 'Acceptance');
    }
    case 'maven':
    case 'gradle': {
      const kotlin = files.any(inBase('src/test/kotlin/')) && !files.any(inBase('src/test/java/'));
      const deps = runner.project.dependencies ?? [];
      const junit5 =
        deps.some((d) =>
          /^(junit-jupiter[\w-]*|org\.junit\.jupiter|spring-boot-starter-test|org\.springframework\.boot)$/.test(d),
        ) || !deps.includes('junit');
      const extension = kotlin ? 'kt' : 'java';
      return inFolder(
        inBase(`src/test/${kotlin ? 'kotlin' : 'java'}`),
        files,
        extension,
        `OrchestratorProbeTest.${extension}`,
        junit5 ? 'junit5' : 'junit4',
      );
    }
    case 'phpunit':
    case 'pest': {
      const suites = await phpunitDirectories(workspace, base, files);
      const folder = (suites.find((d) => /(^|\/)Feature$/.test(d)) ?? suites[0] ?? 'tests').replace(/^\.\//, '');
      return inFolder(inBase(folder), files, 'php', 'OrchestratorProbeTest.php', undefined, 'Acceptance');
    }
    case 'rspec':
      return inFolder(inBase('spec'), files, 'rb', 'orchestrator_probe_spec.rb');
  }
}

/**
 * A JavaScript runner's place: the first folder it collects that is not build output (its config
 * read as it reads it: jsRunnerConfigs.ts), else where the project's tests are, else `test/`. A
 * compiled folder (`dist/esm/test`) sends the tests to the sources it is built from; a glob that
 * does not descend (`test/*.test.js`) keeps them in its folder, named `acceptance-*`.
 */
async function jsPlace(
  workspace: string,
  runner: RunnerFound,
  files: FileIndex,
  tests: readonly string[],
  manager: PackageManager,
): Promise<ProofPlace> {
  const base = runner.project.dir;
  const collected = await collectedBy(workspace, runner, files);
  const { kind, extension } = jsProbeName(runner, collected.patterns, tests);
  const place = await jsFolder(workspace, runner, files, collected, tests, manager, kind, extension);
  const build = place.compiled ? undefined : buildBefore(runner, manager);
  if (build) place.build = build;
  // AVA, tap and uvu are imported: a `.js` probe is a CommonJS file unless the package says `"type": "module"`.
  if (['ava', 'tap', 'uvu'].includes(runner.name) && /^[cm]?js$/.test(place.language.extension)) {
    const cjs =
      place.language.extension === 'cjs' ||
      (place.language.extension === 'js' && !(await isModulePackage(workspace, base, files)));
    place.language = { ...place.language, framework: cjs ? 'cjs' : 'esm' };
  }
  return place;
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
  let first: ProofPlace | undefined;
  for (const [i, folder] of collected.folders.entries()) {
    // A workspace package inside what the root's runner collects (`packages/**/*.spec.ts`): its own tests' folder.
    if (base !== '' && runner.cwd !== base && !collected.flat && (folder === '' || base.startsWith(`${folder}/`)))
      return inFolder(topFolder(tests, base) ?? base, files, extension, probe(extension));
    const place = i === 0 && collected.flat === true ? flatPlace : inFolder;
    const compiled = await compiledFrom(workspace, runner, folder, files, manager);
    if (compiled) return { ...place(compiled.source, files, compiled.extension, probe(compiled.extension)), compiled };
    if (await isBuildOutput(workspace, folder, runner.project, files)) continue;
    first ??= place(folder, files, extension, probe(extension));
    const taken = collectedPlace(collected, kind, extension, (ext, name) => place(folder, files, ext, name));
    if (taken) return taken;
  }
  // Where the project's own tests are that the runner takes: the shallowest of their folders a proof file is taken in.
  for (const folder of ancestors(
    tests.filter((t) => collects(collected, t)),
    base,
  )) {
    const taken = collectedPlace(collected, kind, extension, (ext, name) => inFolder(folder, files, ext, name));
    if (taken) return taken;
  }
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
): ProofPlace | undefined {
  if (collected.rules === undefined) return place(extension, `orchestrator-probe.${kind}.${extension}`);
  const family = /ts/.test(extension) ? ['ts', 'mts', 'cts', 'tsx'] : ['js', 'mjs', 'cjs', 'jsx'];
  const forms = [`.${kind}`, '.test', '.spec', '-test', '_test', '-spec', '_spec', '.tests'];
  for (const ext of [...new Set([extension, ...family])]) {
    for (const [before, after] of [...forms.map((f) => ['', `${f}.${ext}`]), ['test-', `.${ext}`], ['', `.${ext}`]]) {
      const found = place(ext, `${before}orchestrator-probe${after}`);
      if (!collects(collected, posix.join(found.folder, found.probe))) continue;
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

async function isModulePackage(workspace: string, base: string, files: FileIndex): Promise<boolean> {
  const manifest = base === '' ? 'package.json' : `${base}/package.json`;
  return files.has(manifest) && /"type"\s*:\s*"module"/.test(await readHead(workspace, manifest));
}

/** Files of the folder itself, `acceptance-*` (`proof-*` when taken), where the runner takes no subfolder. */
function flatPlace(folder: string, files: FileIndex, extension: string, probe: string): ProofPlace {
  const at = (name: string) => (folder === '' ? name : `${folder}/${name}`);
  const prefix = ['acceptance', 'proof'].find((p) => !files.any(at(`${p}-`))) ?? 'proof';
  return { tests: at(`${prefix}-*`), folder, probe: `${prefix}-${probe}`, language: { extension } };
}

/** `<folder>/acceptance/**`, or `proof/` when `acceptance/` already holds the project's own files (Codeception's `tests/Acceptance`, a Cucumber suite). */
function inFolder(
  folder: string,
  files: FileIndex,
  extension: string,
  probe: string,
  framework?: string,
  name = 'acceptance',
): ProofPlace {
  const candidates = [name, name === 'acceptance' ? 'proof' : 'Proof'];
  const taken = (dir: string) => files.any(`${dir}/`);
  const chosen =
    candidates.map((c) => (folder === '' ? c : `${folder}/${c}`)).find((dir) => !taken(dir)) ??
    `${folder === '' ? '' : `${folder}/`}${candidates[1]}`;
  return { tests: `${chosen}/**`, folder: chosen, probe, language: { extension, ...(framework ? { framework } : {}) } };
}

/** The folder a path or glob names before its first pattern character (`test/**\/*.test.ts` → `test`); undefined for a single file or a bare pattern. */
export function staticFolder(path: string): string | undefined {
  const clean = path.replace(/^\.\//, '').replace(/^["']|["']$/g, '');
  const glob = clean.search(/[*?[{]/);
  const head = glob >= 0 ? clean.slice(0, glob) : clean;
  const folder = glob >= 0 ? head.slice(0, head.lastIndexOf('/') + 1) : /\.[\w]+$/.test(head) ? '' : `${head}/`;
  const result = folder.replace(/\/+$/, '');
  return result === '' || result === '.' ? undefined : result;
}

/** The most common first folder of the project's tests (`test`, `tests`, `src`), among `allowed` when given. */
function topFolder(tests: readonly string[], base: string, allowed?: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const file of tests) {
    const rest = base === '' ? file : file.slice(base.length + 1);
    if (!rest.includes('/')) continue;
    const top = rest.slice(0, rest.indexOf('/'));
    if (allowed && !allowed.includes(top)) continue;
    counts.set(top, (counts.get(top) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return best === undefined ? undefined : base === '' ? best : `${base}/${best}`;
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

async function readHead(workspace: string, path: string): Promise<string> {
  return fileHead(join(workspace, path), 16_384);
}

/** pytest's `testpaths` (pyproject.toml, pytest.ini, tox.ini, setup.cfg), relative to the project. */
async function pytestPaths(workspace: string, base: string, files: FileIndex): Promise<string[]> {
  const sections: [string, RegExp][] = [
    ['pytest.ini', /^\[pytest\]/m],
    ['pyproject.toml', /^\[tool\.pytest\.ini_options\]/m],
    ['tox.ini', /^\[pytest\]/m],
    ['setup.cfg', /^\[tool:pytest\]/m],
  ];
  for (const [name, header] of sections) {
    const path = base === '' ? name : `${base}/${name}`;
    if (!files.has(path)) continue;
    const text = await readHead(workspace, path);
    const at = text.search(header);
    if (at < 0) continue;
    const section = text.slice(at).split(/\n(?=\[)/)[0]!;
    const value = /^\s*testpaths\s*=\s*(\[[^\]]*\]|.+(?:\n[ \t]+.+)*)/m.exec(section)?.[1];
    if (value === undefined) continue;
    const paths = value.startsWith('[')
      ? [...value.matchAll(/["']([^"']+)["']/g)].map((m) => m[1]!)
      : value.split(/\s+/).filter(Boolean);
    const folders = paths.map((p) => staticFolder(p)).filter((p): p is string => p !== undefined);
    if (folders.length > 0) return folders;
  }
  return [];
}

/** The directories phpunit.xml's test suites run (`tests/Unit`, `tests/Feature`). */
async function phpunitDirectories(workspace: string, base: string, files: FileIndex): Promise<string[]> {
  for (const name of ['phpunit.xml', 'phpunit.xml.dist', 'phpunit.dist.xml']) {
    const path = base === '' ? name : `${base}/${name}`;
    if (!files.has(path)) continue;
    const text = await readHead(workspace, path);
    const suites = [...text.matchAll(/<testsuite\b[\s\S]*?<\/testsuite>/g)].map((m) => m[0]);
    return suites.flatMap((suite) =>
      [...suite.matchAll(/<directory\b[^>]*>\s*([^<\s]+)\s*<\/directory>/g)].map((m) => m[1]!.replace(/\/+$/, '')),
    );
  }
  return [];
}
