/**
 * Where a layer's proof tests go: a folder its own test command already runs, so they stay part of
 * the project's suite after the run — the folder the command names (`node --test test/`), the
 * runner's configured roots (pytest's `testpaths`, vitest's `include`, jest's `roots`/`testMatch`,
 * phpunit.xml's test suites), else where the project's tests already are, else the runner's
 * convention — and in it `acceptance/` (`proof/` when that folder already holds other files).
 * Which language a probe is written in comes from the same tests (their extension, JUnit 4 or 5,
 * xUnit, NUnit or MSTest).
 */
import { posix } from 'node:path';
import type { FileIndex } from '../files/fileIndex';
import { jsPlace } from './jsPlaces';
import type { PackageManager } from '../commands/packageCommands';
import { inFolder, readHead, staticFolder, topFolder, type ProofPlace } from './places';
import type { RunnerFound } from './proofRunners';

export type { ProofPlace } from './places';

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
    case 'unittest': {
      const given = runner.paths[0];
      const folder =
        given !== undefined
          ? fromCwd(posix.dirname(given))
          : (topFolder(ownTests(PY_TEST), base, ['tests', 'test']) ?? inBase('tests'));
      return unittestPlace(folder, given === undefined ? 'test*.py' : posix.basename(given), files);
    }
    case 'go':
      return goPlace(workspace, base, files);
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
 * unittest's discovery takes the modules of its start folder whose names its pattern matches, and enters only
 * packages: the proof tests are modules of that folder, named by its pattern (`test*.py` →
 * `tests/test_acceptance_*.py`, `*_test.py` → `tests/acceptance_*_test.py`; `proof` when `acceptance` is taken).
 */
function unittestPlace(folder: string, pattern: string, files: FileIndex): ProofPlace {
  const [head = '', tail = '.py'] = pattern.includes('*') ? pattern.split('*', 2) : ['test', '.py'];
  const named = (word: string) =>
    `${head}${head !== '' && !head.endsWith('_') ? '_' : ''}${word}_*${/^[._]/.test(tail) ? '' : '_'}${tail}`;
  const at = (name: string) => (folder === '' ? name : `${folder}/${name}`);
  const taken = (word: string) => files.any(at(named(word).split('*')[0]!));
  const word = ['acceptance', 'proof'].find((w) => !taken(w)) ?? 'proof';
  const glob = named(word);
  return { tests: at(glob), folder, probe: glob.replace('*', 'orchestrator_probe'), language: { extension: 'py' } };
}

/**
 * Go tests a package from its own folder, internal ones included (`package jwt` calling the unexported `splitToken`):
 * proof tests are files of the package they test, in any package folder of the module, named so they are ours
 * (`<module>/**\/acceptance_*_test.go`; `proof_` when the module has `acceptance_` files). The probe goes in the module's root
 * package, else the folder holding most of its tests, under that package's own name.
 */
async function goPlace(workspace: string, base: string, files: FileIndex): Promise<ProofPlace> {
  const goFiles = files
    .under(base === '' ? '' : `${base}/`)
    .filter((f) => f.endsWith('.go') && !/(^|\/)(testdata|vendor)\//.test(f));
  const folderOf = (f: string) => posix.dirname(f).replace(/^\.$/, '');
  const prefix =
    ['acceptance', 'proof'].find((p) => !goFiles.some((f) => posix.basename(f).startsWith(`${p}_`))) ?? 'proof';
  const tests = goFiles.filter((f) => f.endsWith('_test.go'));
  const folder = goFiles.some((f) => folderOf(f) === base)
    ? base
    : (mostCommon(tests.map(folderOf)) ?? mostCommon(goFiles.map(folderOf)) ?? base);
  const here = goFiles
    .filter((f) => folderOf(f) === folder)
    .sort((a, b) => Number(a.endsWith('_test.go')) - Number(b.endsWith('_test.go')));
  let name: string | undefined;
  for (const file of here.slice(0, 3)) {
    name = /^package (\w+)/m.exec(await readHead(workspace, file))?.[1]?.replace(/_test$/, '');
    if (name) break;
  }
  const file = `${prefix}_*_test.go`;
  return {
    // At the repository's root, `**/` would name `.git/` too (protectedOwns.ts): the root's files and its folders' not starting with a dot.
    tests: base === '' ? `{${file},[^.]*/**/${file}}` : `${base}/**/${file}`,
    folder,
    probe: `${prefix}_orchestrator_probe_test.go`,
    language: { extension: 'go', package: name ?? 'acceptance' },
  };
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
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
