/**
 * What the census reads of a project from where it sits: a package keeping the schema is the
 * database layer; an app's platform folders (`android/`, `ios/`) are the app's, and a folder of a
 * platform's own (`swift/apple`) is a layer of its own (census.ts).
 */
import { posix } from 'node:path';
import type { Ecosystem, Project } from '../types';

/** A package's name that says it keeps the database (`packages/db`, `core/database`, `shop-db`, `persistence`). */
const DATABASE_NAME =
  /^(db|database|persistence|storage|dal|data-?access)$|^(db|database)[-_.]|[-_.](db|database|persistence)$/i;

/**
 * A package of its own holding a schema declared in code (Drizzle's `schema.ts`, Room entities and
 * migrations, Exposed tables, Liquibase changelogs) is the database layer, wherever it sits: its
 * folder or package name says so and schema files are its own, and no app framework gives it another role.
 */
export function schemaPackages(projects: Project[], schemaFiles: readonly string[]): void {
  const ownerOf = (file: string) =>
    projects.filter((p) => p.dir === '' || file.startsWith(`${p.dir}/`)).sort((a, b) => b.dir.length - a.dir.length)[0];
  const holders = new Set(schemaFiles.map(ownerOf));
  for (const project of projects) {
    if (project.role || project.tests || project.dir === '' || !holders.has(project)) continue;
    if (DATABASE_NAME.test(posix.basename(project.dir)) || DATABASE_NAME.test(project.name.replace(/^@[^/]+\//, '')))
      project.role = 'database';
  }
}

/** Platform folders of a Flutter or React Native app (`android/` with its Gradle build, `ios/`) are the app's, not projects. */
export function withoutPlatformFolders(projects: Project[]): Project[] {
  const apps = projects.filter(
    (p) => p.ecosystem === 'dart' || p.frameworks.includes('react-native') || p.frameworks.includes('expo'),
  );
  return projects.filter(
    (p) =>
      !apps.some(
        (app) =>
          app !== p &&
          PLATFORM_FOLDERS.has(p.dir.slice(app.dir === '' ? 0 : app.dir.length + 1).split('/')[0]!) &&
          (app.dir === '' || p.dir.startsWith(`${app.dir}/`)),
      ),
  );
}

const PLATFORM_FOLDERS = new Set(['android', 'ios', 'macos', 'windows', 'linux', 'web']);
export const MOBILE_PLATFORMS = new Set(['apple', 'ios', 'android']);
const OWN_PLATFORM_FOLDERS = new Set([
  'apple',
  'ios',
  'macos',
  'android',
  'windows',
  'linux',
  'tvos',
  'watchos',
  'visionos',
]);

/** The platform folder (`swift/apple`, `windows`) a file sits in, if any. */
export function platformFolderOf(file: string): string | undefined {
  const parts = file.split('/');
  const at = parts.findIndex((part, i) => i < parts.length - 1 && OWN_PLATFORM_FOLDERS.has(part.toLowerCase()));
  return at >= 0 ? parts.slice(0, at + 1).join('/') : undefined;
}

/** Mustard's project kinds (`cargo`, `npm`, `python`…) in our ecosystems; JavaScript when unknown. */
export function ecosystemOfKind(kind: string | undefined): Ecosystem {
  const known: Record<string, Ecosystem> = {
    cargo: 'rust',
    rust: 'rust',
    go: 'go',
    python: 'python',
    pip: 'python',
    poetry: 'python',
    dotnet: 'dotnet',
    csharp: 'dotnet',
    maven: 'maven',
    gradle: 'gradle',
    composer: 'php',
    php: 'php',
    ruby: 'ruby',
    gem: 'ruby',
    dart: 'dart',
    flutter: 'dart',
    swift: 'swift',
    xcode: 'swift',
  };
  return known[(kind ?? '').toLowerCase()] ?? 'node';
}

/**
 * A package.json with no scripts and no app framework inside another build tool's project (a dune package's
 * `test/package.json` naming the JS its tests load): tooling for that project's own checks, no project of its own;
 * its files stay with the project around it. A JS workspace's member is always a project.
 */
export function withoutToolingPackages(projects: Project[], members: ReadonlySet<string>): Project[] {
  return projects.filter(
    (p) =>
      p.ecosystem !== 'node' ||
      p.dir === '' ||
      members.has(p.dir) ||
      Object.keys(p.scripts).length > 0 ||
      p.frameworks.length > 0 ||
      !projects.some((q) => q.ecosystem !== 'node' && q !== p && (q.dir === '' || p.dir.startsWith(`${q.dir}/`))),
  );
}
