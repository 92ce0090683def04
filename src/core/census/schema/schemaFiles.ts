/**
 * Schema and migration files, and the globs that cover them. By name: Prisma (`prisma/`,
 * `*.prisma`), Alembic (`alembic/`), Rails (`db/migrate/`, `db/schema.rb`), Django, Knex and Ecto
 * (`migrations/`), data and meta migrations beside them (`data-migrations/`, `meta-migrations/`),
 * EF Core (`Migrations/`), Flyway (`db/migration/`), a `migration/` folder of numbered files in any
 * language (xorm's `migration/001_add_org_id.go`), Liquibase (`db/changelog/`), Room exports
 * (`schemas/<fully.qualified.Database>/<n>.json`), Laravel
 * (`database/migrations/`, Eloquent `app/Models/`), Supabase and Drizzle folders, `schema.sql`
 * and `structure.sql`. By what they are (schemaContent.ts reads the heads of the few candidates):
 * Drizzle table modules, Room schema exports, SQL DDL, and the folders migration tools' configs
 * point at (drizzle.config, alembic.ini, flyway.conf, knexfile, package.json `prisma.schema`,
 * diesel.toml, atlas.hcl, sqlc.yaml, Room's `schemaLocation`).
 */
import { posix } from 'node:path';

/** A folder segment that holds migrations: everything below it is schema. */
const MIGRATION_SEGMENTS = new Set([
  'migrations',
  'Migrations',
  'migrate',
  'migration',
  'alembic',
  'changelog',
  'drizzle',
]);
/** `data-migrations`, `meta-migrations`, `sql_migrations`, `db-migrations`. */
const MIGRATIONS_SUFFIX = /^[\w]+[-_.](migrations|Migrations)$/;
/** Files that are a schema wherever they sit. */
const SCHEMA_FILE = /(^|\/)(schema\.(sql|rb|prisma|graphql)|structure\.sql|[^/]+\.prisma|alembic\.ini)$/;

export interface SchemaFolders {
  /** Globs, sorted, none covered by another. */
  globs: string[];
  /** Every schema/migration file found. */
  files: string[];
}

/** Schema files by their names alone. */
export function findSchemaByName(files: readonly string[]): SchemaFolders {
  const globs = new Set<string>();
  const found: string[] = [];
  const fileSet = new Set(files);
  const numbered = numberedFolders(files);
  for (const file of files) {
    const glob = schemaGlobOf(file, fileSet, numbered);
    if (glob === undefined) continue;
    globs.add(glob);
    found.push(file);
  }
  return { globs: coveringGlobs(globs), files: found };
}

/** Globs, sorted, without those a folder glob already covers. */
export function coveringGlobs(globs: Iterable<string>): string[] {
  const all = [...new Set(globs)];
  const folders = all.filter((g) => g.endsWith('/**')).map((g) => g.slice(0, -2));
  return all.filter((g) => !folders.some((f) => g !== `${f}**` && g.startsWith(f))).sort();
}

/** What every schema path has somewhere: most files are passed over with one test. */
const MAYBE_SCHEMA = /prisma|migrat|alembic|changelog|drizzle|schema|structure\.sql|\/Models\//i;

/** `001_add_org_id.go`, `20240101120000_init.sql`, `V2__users.sql`: a migration's numbered file, in any language. */
const NUMBERED = /^(\d{3,}[_-]|V\d+__)\w/;

/** Folders named `migration` that directly hold numbered files (xorm's `migration/001_add_org_id.go`). */
function numberedFolders(files: readonly string[]): Set<string> {
  const counts = new Map<string, number>();
  for (const file of files) {
    const slash = file.lastIndexOf('/');
    if (slash < 0 || !file.slice(0, slash).endsWith('migration') || !NUMBERED.test(file.slice(slash + 1))) continue;
    counts.set(file.slice(0, slash), (counts.get(file.slice(0, slash)) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n >= 2).map(([dir]) => dir));
}

function schemaGlobOf(file: string, files: ReadonlySet<string>, numbered: ReadonlySet<string>): string | undefined {
  if (!MAYBE_SCHEMA.test(file)) return undefined;
  // Room's exports: `<module>/schemas/<fully.qualified.Database>/<version>.json`.
  const room = /^(.*\/)?schemas\/[A-Za-z_][\w$]*(?:\.[A-Za-z_$][\w$]*)+\/\d+\.json$/.exec(file);
  if (room) return `${room[1] ?? ''}schemas/**`;
  const parts = file.split('/');
  // Prisma keeps schema.prisma and its migrations in one prisma/ folder.
  const prisma = parts.indexOf('prisma');
  if (prisma >= 0 && prisma < parts.length - 1) return `${parts.slice(0, prisma + 1).join('/')}/**`;
  for (let i = 0; i < parts.length - 1; i++) {
    const segment = parts[i]!;
    if (MIGRATIONS_SUFFIX.test(segment)) return `${parts.slice(0, i + 1).join('/')}/**`;
    // Eloquent models beside a Laravel app's artisan.
    if (segment === 'Models' && parts[i - 1] === 'app' && files.has([...parts.slice(0, i - 1), 'artisan'].join('/')))
      return `${parts.slice(0, i + 1).join('/')}/**`;
    if (!MIGRATION_SEGMENTS.has(segment)) continue;
    // `changelog` and `migrate` only under a db/ folder, `migration` there or holding numbered files; `drizzle` only at a project's top.
    const folder = parts.slice(0, i + 1).join('/');
    if (
      (segment === 'changelog' || segment === 'migrate' || segment === 'migration') &&
      parts[i - 1] !== 'db' &&
      !(segment === 'migration' && numbered.has(folder))
    )
      continue;
    if (segment === 'drizzle' && !/\.(sql|json)$/.test(file)) continue;
    return `${parts.slice(0, i + 1).join('/')}/**`;
  }
  if (SCHEMA_FILE.test(file) && !file.includes('/test') && !file.includes('node_modules/')) return file;
  return undefined;
}

/** The folder a database layer would own for a project: its top-level schema folder, if any. */
export function databaseFolderOf(projectDir: string, globs: readonly string[]): string[] {
  const prefix = projectDir === '' ? '' : `${projectDir}/`;
  const tops = new Set<string>();
  for (const glob of globs) {
    if (!glob.startsWith(prefix) || !glob.endsWith('/**')) continue;
    const rest = glob.slice(prefix.length, -3).split('/');
    const top = rest[0]!;
    // Top-level schema folders only: prisma/, alembic/, db/, database/, migrations/, Migrations/, supabase/.
    if (['prisma', 'alembic', 'db', 'database', 'migrations', 'Migrations', 'supabase', 'drizzle'].includes(top))
      tops.add(posix.join(projectDir, top));
  }
  return [...tops].sort();
}
