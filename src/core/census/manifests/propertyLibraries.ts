/**
 * The property-based testing libraries a repository already has, read from its manifests
 * (nothing runs): the proof agent is asked for a property where a criterion is quantified over
 * inputs, with the library the unit already depends on, else the one `propertyLibraryFor` names.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { listRepositoryFiles } from '../files/fileList';
import { asRecord, TEMPLATE_FOLDER } from './manifests';

export interface PropertyLibrary {
  /** As the project names it: `fast-check`, `hypothesis`, `jqwik`, `proptest`, `rapid`, `gopter`, `FsCheck`… */
  name: string;
  /** javascript, typescript, python, java, kotlin, rust, go, csharp, fsharp. */
  language: string;
  /** Workspace-relative folder of the manifest that depends on it; '' = root. */
  unit: string;
}

/** The library to suggest to a unit of this language that has none installed. */
const SUGGESTED: Record<string, string> = {
  javascript: 'fast-check',
  typescript: 'fast-check',
  python: 'hypothesis',
  java: 'jqwik',
  kotlin: 'jqwik',
  rust: 'proptest',
  go: 'rapid',
  csharp: 'FsCheck',
  fsharp: 'FsCheck',
};

export function propertyLibraryFor(language: string): string | undefined {
  return SUGGESTED[language.toLowerCase()];
}

/** What a file is written in, by its extension (the languages a property library exists for). */
const LANGUAGE_OF: Record<string, string> = {
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  py: 'python',
  pyi: 'python',
  java: 'java',
  kt: 'kotlin',
  kts: 'kotlin',
  rs: 'rust',
  go: 'go',
  cs: 'csharp',
  fs: 'fsharp',
  rb: 'ruby',
  php: 'php',
};

function languageOfPath(path: string): string | undefined {
  return LANGUAGE_OF[posix.extname(path).slice(1).toLowerCase()];
}

/** One library serves the languages it is written for: fast-check both JavaScript and TypeScript, jqwik Java and Kotlin, FsCheck C# and F#. */
const FAMILY: Record<string, string> = { typescript: 'javascript', kotlin: 'java', fsharp: 'csharp' };
const family = (language: string) => FAMILY[language] ?? language;

export interface PropertyChoice {
  library: string;
  /** The unit depends on it already; else it is the one that would allow properties there. */
  installed: boolean;
  language: string;
  /** The unit whose manifest names it ('' = root), when installed. */
  unit?: string;
}

/**
 * The library for tests about these files (the ones a criterion's tasks touch): the one the
 * deepest unit above them depends on, in their language (a Python service's Hypothesis, never
 * the front end's fast-check beside it); else the one to suggest for their language. The files'
 * most common language decides; undefined when none has a library.
 */
export function propertyLibraryOf(
  libraries: readonly PropertyLibrary[],
  paths: readonly string[],
): PropertyChoice | undefined {
  const counts = new Map<string, number>();
  for (const path of paths) {
    const language = languageOfPath(path);
    if (language) counts.set(language, (counts.get(language) ?? 0) + 1);
  }
  const language = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!language) return undefined;
  const files = paths.filter((p) => languageOfPath(p) !== undefined && family(languageOfPath(p)!) === family(language));
  const above = (unit: string) => unit === '' || files.some((f) => f.startsWith(`${unit}/`));
  const installed = libraries
    .filter((l) => family(l.language) === family(language) && above(l.unit))
    .sort((a, b) => b.unit.length - a.unit.length)[0];
  if (installed) return { library: installed.name, installed: true, language, unit: installed.unit };
  const suggested = propertyLibraryFor(language);
  return suggested ? { library: suggested, installed: false, language } : undefined;
}

/** Test fixtures hold other projects' manifests, not this one's dependencies. */
const FIXTURE = /(^|\/)(fixtures?|__fixtures__|testdata|test-fixtures)\//;

type TomlParser = (text: string) => unknown;

export async function propertyLibraries(workspace: string): Promise<PropertyLibrary[]> {
  const { files } = await listRepositoryFiles(workspace);
  const fileSet = new Set(files);
  const manifests = files.filter(
    (f) => readerOf(posix.basename(f)) !== undefined && !TEMPLATE_FOLDER.test(f) && !FIXTURE.test(f),
  );
  // An ES module: loaded on first use, as manifests.ts does.
  const { parse: parseToml } = await import('smol-toml');
  const found = await Promise.all(
    manifests.map(async (path) => {
      const text = await readFile(join(workspace, path), 'utf8').catch(() => undefined);
      if (text === undefined) return [];
      const dir = posix.dirname(path) === '.' ? '' : posix.dirname(path);
      try {
        return readerOf(posix.basename(path))!(text, parseToml, { dir, fileSet }).map((l) => ({ ...l, unit: dir }));
      } catch {
        // A manifest we cannot parse says nothing here; the census warns about it already.
        return [];
      }
    }),
  );
  const seen = new Set<string>();
  const libraries: PropertyLibrary[] = [];
  for (const library of found.flat()) {
    const key = `${library.unit}\0${library.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    libraries.push(library);
  }
  return libraries.sort((a, b) => a.unit.localeCompare(b.unit) || a.name.localeCompare(b.name));
}

interface Where {
  dir: string;
  fileSet: ReadonlySet<string>;
}
type Reader = (text: string, parseToml: TomlParser, where: Where) => Omit<PropertyLibrary, 'unit'>[];

function readerOf(name: string): Reader | undefined {
  if (name === 'package.json') return fromPackageJson;
  if (name === 'pyproject.toml') return fromPyproject;
  if (name === 'Pipfile') return fromPipfile;
  if (/^requirements[\w.-]*\.txt$/.test(name) || name === 'setup.cfg' || name === 'setup.py')
    return fromPythonRequirements;
  if (name === 'pom.xml') return fromPom;
  if (name === 'build.gradle' || name === 'build.gradle.kts') return fromGradle;
  if (name === 'Cargo.toml') return fromCargo;
  if (name === 'go.mod') return fromGoMod;
  if (name.endsWith('.csproj') || name.endsWith('.fsproj'))
    return name.endsWith('.fsproj') ? fromProject('fsharp') : fromProject('csharp');
  return undefined;
}

function fromPackageJson(text: string, _toml: TomlParser, { dir, fileSet }: Where): Omit<PropertyLibrary, 'unit'>[] {
  const json = asRecord(JSON.parse(text));
  const deps = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((key) =>
    Object.keys(asRecord(json[key])),
  );
  // `@fast-check/vitest` and `@fast-check/jest` are fast-check bound to a runner.
  if (!deps.some((d) => d === 'fast-check' || d.startsWith('@fast-check/'))) return [];
  const typescript = deps.includes('typescript') || fileSet.has(dir === '' ? 'tsconfig.json' : `${dir}/tsconfig.json`);
  return [{ name: 'fast-check', language: typescript ? 'typescript' : 'javascript' }];
}

/** `Hypothesis[django]>=6` → `hypothesis`. */
function requirementName(spec: string): string {
  return (/^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(spec.trim())?.[0] ?? '').toLowerCase().replace(/_/g, '-');
}

function python(names: Iterable<string>): Omit<PropertyLibrary, 'unit'>[] {
  for (const name of names)
    if (requirementName(name) === 'hypothesis') return [{ name: 'hypothesis', language: 'python' }];
  return [];
}

function fromPyproject(text: string, parseToml: TomlParser): Omit<PropertyLibrary, 'unit'>[] {
  const toml = asRecord(parseToml(text));
  const project = asRecord(toml.project);
  const tool = asRecord(toml.tool);
  const poetry = asRecord(tool.poetry);
  const strings = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return python([
    ...strings(project.dependencies),
    ...Object.values(asRecord(project['optional-dependencies'])).flatMap(strings),
    ...Object.values(asRecord(toml['dependency-groups'])).flatMap(strings),
    ...strings(asRecord(tool.uv)['dev-dependencies']),
    ...Object.values(asRecord(asRecord(tool.pdm)['dev-dependencies'])).flatMap(strings),
    ...Object.keys(asRecord(poetry.dependencies)),
    ...Object.keys(asRecord(poetry['dev-dependencies'])),
    // Poetry ≥ 1.2 groups: `[tool.poetry.group.test.dependencies]`.
    ...Object.values(asRecord(poetry.group)).flatMap((group) => Object.keys(asRecord(asRecord(group).dependencies))),
  ]);
}

function fromPipfile(text: string, parseToml: TomlParser): Omit<PropertyLibrary, 'unit'>[] {
  const toml = asRecord(parseToml(text));
  return python([...Object.keys(asRecord(toml.packages)), ...Object.keys(asRecord(toml['dev-packages']))]);
}

/** requirements*.txt lines, setup.cfg's `install_requires`/`extras_require` lines, setup.py's quoted specs. */
function fromPythonRequirements(text: string): Omit<PropertyLibrary, 'unit'>[] {
  const specs = text.split(/\r?\n/).flatMap((raw) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '' || line.startsWith('-')) return [];
    const quoted = [...line.matchAll(/["']([^"']+)["']/g)].map((m) => m[1]!);
    // `install_requires = hypothesis>=6` / `tests = hypothesis` (setup.cfg), `"hypothesis>=6",` (setup.py).
    // `key = value` (setup.cfg), never a pin (`hypothesis==6.100`).
    return [...quoted, line.replace(/^[\w.-]+\s*=(?!=)\s*/, '')];
  });
  return python(specs);
}

function fromPom(text: string): Omit<PropertyLibrary, 'unit'>[] {
  const artifacts = [...text.matchAll(/<artifactId>\s*([^<\s]+)\s*<\/artifactId>/g)].map((m) => m[1]!);
  const language = artifacts.includes('kotlin-maven-plugin') ? 'kotlin' : 'java';
  const libraries: Omit<PropertyLibrary, 'unit'>[] = [];
  if (artifacts.some((a) => a === 'jqwik' || a.startsWith('jqwik-'))) libraries.push({ name: 'jqwik', language });
  if (artifacts.includes('junit-quickcheck-core')) libraries.push({ name: 'junit-quickcheck', language });
  return libraries;
}

function fromGradle(text: string): Omit<PropertyLibrary, 'unit'>[] {
  // The Kotlin plugin (`kotlin("jvm")`, `org.jetbrains.kotlin.*`) says the code is Kotlin; a .kts build script alone does not.
  const language = /\bkotlin\s*\(\s*["']|org\.jetbrains\.kotlin/.test(text) ? 'kotlin' : 'java';
  const libraries: Omit<PropertyLibrary, 'unit'>[] = [];
  // `net.jqwik:jqwik:1.9.2`, or a version catalog's `libs.jqwik`.
  if (/["']net\.jqwik:|\blibs\.jqwik\b/.test(text)) libraries.push({ name: 'jqwik', language });
  if (/["']com\.pholser:junit-quickcheck/.test(text)) libraries.push({ name: 'junit-quickcheck', language });
  return libraries;
}

function fromCargo(text: string, parseToml: TomlParser): Omit<PropertyLibrary, 'unit'>[] {
  const toml = asRecord(parseToml(text));
  const tables = [toml, ...Object.values(asRecord(toml.target))].map(asRecord);
  const crates = new Set(
    tables.flatMap((t) =>
      ['dependencies', 'dev-dependencies', 'build-dependencies'].flatMap((key) => Object.keys(asRecord(t[key]))),
    ),
  );
  for (const name of Object.keys(asRecord(asRecord(toml.workspace).dependencies))) crates.add(name);
  return ['proptest', 'quickcheck'].filter((c) => crates.has(c)).map((name) => ({ name, language: 'rust' }));
}

const GO_LIBRARIES: [RegExp, string][] = [
  [/^pgregory\.net\/rapid$/, 'rapid'],
  [/^github\.com\/leanovate\/gopter$/, 'gopter'],
];

function fromGoMod(text: string): Omit<PropertyLibrary, 'unit'>[] {
  // `require pgregory.net/rapid v1.1.0` or a line of a `require (…)` block.
  const modules = [...text.matchAll(/^\s*(?:require\s+)?([\w.-]+\.[a-z]+\/[^\s]+)\s+v[\w.+-]+/gm)].map((m) => m[1]!);
  return GO_LIBRARIES.filter(([pattern]) => modules.some((m) => pattern.test(m))).map(([, name]) => ({
    name,
    language: 'go',
  }));
}

function fromProject(language: 'csharp' | 'fsharp'): Reader {
  // `FsCheck`, `FsCheck.Xunit`, `FsCheck.NUnit`: one library.
  return (text) =>
    /<PackageReference\s+Include="FsCheck(\.[\w.]+)?"/i.test(text) ? [{ name: 'FsCheck', language }] : [];
}
