/**
 * Schema written in code, found by where a project keeps it rather than by what the files say
 * (a file can be empty, generated later, or built from the project's own helpers):
 * - a package that runs drizzle-kit (its package.json names it) keeps its tables in `schema.ts`
 *   files and `schema/` folders;
 * - a Kotlin/Java module that keeps migrations or Room exports keeps its tables in a `schema/` or
 *   `tables/` package (Exposed) and its hand-written migrations in `…Migration(s).kt` files (Room);
 * - a Python project that runs Alembic and depends on SQLAlchemy or SQLModel keeps its mapped
 *   classes in its `models/` packages.
 */
import { posix } from 'node:path';

const CODE = /\.([cm]?[jt]sx?)$/;
const JVM = /\.(kt|java)$/;
const TESTS = /(^|\/)(tests?|__tests__|src\/(test|androidTest|commonTest|jvmTest))\//;

export interface ReadConfig {
  file: string;
  text: string;
}

/** Globs of schema kept in code, given the configs read and the schema globs found so far. */
export function schemaInCode(
  files: readonly string[],
  configs: readonly ReadConfig[],
  globs: ReadonlySet<string>,
): string[] {
  const drizzleKit = configs
    .filter((c) => posix.basename(c.file) === 'package.json' && /"drizzle-kit"\s*:/.test(c.text))
    .map((c) => dirPrefix(c.file));
  const drizzleFolders = [...globs]
    .filter((g) => /(^|\/)drizzle\/\*\*$/.test(g))
    .map((g) => g.slice(0, -'drizzle/**'.length));
  return [
    ...drizzleSchema(files, [...new Set([...drizzleKit, ...drizzleFolders])]),
    ...jvmSchema(files, globs),
    ...sqlalchemyModels(files, configs, globs),
  ];
}

const dirPrefix = (file: string) => (posix.dirname(file) === '.' ? '' : `${posix.dirname(file)}/`);
const matchesGlob = (glob: string, file: string) =>
  glob.endsWith('/**') ? file.startsWith(glob.slice(0, -2)) : glob === file;

/** A Drizzle package's `schema.ts` files and `schema/` folders, not past a nested package's manifest. */
function drizzleSchema(files: readonly string[], packages: readonly string[]): string[] {
  if (packages.length === 0) return [];
  const manifests = new Set(files.filter((f) => posix.basename(f) === 'package.json').map((f) => posix.dirname(f)));
  const found = new Set<string>();
  for (const file of files) {
    const pkg = packages.filter((p) => file.startsWith(p)).sort((a, b) => b.length - a.length)[0];
    if (
      pkg === undefined ||
      !CODE.test(file) ||
      /\.(test|spec)\.|(^|\/)(tests?|__tests__|drizzle|node_modules)\//.test(file.slice(pkg.length))
    )
      continue;
    const parts = file.slice(pkg.length).split('/');
    if (parts.slice(0, -1).some((_, i) => manifests.has(`${pkg}${parts.slice(0, i + 1).join('/')}`))) continue;
    const folder = parts.findIndex((p, i) => i < parts.length - 1 && p === 'schema');
    if (folder >= 0) found.add(`${pkg}${parts.slice(0, folder + 1).join('/')}/**`);
    else if (/^schema\.[cm]?[jt]s$/.test(parts.at(-1)!)) found.add(file);
  }
  return [...found];
}

/** The JVM modules (a folder with a Gradle or Maven build) that keep schema files: their schema packages and migration classes. */
function jvmSchema(files: readonly string[], globs: ReadonlySet<string>): string[] {
  const modules = files.filter((f) => /(^|\/)(build\.gradle(\.kts)?|pom\.xml)$/.test(f)).map(dirPrefix);
  if (modules.length === 0) return [];
  const moduleOf = (file: string) => modules.filter((m) => file.startsWith(m)).sort((a, b) => b.length - a.length)[0];
  const keeping = new Set<string>();
  for (const glob of globs) {
    const module = moduleOf(glob);
    if (module !== undefined && module !== '') keeping.add(module);
  }
  const found = new Set<string>();
  for (const file of files) {
    if (!JVM.test(file) || TESTS.test(file)) continue;
    const module = moduleOf(file);
    if (module === undefined || !keeping.has(module) || [...globs].some((g) => matchesGlob(g, file))) continue;
    const parts = file.slice(module.length).split('/');
    if (parts[0] !== 'src') continue;
    const folder = parts.findIndex((p, i) => i > 1 && i < parts.length - 1 && (p === 'schema' || p === 'tables'));
    if (folder >= 0) found.add(`${module}${parts.slice(0, folder + 1).join('/')}/**`);
    else if (/^\w*Migrations?\.(kt|java)$/.test(parts.at(-1)!)) found.add(file);
  }
  return [...found];
}

/** SQLAlchemy models beside Alembic: the `models/` packages of a Python project whose Alembic migrations were found. */
function sqlalchemyModels(
  files: readonly string[],
  configs: readonly ReadConfig[],
  globs: ReadonlySet<string>,
): string[] {
  const found = new Set<string>();
  for (const { file, text } of configs) {
    if (posix.basename(file) !== 'pyproject.toml' || !/\b(sqlalchemy|sqlmodel)\b/i.test(text)) continue;
    const project = dirPrefix(file);
    const alembic = files.some(
      (f) =>
        f.startsWith(project) &&
        (f === `${project}alembic.ini` || (/\/env\.py$/.test(f) && [...globs].some((g) => matchesGlob(g, f)))),
    );
    if (!alembic) continue;
    for (const f of files) {
      if (!f.startsWith(project) || !f.endsWith('/models/__init__.py') || TESTS.test(f.slice(project.length))) continue;
      const folder = posix.dirname(f);
      if ([...globs].some((g) => matchesGlob(g, `${folder}/x`))) continue;
      found.add(`${folder}/**`);
    }
  }
  return [...found];
}
