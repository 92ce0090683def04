/**
 * Every Python schema source of the project, read together: Alembic revisions (in their chain's
 * order), Django migrations (in file order), then the models — Django, SQLAlchemy (declarative
 * and Core `Table("name", metadata, Column(…))`), SQLModel — whose classes may inherit from one
 * another across files. Migrations first: a model describes the schema as the code has it now.
 */
import { table, type SchemaModel } from '../schemaModel';
import { alembicOrder, columnName, isAlembicRevision, readAlembicRevision } from './alembicMigrations';
import { isDjangoMigration, readDjangoMigration } from './djangoMigrations';
import { readOrmModels } from './ormModels';
import { pythonClasses } from './pythonClasses';
import {
  calleeName,
  callArgs,
  callsUnder,
  parsePython,
  stringValue,
  syntaxWarning,
  type PythonSource,
} from './pythonSyntax';

export function readPythonFiles(model: SchemaModel, files: { file: string; text: string }[], warnings: string[]): void {
  const sources = files.map(({ file, text }) => parsePython(file, text));
  for (const source of sources) {
    const warning = syntaxWarning(source);
    if (warning) warnings.push(warning);
  }
  for (const source of alembicOrder(sources.filter(isAlembicRevision))) readAlembicRevision(model, source);
  const models = sources.filter((source) => !isAlembicRevision(source));
  for (const source of models.filter(isDjangoMigration)) readDjangoMigration(model, source);
  const modules = models.filter((source) => !isDjangoMigration(source));
  readOrmModels(model, modules.flatMap(pythonClasses));
  for (const source of modules) readCoreTables(model, source);
}

/** `Table("tags", metadata, Column("id", …), …)` (SQLAlchemy Core, Flask-SQLAlchemy's `db.Table`). */
function readCoreTables(model: SchemaModel, source: PythonSource): void {
  if (!/\bTable\s*\(/.test(source.text)) return;
  for (const call of callsUnder(source.tree.topNode)) {
    if (calleeName(source, call) !== 'Table') continue;
    const { positional } = callArgs(source, call);
    const name = stringValue(source, positional[0]);
    const columns = positional
      .slice(1)
      .map((arg) => columnName(source, arg))
      .filter((c): c is string => c !== undefined);
    if (!name || columns.length === 0) continue;
    const created = table(model, name, source.file);
    for (const column of columns) created.columns.add(column);
  }
}
