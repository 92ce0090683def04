/**
 * Tables and columns as the project's schema files say them, one reader per kind of source:
 * SQL migrations (sqlSchema.ts), Prisma (prismaSchema.ts), Drizzle (drizzleSchema.ts), EF Core
 * migrations (efCoreSchema.ts), Rails schema.rb and migrations (railsSchema.ts), Laravel migrations
 * (laravelSchema.ts), GORM models in Go (gormSchema.ts), TypeORM entities (typeormSchema.ts), and Python — Django models and migrations, SQLAlchemy, SQLModel,
 * Alembic — through a real parser (python/). A file we can read but not fully understand is a
 * warning naming the file and line, not a stop.
 */
import { readDrizzle } from './drizzleSchema';
import { readEfCore } from './efCoreSchema';
import { readGormFiles } from './gormSchema';
import { readLaravel } from './laravelSchema';
import { readPrisma } from './prismaSchema';
import { readPythonFiles } from './python/pythonSchema';
import { readRails } from './railsSchema';
import type { SchemaModel } from './schemaModel';
import { readSql } from './sqlSchema';
import { readTypeormFiles } from './typeormSchema';

export type { SchemaModel, SchemaTable } from './schemaModel';

/** Reads one schema file into the model; the file's kind comes from its name. */
export function readSchemaFile(model: SchemaModel, file: string, text: string, warnings: string[] = []): void {
  readSchemaFiles(model, [{ file, text }], warnings);
}

/**
 * Reads the schema files in order; Python, Go and TypeORM files are read together after the others (a model's
 * base class or relation may be in another file, and Alembic revisions go in their chain's order).
 */
export function readSchemaFiles(
  model: SchemaModel,
  files: { file: string; text: string }[],
  warnings: string[] = [],
): void {
  const python: { file: string; text: string }[] = [];
  const go: { file: string; text: string }[] = [];
  const typeorm: { file: string; text: string }[] = [];
  for (const { file, text } of files) {
    // golang-migrate's `*.down.sql` and Diesel's `down.sql` undo their `up`.
    if (/(^|\/|\.)down\.sql$/.test(file)) continue;
    if (file.endsWith('.sql')) {
      readSql(model, file, text);
      // Rails' db/structure.sql dumps its own bookkeeping tables, which schema.rb leaves out.
      if (/(^|\/)db\/structure\.sql$/.test(file))
        for (const name of ['schema_migrations', 'ar_internal_metadata']) model.delete(name);
    } else if (file.endsWith('.go')) go.push({ file, text });
    else if (file.endsWith('.prisma')) readPrisma(model, file, text);
    else if (file.endsWith('.py')) python.push({ file, text });
    else if (file.endsWith('.cs')) readEfCore(model, file, text, warnings);
    else if (file.endsWith('.rb')) readRails(model, file, text, warnings);
    else if (file.endsWith('.php')) readLaravel(model, file, text, warnings);
    else if (/\.[cm]?[jt]sx?$/.test(file)) {
      if (/@Entity\s*\(|from\s+['"]typeorm['"]/.test(text)) typeorm.push({ file, text });
      else readDrizzle(model, file, text);
    }
  }
  if (python.length > 0) readPythonFiles(model, python, warnings);
  if (go.length > 0) readGormFiles(model, go, warnings);
  if (typeorm.length > 0) readTypeormFiles(model, typeorm, warnings);
}
