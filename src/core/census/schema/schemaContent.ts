/**
 * Schema files found by what they are, not where they sit: the folders and files migration
 * tools' configs point at, Drizzle table modules (files importing drizzle-orm's
 * pgTable/mysqlTable/sqliteTable), Room schema exports (JSON with `formatVersion` and
 * `identityHash`), TypeORM entities (`*.entity.ts`, `entity/`, `entities/`, models or schema paths
 * importing typeorm with an `@Entity(` or a base class's `@…Column(`), GORM models (Go files importing gorm under a models/, entities/, domain/ or
 * schema path, or named models.go), Room entities, databases and migrations and Exposed tables in Kotlin/Java,
 * Liquibase changelogs (XML, YAML, JSON), and SQL files with DDL (CREATE TABLE…). Only the heads of the few candidate
 * files are read, so a 20,000-file repository stays well under its second.
 */
import { join, posix } from 'node:path';
import picomatch from 'picomatch';
import { fileHead } from '../files/fileHead';
import { escapeGlob } from '../files/owns';
import { schemaInCode } from './schemaInCode';
import { coveringGlobs, findSchemaByName, type SchemaFolders } from './schemaFiles';

const HEAD_BYTES = 8 * 1024;
const MAX_READS = 2000;
const CONFIG =
  /(^|\/)(drizzle\.config\.[cm]?[jt]s|drizzle\.config\.json|alembic\.ini|flyway\.conf|flyway\.toml|knexfile\.[cm]?[jt]s|diesel\.toml|atlas\.hcl|sqlc\.ya?ml|sqlc\.json|liquibase\.properties|package\.json|pyproject\.toml|build\.gradle(\.kts)?)$/;
const CODE = /\.([cm]?[jt]sx?)$/;
/** Kotlin and Java files where Room entities, databases and migrations or Exposed tables live. */
const JVM_SCHEMA = /\.(kt|java)$/;
const JVM_SCHEMA_PATH =
  /(^|\/)(db|database|data|persistence|storage|entit(y|ies)|models?|schema|tables?|migrations?|room|dao)\/|(Entity|Entities|Tables?|Migrations?|Database|Schema)\w*\.(kt|java)$/;
/** Liquibase changelogs in XML, YAML or JSON, wherever a project keeps them (`config/liquibase/`, `changelogs/`). */
const CHANGELOG = /\.(xml|ya?ml|json)$/;
const CHANGELOG_PATH = /liquibase|changelog|changeset|(^|\/)(db|database|migrations?)\//i;
const GO_MODELS = /(^|\/)(models?|entit(y|ies)|domain|schema|tables?)(\.go|\/(?:[^/]+\/)*[^/]+\.go)$/;
/** Drizzle's schema builders: tables, table creators (`pgTableCreator`), named schemas (`pgSchema('auth').table`), enums, views. */
const DRIZZLE_BUILDER =
  /\b(pg|mysql|sqlite|singlestore)(Table|TableCreator|Schema|Enum|View|MaterializedView|Sequence)\s*\(/;
/** Paths likelier to hold a schema are read first, so thousands of `models/` files cannot crowd them out of MAX_READS. */
const LIKELY = /schema|drizzle|migrat|entit|liquibase|changelog|tables?\/|(^|\/)(db|database)\//i;
const DDL =
  /\b(create\s+(or\s+replace\s+)?(table|type|view|index|unique\s+index|schema|sequence|materialized\s+view)|alter\s+table)\b/i;

export async function findSchema(workspace: string, files: readonly string[]): Promise<SchemaFolders> {
  const byName = findSchemaByName(files);
  const fileSet = new Set(files);
  const folders = new Set<string>();
  for (const file of files)
    for (let dir = posix.dirname(file); dir !== '.' && !folders.has(dir); dir = posix.dirname(dir)) folders.add(dir);
  const covered = (file: string) =>
    byName.globs.some((g) => (g.endsWith('/**') ? file.startsWith(g.slice(0, -2)) : file === g));
  const candidates = files.filter(
    (f) =>
      CONFIG.test(f) ||
      (!covered(f) &&
        ((f.endsWith('.sql') && !/(^|\/)(seeds?|queries|fixtures?|test|tests)\//i.test(f)) ||
          (CODE.test(f) &&
            /schema|(^|\/)(db|database|tables|models|entity|entities)\/|\.entity\.[cm]?[jt]s$/i.test(f) &&
            !/\.(test|spec)\./.test(f)) ||
          (f.endsWith('.json') && /(^|\/)schemas\//.test(f)) ||
          (JVM_SCHEMA.test(f) && JVM_SCHEMA_PATH.test(f) && !/(^|\/)src\/(test|androidTest)\//.test(f)) ||
          (CHANGELOG.test(f) && CHANGELOG_PATH.test(f)) ||
          (GO_MODELS.test(f) && !f.endsWith('_test.go')))),
  );
  const globs = new Set(byName.globs);
  const found = [...byName.files];
  const likely = (f: string) => (CONFIG.test(f) ? 0 : LIKELY.test(f) ? 1 : 2);
  candidates.sort((a, b) => likely(a) - likely(b));
  const texts = await Promise.all(
    candidates
      .slice(0, MAX_READS)
      .map(async (file) => ({ file, text: await fileHead(join(workspace, file), HEAD_BYTES) })),
  );
  const point = (base: string, value: string) => {
    const path = posix
      .normalize(posix.join(base, value.replace(/^(filesystem:|file:\/\/|classpath:)/, '')))
      .replace(/^\.\//, '')
      .replace(/\/$/, '');
    if (path.startsWith('..') || path === '.') return;
    if (folders.has(path)) globs.add(`${path}/**`);
    else if (fileSet.has(path)) globs.add(path);
    else if (/[*{]/.test(path)) globs.add(path);
  };
  for (const { file, text } of texts) {
    const base = posix.dirname(file) === '.' ? '' : posix.dirname(file);
    if (CONFIG.test(file)) {
      for (const value of configTargets(posix.basename(file), text)) point(base, value);
      continue;
    }
    let glob: string | undefined;
    if (file.endsWith('.sql') && DDL.test(text)) glob = file;
    else if (CODE.test(file) && /drizzle-orm/.test(text) && DRIZZLE_BUILDER.test(text))
      glob = tableFolder(file) ?? file;
    else if (CODE.test(file) && /from\s+["']typeorm["']/.test(text) && /@(Entity|\w*Column)\s*\(/.test(text))
      glob = file;
    else if (file.endsWith('.go') && /"(gorm\.io\/gorm|github\.com\/jinzhu\/gorm)"|\bgorm:"/.test(text)) glob = file;
    else if (file.endsWith('.json') && /"formatVersion"/.test(text) && /"identityHash"/.test(text))
      glob = `${file.slice(0, file.indexOf('schemas/') + 'schemas'.length)}/**`;
    else if (JVM_SCHEMA.test(file) && (ROOM_SCHEMA.test(text) || EXPOSED_TABLE.test(text))) glob = file;
    else if (CHANGELOG.test(file) && LIQUIBASE_CHANGELOG.test(text)) glob = changelogFolder(file);
    if (glob) {
      globs.add(glob);
      found.push(file);
    }
  }
  for (const glob of schemaInCode(
    files,
    texts.filter((t) => CONFIG.test(t.file)),
    globs,
  ))
    globs.add(glob);
  let kept = coveringGlobs(globs);
  // Files a config points at count as found too: every schema file must be owned by a layer.
  const foundSet = new Set(found);
  for (const file of files)
    if (!foundSet.has(file) && kept.some((g) => (g.endsWith('/**') ? file.startsWith(g.slice(0, -2)) : g === file)))
      found.push(file);
  // Every file called a schema file is matched by the globs as the config reads them (`app/(admin)/schema.ts` is no glob syntax).
  const matches = picomatch(kept, { dot: true });
  const unmatched = found.filter((file) => !matches(file));
  // Added as they are: a folder glob that covers them as text (`app/(admin)/**`) is what failed to match.
  if (unmatched.length > 0) kept = [...new Set([...kept, ...unmatched.map(escapeGlob)])].sort();
  return { globs: kept, files: found };
}

/** Room: entities, the database and migrations (hand-written `Migration(2, 3)` or auto-migration specs); a DAO only queries. */
const ROOM_SCHEMA =
  /\b(androidx\.room|android\.arch\.persistence\.room)\b[\s\S]*(@Entity\b|@Database\b|\bMigration\s*\(\s*\d|\bAutoMigrationSpec\b)/;
/** Exposed: `object Users : IntIdTable("users")`, `object Lines : Table()`. */
const EXPOSED_TABLE =
  /\borg\.jetbrains\.exposed\b[\s\S]*\b(object|class)\s+\w+\s*(\([^)]*\))?\s*:\s*(\w+\.)?\w*Table\s*[(<]/;
const LIQUIBASE_CHANGELOG = /<databaseChangeLog\b|^\s*databaseChangeLog\s*:|"databaseChangeLog"\s*:/m;

/** A Liquibase changelog's folder when it is Liquibase's own (`config/liquibase/**`, `db/changelog/**`), else the file. */
function changelogFolder(file: string): string {
  const parts = file.split('/');
  const at = parts.findIndex((p, i) => i < parts.length - 1 && /^(liquibase|changelogs?)$/i.test(p));
  return at >= 0 ? `${parts.slice(0, at + 1).join('/')}/**` : file;
}

/** Drizzle tables spread over `src/schema/**`: the folder named schema holds them all. */
function tableFolder(file: string): string | undefined {
  const parts = file.split('/');
  const at = parts.findIndex((p, i) => i < parts.length - 1 && /^(schema|schemas|tables)$/.test(p));
  return at >= 0 ? `${parts.slice(0, at + 1).join('/')}/**` : undefined;
}

/** The paths a migration tool's config names for its schema and migrations. */
export function configTargets(name: string, text: string): string[] {
  const values = (pattern: RegExp) =>
    [...text.matchAll(pattern)]
      .flatMap((m) => m[1]!.split(','))
      .map((v) => v.trim().replace(/^["']|["']$/g, ''))
      .filter(Boolean);
  if (name.startsWith('drizzle.config'))
    return [...values(/\b(?:out|schema)\s*:\s*["'`]([^"'`]+)["'`]/g), ...values(/\bschema\s*:\s*\[([^\]]+)\]/g)];
  if (name === 'alembic.ini') return values(/^\s*script_location\s*=\s*(?:%\(here\)s\/)?(\S+)/gm);
  if (name === 'flyway.conf') return values(/^\s*flyway\.locations\s*=\s*(.+)$/gm);
  if (name === 'flyway.toml') return values(/^\s*locations\s*=\s*\[([^\]]+)\]/gm);
  if (name.startsWith('knexfile')) return values(/\bdirectory\s*:\s*["'`]([^"'`]+)["'`]/g);
  if (name === 'package.json')
    return values(/"prisma"\s*:\s*\{[^}]*"schema"\s*:\s*"([^"]+)"/g).flatMap((path) => [path, posix.dirname(path)]);
  if (name === 'diesel.toml') return values(/^\s*(?:file|dir)\s*=\s*"([^"]+)"/gm);
  if (name === 'atlas.hcl') return values(/\b(?:src|dir)\s*=\s*"file:\/\/([^"]+)"/g);
  if (name.startsWith('sqlc')) return values(/["']?schema["']?\s*:\s*["']?([^"'\n,}]+)/g);
  if (name === 'liquibase.properties') return values(/^\s*changeLogFile\s*[=:]\s*(\S+)/gm);
  if (name.startsWith('build.gradle'))
    return values(/room\.schemaLocation["']?\s*,\s*["'](?:\$projectDir\/|\$\{projectDir\}\/)?([^"']+)["']/g).concat(
      values(/schemaDirectory\(\s*["'](?:\$projectDir\/)?([^"']+)["']/g),
    );
  return [];
}
