import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import { readSchemaFiles, type SchemaModel } from '../../../src/core/census/dictionary/schemaTables';
import { tempWorkspace } from '../../support/tempWorkspace';
import { DJANGO_DICTIONARY, DJANGO_FILES } from '../../support/workflows/schemaDjango';
import { ALCHEMY_MODELS, EF_CORE_FILES, FLASK_MODELS } from '../../support/workflows/schemaEfCoreAlchemy';
import { SQLMODEL_DICTIONARY, SQLMODEL_FILES } from '../../support/workflows/schemaSqlModel';

/** The model read from some fixture files, as [name, aliases, columns, file]. */
function read(
  files: Record<string, string>,
  only: RegExp,
): { tables: [string, string[], string[], string][]; warnings: string[] } {
  const model: SchemaModel = new Map();
  const warnings: string[] = [];
  readSchemaFiles(
    model,
    Object.entries(files)
      .filter(([file]) => only.test(file))
      .map(([file, text]) => ({ file, text })),
    warnings,
  );
  return {
    tables: [...model.values()]
      .filter((t) => t.columns.size > 0)
      .map((t) => [t.name, t.aliases, [...t.columns], t.file]),
    warnings,
  };
}

/** checkDictionary on a workspace of these files with this dictionary. */
async function check(files: Record<string, string>, dictionary: string) {
  const ws = await tempWorkspace({ ...files, 'docs/data/dictionary.md': dictionary });
  try {
    return await engine.checkDictionary(ws.dir);
  } finally {
    await ws.cleanup();
  }
}

test("dictionary, SQLModel + Alembic: revisions in their chain order (upgrade only), table models with their base's columns, relationships are not columns", () => {
  const first = 'app/alembic/versions/f3c1a9_initial.py';
  assert.deepEqual(read(SQLMODEL_FILES, /\.py$/), {
    tables: [
      ['author', ['Author'], ['id', 'pen_name', 'is_active', 'hashed_secret'], first],
      ['books', ['Book'], ['id', 'title', 'author_id', 'subtitle'], first],
      ['notes', [], ['note', 'written_at'], 'app/alembic/versions/0b7e22_rename_secret.py'],
    ],
    warnings: [],
  });
  // The models alone: what a project without migrations has.
  assert.deepEqual(
    read(SQLMODEL_FILES, /models\.py$/).tables.map(([name, , columns]) => [name, columns]),
    [
      ['author', ['pen_name', 'is_active', 'id', 'hashed_secret']],
      ['books', ['id', 'title', 'subtitle', 'author_id']],
    ],
  );
});

test('dictionary, SQLModel + Alembic: the whole check finds the files, passes on a matching dictionary and names a missing column', async () => {
  const passing = await check(SQLMODEL_FILES, SQLMODEL_DICTIONARY);
  assert.deepEqual([passing.ok, passing.differences, passing.warnings], [true, [], []]);
  assert.deepEqual(passing.schemaFiles, [
    'app/alembic/env.py',
    'app/alembic/versions/0b7e22_rename_secret.py',
    'app/alembic/versions/f3c1a9_initial.py',
    'app/models.py',
  ]);
  const failing = await check(SQLMODEL_FILES, SQLMODEL_DICTIONARY.replace('- subtitle\n', ''));
  assert.deepEqual(
    failing.differences.map((d) => [d.kind, d.message]),
    [
      [
        'column-not-documented',
        'books.subtitle is in the schema (app/alembic/versions/f3c1a9_initial.py) but not in docs/data/dictionary.md (line 11)',
      ],
    ],
  );
});

test('dictionary, Django: <app>_<model> tables, db_table, abstract bases across files, bare field imports, ManyToMany join tables, proxies, multi-table parents', () => {
  const models = read(DJANGO_FILES, /models/).tables;
  assert.deepEqual(models, [
    ['people_person', ['Person'], ['id', 'created', 'modified', 'handle'], 'people/models/person.py'],
    ['people_person_friends', ['Person.friends'], ['id', 'from_person_id', 'to_person_id'], 'people/models/person.py'],
    ['people_person_favourites', ['Person.favourites'], ['id', 'person_id', 'title_id'], 'people/models/person.py'],
    ['catalog_titles', ['Title'], ['id', 'created', 'modified', 'name', 'writer_id', 'isbn13'], 'catalog/models.py'],
    ['catalog_shelf', ['Shelf'], ['code'], 'catalog/models.py'],
    ['catalog_placement', ['Placement'], ['id', 'shelf_id', 'title_id'], 'catalog/models.py'],
    ['catalog_ebook', ['Ebook'], ['title_ptr_id', 'file_url'], 'catalog/models.py'],
  ]);
  // The migrations alone: AddField, RemoveField, RenameField, DeleteModel, RenameModel there and back.
  assert.deepEqual(read(DJANGO_FILES, /migrations\/\d/), {
    tables: [
      [
        'catalog_titles',
        ['Title'],
        ['id', 'created', 'modified', 'name', 'isbn13', 'shelf_mark', 'writer_id'],
        'catalog/migrations/0002_changes.py',
      ],
    ],
    warnings: [],
  });
});

test("dictionary, Django: a dictionary may name a table by its real name or its model's; a missing column is named", async () => {
  const passing = await check(DJANGO_FILES, DJANGO_DICTIONARY);
  assert.deepEqual([passing.ok, passing.differences, passing.warnings], [true, [], []]);
  assert.deepEqual(
    passing.tables.map((t) => t.name),
    [
      'catalog_titles',
      'catalog_shelf',
      'catalog_placement',
      'catalog_ebook',
      'people_person',
      'people_person_friends',
      'people_person_favourites',
    ],
  );
  const failing = await check(
    DJANGO_FILES,
    DJANGO_DICTIONARY.replace('- shelf_mark\n', '').replace('### catalog_ebook\n- title_ptr_id\n- file_url\n', ''),
  );
  assert.deepEqual(
    failing.differences.map((d) => d.message),
    [
      'catalog_titles.shelf_mark is in the schema (catalog/migrations/0002_changes.py) but not in docs/data/dictionary.md (line 3)',
      'table catalog_ebook (catalog/models.py) is not in docs/data/dictionary.md',
    ],
  );
});

test('dictionary, EF Core: Up() only, named arguments in any order (schema:), RenameColumn, RenameTable, DropTable; snapshots add nothing', () => {
  assert.deepEqual(read(EF_CORE_FILES, /\.cs$/), {
    tables: [['clients', [], ['Id', 'Email', 'DisplayName'], 'Shop.Api/Migrations/20250201000000_Renames.cs']],
    warnings: [],
  });
});

test('dictionary, EF Core: the whole check names a column the dictionary lacks', async () => {
  const report = await check(EF_CORE_FILES, '## clients\n| Column |\n|---|\n| Id |\n| DisplayName |\n');
  assert.deepEqual(
    report.differences.map((d) => [d.kind, d.table, d.column, d.where]),
    [['column-not-documented', 'clients', 'Email', 'docs/data/dictionary.md:1']],
  );
});

test('dictionary, SQLAlchemy 2.0: Mapped without a value is a column, relationship() and column_property() are not, mixins and declared_attr names, Core Table()', async () => {
  assert.deepEqual(read({ 'app/models.py': ALCHEMY_MODELS }, /./), {
    tables: [
      ['notes', ['Note'], ['created_at', 'id', 'body', 'heading', 'owner_id'], 'app/models.py'],
      ['owner', ['Owner'], ['id', 'name'], 'app/models.py'],
      ['tag', ['Tag'], ['id', 'label'], 'app/models.py'],
      ['note_tags', [], ['note_id', 'tag_id'], 'app/models.py'],
    ],
    warnings: [],
  });
  const ws = await tempWorkspace({
    'app/models.py': ALCHEMY_MODELS,
    'docs/data/dictionary.md':
      '## notes\n- id\n- created_at\n- body\n- heading\n- owner_id\n## owner\n- id\n- name\n## tag\n- id\n- label\n## note_tags\n- note_id\n',
  });
  try {
    const report = await engine.checkDictionary(ws.dir);
    assert.deepEqual(
      report.differences.map((d) => d.message),
      ['note_tags.tag_id is in the schema (app/models.py) but not in docs/data/dictionary.md (line 13)'],
    );
    await writeFile(
      join(ws.dir, 'docs/data/dictionary.md'),
      '## notes\n- id\n- created_at\n- body\n- heading\n- owner_id\n## owner\n- id\n- name\n## tag\n- id\n- label\n## note_tags\n- note_id\n- tag_id\n',
    );
    assert.equal((await engine.checkDictionary(ws.dir)).ok, true);
  } finally {
    await ws.cleanup();
  }
});

test("dictionary, Flask-SQLAlchemy: db.Model tables in snake_case, single-table inheritance into the parent's table, db.Table()", () => {
  assert.deepEqual(read({ 'app/models.py': FLASK_MODELS }, /./), {
    tables: [
      ['order_line', ['OrderLine', 'GiftLine'], ['id', 'sku', 'kind', 'message'], 'app/models.py'],
      ['staff', ['Employee', 'Manager'], ['id', 'reports'], 'app/models.py'],
      ['line_tags', [], ['line_id', 'tag'], 'app/models.py'],
    ],
    warnings: [],
  });
});

test('dictionary, Django: a CompositePrimaryKey means no automatic id', () => {
  const text =
    'from django.db import models\n\n\nclass Grant(models.Model):\n    pk = models.CompositePrimaryKey("user_id", "scope")\n    user = models.ForeignKey("auth.User", on_delete=models.CASCADE)\n    scope = models.CharField(max_length=20)\n';
  assert.deepEqual(read({ 'access/models.py': text }, /./).tables, [
    ['access_grant', ['Grant'], ['user_id', 'scope'], 'access/models.py'],
  ]);
});
