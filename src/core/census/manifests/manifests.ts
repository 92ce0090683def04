/**
 * Projects from their manifests: one per folder holding a package.json, Cargo.toml, go.mod,
 * pyproject.toml / requirements*.txt / setup.cfg / setup.py, *.csproj, pom.xml,
 * build.gradle(.kts), composer.json, Gemfile, pubspec.yaml, mix.exs, Package.swift, or a build
 * file of buildTools.ts (cabal, Zig, Julia, R, dune, Clojure, sbt, Meson, CMake) or a Bazel
 * workspace (bazelWorkspaces.ts). A manifest we can read but not
 * understand gives a warning and a project with what could be read.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { APP_DEPENDENCIES, frameworksOf, roleOfFrameworks, ROLE_FOLDERS } from './frameworks';
import { bazelWorkspaceName, bazelWorkspaces, isBazelWorkspaceFile } from './bazelWorkspaces';
import { buildToolEcosystem, buildToolFacts } from './buildTools';
import type { Ecosystem, Project } from '../types';

/** When one folder has several manifests, the first ecosystem here names the project. */
const PRIORITY: Ecosystem[] = [
  'dotnet',
  'maven',
  'gradle',
  'rust',
  'go',
  'python',
  'php',
  'ruby',
  'elixir',
  'dart',
  'swift',
  'scala',
  'haskell',
  'ocaml',
  'clojure',
  'julia',
  'r',
  'zig',
  'meson',
  'node',
  'cmake',
  'bazel',
];

export function manifestEcosystem(path: string): Ecosystem | undefined {
  const name = posix.basename(path);
  if (name === 'package.json') return 'node';
  if (name === 'Cargo.toml') return 'rust';
  if (name === 'go.mod') return 'go';
  if (
    name === 'pyproject.toml' ||
    name === 'setup.cfg' ||
    name === 'setup.py' ||
    REQUIREMENTS_FILE.test(name) ||
    REQUIREMENTS_FOLDER.test(path)
  )
    return 'python';
  if (name.endsWith('.csproj') || name.endsWith('.fsproj')) return 'dotnet';
  if (name === 'pom.xml') return 'maven';
  if (name === 'build.gradle' || name === 'build.gradle.kts') return 'gradle';
  if (name === 'composer.json') return 'php';
  if (name === 'Gemfile') return 'ruby';
  if (name === 'pubspec.yaml') return 'dart';
  if (name === 'mix.exs') return 'elixir';
  if (name === 'Package.swift' || /\.xcodeproj\/project\.pbxproj$/.test(path)) return 'swift';
  if (isBazelWorkspaceFile(path)) return 'bazel';
  return buildToolEcosystem(path);
}

/** `requirements.txt`, `requirements-dev.txt`, `test-requirements.txt`, `dev_requirements.txt`: where CI may name pytest. */
const REQUIREMENTS_FILE = /^(?:[\w.]+[-_])?requirements[\w.-]*\.txt$/;
/** `requirements/test.txt`: a folder of requirement files, the project's (the folder above). */
const REQUIREMENTS_FOLDER = /(^|\/)requirements\/[\w.-]+\.txt$/;

/** The project's folder: the manifest's, or for an Xcode project the folder holding `Name.xcodeproj/` (or `requirements/`). */
function manifestDir(path: string): string {
  const holder = /\.xcodeproj\/project\.pbxproj$/.test(path) || REQUIREMENTS_FOLDER.test(path);
  const dir = posix.dirname(holder ? posix.dirname(path) : path);
  return dir === '.' ? '' : dir;
}

/**
 * A code generator's templates (`templates/api/`, `template-react-ts/`, `{{cookiecutter.project_slug}}/`,
 * `<%= name %>/`): what they hold is copied into other repositories, never built here, so a manifest
 * inside one makes no project; the files stay with the generator that holds them.
 */
export const TEMPLATE_FOLDER =
  /(^|\/)(templates?|template-[^/]+|[^/]+[-_.]templates?|skeletons?|boilerplates?|scaffolds?|[^/]*(\{\{|\{%|<%|\$\{)[^/]*)\//;

interface ManifestFacts {
  name?: string;
  dependencies: string[];
  scripts: Record<string, string>;
  composer?: boolean;
  tests?: boolean;
  /** A JavaScript package others import (peers or entry points, no app framework). */
  library?: boolean;
  /** A package.json with no name, dependencies, scripts, entry points or workspaces (`{"type": "module"}` in `src/`): it sets how its folder's files load, a part of the package around it. */
  marker?: boolean;
  /** A file named like a manifest that is no package (a Julia environment's `Project.toml`): no project. */
  none?: boolean;
  /** The checks a build file declares, run in its folder (a cabal `test-suite`, a deps.edn `:test` alias). */
  checks?: string[];
}

export interface ManifestRead {
  projects: Project[];
  warnings: string[];
  /** Raw facts per manifest path, for the workspace readers (Cargo members, Maven modules…). */
  texts: Map<string, string>;
}

export async function readManifests(workspace: string, files: readonly string[]): Promise<ManifestRead> {
  const manifests = files.filter((f) => manifestEcosystem(f) !== undefined && !TEMPLATE_FOLDER.test(f));
  const warnings: string[] = [];
  const texts = new Map<string, string>();
  const byDir = new Map<string, { ecosystems: Set<Ecosystem>; manifest: string; facts: ManifestFacts[] }>();
  await Promise.all(
    manifests.map(async (path) => {
      const text = await readFile(join(workspace, path), 'utf8').catch(() => undefined);
      if (text === undefined) return;
      texts.set(path, text);
    }),
  );
  // An ES module: loaded on first use (bundled by esbuild all the same).
  const { parse: parseToml } = await import('smol-toml');
  for (const path of manifests) {
    const text = texts.get(path);
    if (text === undefined) continue;
    const ecosystem = manifestEcosystem(path)!;
    let facts: ManifestFacts;
    try {
      facts = readFacts(ecosystem, path, text, parseToml);
    } catch (error) {
      warnings.push(
        `${path}: could not be read (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); its folder is taken as a ${ecosystem} project without its details`,
      );
      facts = { dependencies: [], scripts: {} };
    }
    const dir = manifestDir(path);
    // A nested `{"type": "module"}` makes no project: its files stay with the package around them (its tests, its runner).
    if ((facts.marker && dir !== '') || facts.none) continue;
    const entry = byDir.get(dir) ?? { ecosystems: new Set<Ecosystem>(), manifest: path, facts: [] };
    entry.ecosystems.add(ecosystem);
    entry.facts.push(facts);
    const current = manifestEcosystem(entry.manifest)!;
    if (PRIORITY.indexOf(ecosystem) < PRIORITY.indexOf(current)) entry.manifest = path;
    byDir.set(dir, entry);
  }
  // A CMake project's `add_subdirectory` folders are its own (their `project()` included): only the outermost is a project.
  for (const [dir, entry] of byDir)
    if (entry.ecosystems.size === 1 && entry.ecosystems.has('cmake') && cmakeAbove(byDir, dir)) byDir.delete(dir);
  const projects: Project[] = [];
  for (const [dir, entry] of byDir) {
    const ecosystem = manifestEcosystem(entry.manifest)!;
    const frameworks = frameworksOf(entry.facts.flatMap((f) => f.dependencies));
    const names = entry.facts.map((f) => f.name).filter((n): n is string => typeof n === 'string' && n !== '');
    const scripts = Object.assign({}, ...entry.facts.filter((f) => !f.composer).map((f) => f.scripts)) as Record<
      string,
      string
    >;
    const composerScripts = entry.facts.find((f) => f.composer)?.scripts;
    const folder = dir === '' ? '' : posix.basename(dir);
    const tests = entry.facts.some((f) => f.tests) || /(^|[./_-])tests?$/i.test(folder);
    const library = entry.facts.some((f) => f.library);
    const checks = [...new Set(entry.facts.flatMap((f) => f.checks ?? []))].map((c) =>
      dir === '' ? c : `cd ${dir} && ${c}`,
    );
    // A folder's name says a role only where it names an app (`backend/`, `apps/api`), never a module deep in a build (`core/network/api`).
    const appFolder = !library && (!dir.includes('/') || /^(apps|services)\/[^/]+$/.test(dir));
    const role = roleOfFrameworks(frameworks, library) ?? (appFolder ? ROLE_FOLDERS[folder.toLowerCase()] : undefined);
    projects.push({
      dir,
      ecosystem,
      name: names[0] ?? (folder || 'app'),
      manifest: entry.manifest,
      frameworks,
      scripts,
      ...(composerScripts ? { composerScripts } : {}),
      ...(role ? { role } : {}),
      ...(tests ? { tests } : {}),
      ...(checks.length > 0 ? { buildChecks: checks } : {}),
      dependencies: [...new Set(entry.facts.flatMap((f) => f.dependencies))],
    });
  }
  projects.sort((a, b) => a.dir.localeCompare(b.dir));
  return { projects: await bazelWorkspaces(workspace, files, projects, texts), warnings, texts };
}

function cmakeAbove(byDir: ReadonlyMap<string, { ecosystems: ReadonlySet<Ecosystem> }>, dir: string): boolean {
  for (let up = dir; up !== '';) {
    up = posix.dirname(up) === '.' ? '' : posix.dirname(up);
    if (byDir.get(up)?.ecosystems.has('cmake')) return true;
  }
  return false;
}

type TomlParser = (text: string) => unknown;

function readFacts(ecosystem: Ecosystem, path: string, text: string, parseToml: TomlParser): ManifestFacts {
  switch (ecosystem) {
    case 'node':
    case 'php': {
      const json = JSON.parse(text) as Record<string, unknown>;
      const deps = ['dependencies', 'devDependencies', 'peerDependencies', 'require', 'require-dev'].flatMap((key) =>
        Object.keys(asRecord(json[key])),
      );
      const entry =
        ['main', 'module', 'exports', 'types', 'typings'].some((key) => key in json) ||
        Object.keys(asRecord(json.peerDependencies)).length > 0;
      const library = ecosystem === 'node' && entry && !deps.some((d) => APP_DEPENDENCIES.has(d));
      const scripts = stringValues(asRecord(json.scripts));
      const marker =
        ecosystem === 'node' &&
        typeof json.name !== 'string' &&
        deps.length === 0 &&
        Object.keys(scripts).length === 0 &&
        !entry &&
        !('bin' in json) &&
        !('workspaces' in json);
      return {
        name: typeof json.name === 'string' ? json.name : undefined,
        dependencies: deps,
        scripts,
        composer: ecosystem === 'php',
        ...(library ? { library } : {}),
        ...(marker ? { marker } : {}),
      };
    }
    case 'rust': {
      const toml = parseToml(text) as Record<string, unknown>;
      const pkg = asRecord(toml.package);
      const deps = ['dependencies', 'dev-dependencies', 'build-dependencies'].flatMap((key) =>
        Object.keys(asRecord(toml[key])),
      );
      return { name: typeof pkg.name === 'string' ? pkg.name : undefined, dependencies: deps, scripts: {} };
    }
    case 'go': {
      const module = /^module\s+(\S+)/m.exec(text)?.[1];
      const deps = [...text.matchAll(/^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]+\/\S+)\s+v[\w.+-]+/gm)].map((m) => m[1]!);
      return { name: module?.split('/').at(-1), dependencies: deps, scripts: {} };
    }
    case 'python':
      return pythonFacts(path, text, parseToml);
    case 'dotnet': {
      const sdk = /<Project\s+Sdk="([^"]+)"/.exec(text)?.[1];
      const refs = [...text.matchAll(/<PackageReference\s+Include="([^"]+)"/g)].map((m) => m[1]!);
      const projectRefs = [...text.matchAll(/<ProjectReference\s+Include="([^"]+)"/g)].map((m) =>
        posix.basename(m[1]!.replace(/\\/g, '/')).replace(/\.[cfv]sproj$/, ''),
      );
      const deps = [...(sdk ? [sdk] : []), ...refs, ...projectRefs];
      // A runner or the test SDK makes a test project; `xunit.assert` alone is a library's helpers (guards written with xunit's asserts).
      const tests =
        refs.some(
          (r) =>
            r === 'Microsoft.NET.Test.Sdk' ||
            /^(xunit|xunit\.v3|xunit\.runner\..+|NUnit|NUnit3TestAdapter|MSTest|MSTest\.TestFramework|MSTest\.TestAdapter)$/i.test(
              r,
            ),
        ) || /<IsTestProject>\s*true/i.test(text);
      return { name: posix.basename(path).replace(/\.[cf]sproj$/, ''), dependencies: deps, scripts: {}, tests };
    }
    case 'maven': {
      const withoutParent = text
        .replace(/<parent>[\s\S]*?<\/parent>/, '')
        .replace(/<dependencies>[\s\S]*<\/dependencies>/, '');
      const artifact = /<artifactId>([^<]+)<\/artifactId>/.exec(withoutParent)?.[1];
      const deps = [...text.matchAll(/<artifactId>([^<]+)<\/artifactId>/g)].map((m) => m[1]!);
      return { name: artifact, dependencies: deps, scripts: {} };
    }
    case 'gradle': {
      const plugins = [...text.matchAll(/id\s*\(?\s*["']([\w.-]+)["']/g)].map((m) => m[1]!);
      const deps = [...text.matchAll(/["']([\w.-]+):([\w.-]+)(?::[^"']*)?["']/g)].flatMap((m) => [m[1]!, m[2]!]);
      const modules = [...text.matchAll(/project\(\s*(?:path\s*[:=]\s*)?["'](:[\w:.-]+)["']/g)].map((m) => m[1]!);
      return { dependencies: [...plugins, ...deps, ...modules], scripts: {} };
    }
    case 'ruby': {
      const gems = [...text.matchAll(/^\s*gem\s+["']([\w-]+)["']/gm)].map((m) => m[1]!);
      return { dependencies: gems, scripts: {} };
    }
    case 'elixir': {
      // mix.exs is Elixir code: its app name and deps read as text (`app: :shop`, `{:phoenix, "~> 1.7"}`).
      const app = /\bapp:\s*:(\w+)/.exec(text)?.[1];
      const deps = [...text.matchAll(/\{\s*:(\w+)\s*,/g)].map((m) => m[1]!);
      return { name: app, dependencies: deps, scripts: {} };
    }
    case 'swift': {
      // Package.swift is Swift code (`name: "Kit"`); an Xcode project says its platform in its build settings.
      if (posix.basename(path) === 'Package.swift')
        return { name: /\bname:\s*"([^"]+)"/.exec(text)?.[1], dependencies: ['swiftpm'], scripts: {} };
      return {
        name: posix.basename(posix.dirname(path)).replace(/\.xcodeproj$/, ''),
        dependencies: /\bSDKROOT\s*=\s*iphoneos\b/.test(text) ? ['ios'] : [],
        scripts: {},
      };
    }
    case 'bazel':
      return { name: bazelWorkspaceName(text), dependencies: [], scripts: {} };
    case 'dart': {
      const yaml = asRecord(parseYaml(text));
      const deps = [...Object.keys(asRecord(yaml.dependencies)), ...Object.keys(asRecord(yaml.dev_dependencies))];
      return { name: typeof yaml.name === 'string' ? yaml.name : undefined, dependencies: deps, scripts: {} };
    }
    default:
      return buildToolFacts(ecosystem, path, text);
  }
}

function pythonFacts(path: string, text: string, parseToml: TomlParser): ManifestFacts {
  const name = posix.basename(path);
  if (name === 'pyproject.toml') {
    const toml = parseToml(text) as Record<string, unknown>;
    const project = asRecord(toml.project);
    const tool = asRecord(toml.tool);
    const poetry = asRecord(tool.poetry);
    // Hatch's environments (`[tool.hatch.envs.test] dependencies`), PDM's and uv's dev dependencies: where CI's test tools are named.
    const hatchEnvs = Object.values(asRecord(asRecord(tool.hatch).envs)).map(asRecord);
    const specs = [
      ...asArray(project.dependencies),
      ...Object.values(asRecord(project['optional-dependencies'])).flatMap(asArray),
      ...Object.values(asRecord(toml['dependency-groups'])).flatMap(asArray),
      ...hatchEnvs.flatMap((env) => [...asArray(env.dependencies), ...asArray(env['extra-dependencies'])]),
      ...Object.values(asRecord(asRecord(tool.pdm)['dev-dependencies'])).flatMap(asArray),
      ...asArray(asRecord(tool.uv)['dev-dependencies']),
    ].filter((d): d is string => typeof d === 'string');
    const deps = [
      ...specs.map(requirementName),
      ...Object.keys(asRecord(poetry.dependencies)),
      ...Object.keys(asRecord(asRecord(asRecord(poetry.group).dev).dependencies)),
    ];
    // Tools configured in pyproject count as used even when installed elsewhere.
    for (const configured of ['ruff', 'mypy', 'pytest']) if (configured in tool) deps.push(configured);
    if ('pytest' in tool || asRecord(tool.pytest).ini_options) deps.push('pytest');
    const projectName =
      typeof project.name === 'string' ? project.name : typeof poetry.name === 'string' ? poetry.name : undefined;
    return { name: projectName, dependencies: deps.map((d) => d.toLowerCase()), scripts: {} };
  }
  if (name === 'setup.py' || name === 'setup.cfg') {
    const deps = [...text.matchAll(/["']?([A-Za-z][\w.-]*)\s*(?:[<>=~!]=?[^"'\n,]*)?["']?\s*[,\n]/g)].map((m) =>
      m[1]!.toLowerCase(),
    );
    return {
      dependencies: deps.filter((d) => ['django', 'fastapi', 'flask', 'sqlalchemy', 'alembic', 'pytest'].includes(d)),
      scripts: {},
    };
  }
  const deps = text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('-'))
    .map(requirementName);
  return { dependencies: deps, scripts: {} };
}

/** `Django>=4.2` → `django`; `uvicorn[standard]` → `uvicorn`. */
function requirementName(spec: string): string {
  return (/^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(spec.trim())?.[0] ?? spec).toLowerCase().replace(/_/g, '-');
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function stringValues(record: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
