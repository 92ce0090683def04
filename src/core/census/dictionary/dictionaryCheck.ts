/**
 * `orchestrator check dictionary` and the `dictionary` check of a phase's gate (seed 000, phase
 * F): the tables and columns `docs/data/dictionary.md` names, compared with the schema the census
 * finds (SQL migrations, Prisma, Drizzle, Django models and migrations, SQLAlchemy / SQLModel
 * models and Alembic revisions, EF Core migrations, Rails db/schema.rb / db/structure.sql or
 * db/migrate, Laravel migrations).
 * Every difference is named; any difference fails.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readOptionalText } from '../../project/sources';
import { listRepositoryFiles } from '../files/fileList';
import { findSchema } from '../schema/schemaContent';
import { DICTIONARY_FILE, readDictionary } from './dictionaryFile';
import { readSchemaFiles, type SchemaModel, type SchemaTable } from './schemaTables';

export interface DictionaryDifference {
  kind:
    'no-dictionary' | 'table-not-documented' | 'table-not-in-schema' | 'column-not-documented' | 'column-not-in-schema';
  table?: string;
  column?: string;
  /** `file:line` of the schema file or the dictionary's heading it is about. */
  where?: string;
  message: string;
}

export interface DictionaryReport {
  dictionary: string;
  /** The schema files read, in the order read. */
  schemaFiles: string[];
  tables: { name: string; columns: string[]; file: string }[];
  differences: DictionaryDifference[];
  warnings: string[];
  ok: boolean;
}

/** Model files that are a schema besides what the census's schema finder knows (Django, SQLAlchemy, SQLModel). */
const PYTHON_MODELS = /(^|\/)(models?|tables|entities)(\.py|\/(?:[^/]+\/)*[^/]+\.py)$/;
/** Test apps' models (Django's `tests/models.py`) are not the project's schema. */
const PYTHON_TESTS = /(^|\/)(tests?|testing)\/|(^|\/)(test_[^/]*|[^/]*_tests?)\.py$/;
const READABLE =
  /\.(sql|prisma|py|cs|[cm]?[jt]sx?)$|(^|\/)db\/(schema\.rb|migrate\/.+\.rb)$|(^|\/)migrations\/.+\.php$|[^/]\.go$/;

/** Rails: db/schema.rb (or db/structure.sql) is the truth when it exists; the migrations otherwise. */
function railsTruth(files: string[]): string[] {
  const dumped = new Set(
    files.filter((f) => /(^|\/)db\/(schema\.rb|structure\.sql)$/.test(f)).map((f) => f.slice(0, f.lastIndexOf('db/'))),
  );
  return files.filter((f) => {
    const migration = /^(.*?)db\/migrate\/.+\.rb$/.exec(f);
    return !migration || !dumped.has(migration[1] ?? '');
  });
}

export async function checkDictionary(workspace: string): Promise<DictionaryReport> {
  const { files } = await listRepositoryFiles(workspace);
  const schema = await findSchema(workspace, files);
  const covered = (file: string) =>
    schema.files.includes(file) ||
    schema.globs.some((glob) => (glob.endsWith('/**') ? file.startsWith(glob.slice(0, -2)) : file === glob));
  const schemaFiles = railsTruth(
    files.filter(
      (file) =>
        READABLE.test(file) &&
        !/\.(test|spec)\.|_test\.go$/.test(file) &&
        (covered(file) || (PYTHON_MODELS.test(file) && !PYTHON_TESTS.test(file))),
    ),
  );
  const warnings: string[] = [];
  const texts: { file: string; text: string }[] = [];
  for (const file of schemaFiles) {
    try {
      texts.push({ file, text: await readFile(join(workspace, file), 'utf8') });
    } catch (error) {
      warnings.push(`${file}: could not be read (${errorText(error)}); its tables are not compared`);
    }
  }
  let model: SchemaModel = new Map();
  const readWarnings = warnings.length;
  try {
    readSchemaFiles(model, texts, warnings);
  } catch {
    // A reader failed on some file: read them one by one to name it, and compare the rest.
    model = new Map();
    warnings.length = readWarnings;
    for (const one of texts) {
      try {
        readSchemaFiles(model, [one], warnings);
      } catch (error) {
        warnings.push(`${one.file}: could not be read (${errorText(error)}); its tables are not compared`);
      }
    }
  }
  const tables = [...model.values()].filter((table) => table.columns.size > 0);
  if (schemaFiles.length === 0)
    warnings.push(
      'no schema files found (SQL migrations, Prisma, Drizzle, Django models and migrations, SQLAlchemy / SQLModel models, Alembic revisions, EF Core migrations, Rails db/schema.rb or db/migrate, Laravel database/migrations, TypeORM entities, GORM models)',
    );
  const text = await readOptionalText(join(workspace, DICTIONARY_FILE));
  const differences =
    text === undefined
      ? [
          {
            kind: 'no-dictionary' as const,
            message: `${DICTIONARY_FILE} does not exist: document ${tables.length} table(s) there (${tables.map((t) => t.name).join(', ') || 'none found'})`,
          },
        ]
      : compare(readDictionary(text), tables);
  return {
    dictionary: DICTIONARY_FILE,
    schemaFiles,
    tables: tables.map((table) => ({ name: table.name, columns: [...table.columns], file: table.file })),
    differences,
    warnings,
    ok: differences.length === 0,
  };
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

function compare(documented: ReturnType<typeof readDictionary>, tables: SchemaTable[]): DictionaryDifference[] {
  const differences: DictionaryDifference[] = [];
  const lower = (name: string) => name.toLowerCase();
  const matches = (table: SchemaTable, name: string) =>
    [table.name, ...table.aliases].some((alias) => lower(alias) === lower(name));
  for (const table of tables) {
    const entry = documented.find((doc) => matches(table, doc.name));
    if (!entry) {
      differences.push({
        kind: 'table-not-documented',
        table: table.name,
        where: table.file,
        message: `table ${table.name} (${table.file}) is not in ${DICTIONARY_FILE}`,
      });
      continue;
    }
    const named = new Set(entry.columns.map(lower));
    for (const column of table.columns) {
      if (!named.has(lower(column)))
        differences.push({
          kind: 'column-not-documented',
          table: table.name,
          column,
          where: `${DICTIONARY_FILE}:${entry.line}`,
          message: `${table.name}.${column} is in the schema (${table.file}) but not in ${DICTIONARY_FILE} (line ${entry.line})`,
        });
    }
    const real = new Set([...table.columns].map(lower));
    for (const column of entry.columns) {
      if (!real.has(lower(column)))
        differences.push({
          kind: 'column-not-in-schema',
          table: table.name,
          column,
          where: `${DICTIONARY_FILE}:${entry.line}`,
          message: `${table.name}.${column} is in ${DICTIONARY_FILE} (line ${entry.line}) but not in the schema (${table.file})`,
        });
    }
  }
  for (const entry of documented) {
    if (!tables.some((table) => matches(table, entry.name)))
      differences.push({
        kind: 'table-not-in-schema',
        table: entry.name,
        where: `${DICTIONARY_FILE}:${entry.line}`,
        message: `table ${entry.name} (${DICTIONARY_FILE} line ${entry.line}) is in no schema file`,
      });
  }
  return differences;
}
