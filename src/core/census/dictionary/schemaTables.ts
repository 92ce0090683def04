/**
 * Tables and columns as the project's schema files say them, one reader per kind of source:
 * SQL migrations (sqlSchema.ts), Prisma (prismaSchema.ts), Drizzle (drizzleSchema.ts), EF Core
 * migrations (efCoreSchema.ts), Rails schema.rb and migrations (railsSchema.ts), Laravel migrations
 * (laravelSchema.ts), and Python — Django models and migrations, SQLAlchemy, SQLModel,
 * Alembic — through a real parser (python/). A file we can read but not fully understand is a
 * warning naming the file and line, not a stop.
 */
import { readDrizzle } from './drizzleSchema';
import { readEfCore } from './efCoreSchema';
import { readLaravel } from './laravelSchema';
import { readPrisma } from './prismaSchema';
import { readPythonFiles } from './python/pythonSchema';
import { readRails } from './railsSchema';
import type { SchemaModel } from './schemaModel';
import { readSql } from './sqlSchema';

export type { SchemaModel, SchemaTable } from './schemaModel';

/** Reads one schema file into the model; the file's kind comes from its name. */
export function readSchemaFile(model: SchemaModel, file: string, text: string, warnings: string[] = []): void {
  readSchemaFiles(model, [{ file, text }], warnings);
}

/**
 * Reads the schema files in order; Python files are read together after the others (a model's
 * base class may be in another file, and Alembic revisions go in their chain's order).
 */
export function readSchemaFiles(model: SchemaModel, files: { file: string; text: string }[], warnings: string[] = []): void {
  const python: { file: string; text: string }[] = [];
  for (const { file, text } of files) {
    if (file.endsWith('.sql')) readSql(model, file, text);
    else if (file.endsWith('.prisma')) readPrisma(model, file, text);
    else if (file.endsWith('.py')) python.push({ file, text });
    else if (file.endsWith('.cs')) readEfCore(model, file, text, warnings);
    else if (file.endsWith('.rb')) readRails(model, file, text, warnings);
    else if (file.endsWith('.php')) readLaravel(model, file, text, warnings);
    else if (/\.[cm]?[jt]sx?$/.test(file)) readDrizzle(model, file, text);
  }
  if (python.length > 0) readPythonFiles(model, python, warnings);
}
