import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { tempWorkspace } from '../../support/tempWorkspace';
import { RAILS_MIGRATIONS, RAILS_SCHEMA } from '../../support/workflows/railsConduit';

const tablesOf = (report: Awaited<ReturnType<typeof engine.checkDictionary>>) =>
  Object.fromEntries(report.tables.map((t) => [t.name, t.columns]));

test('dictionary: Rails db/schema.rb is the truth — implicit id, id: false, primary_key:, t.timestamps, t.virtual; the migrations beside it are not read', async () => {
  const ws = await tempWorkspace({
    'db/schema.rb': RAILS_SCHEMA,
    ...RAILS_MIGRATIONS,
    'db/seeds.rb': 'User.create!(email: "a@b.c")\n',
    'docs/data/dictionary.md': '## users\n- id\n- email\n- username\n- bio\n- image\n- created_at\n- updated_at\n',
  });
  try {
    const report = await engine.checkDictionary(ws.dir);
    assert.deepEqual(report.schemaFiles, ['db/schema.rb']);
    assert.deepEqual(tablesOf(report), {
      users: ['id', 'email', 'username', 'bio', 'image', 'created_at', 'updated_at'],
      articles: ['id', 'slug', 'title', 'body', 'author_id', 'title_search', 'created_at', 'updated_at'],
      articles_tags: ['article_id', 'tag_id'],
      tags: ['name'],
    });
    assert.deepEqual(report.warnings, []);
    assert.deepEqual(
      report.differences.map((d) => d.message),
      [
        'table articles (db/schema.rb) is not in docs/data/dictionary.md',
        'table articles_tags (db/schema.rb) is not in docs/data/dictionary.md',
        'table tags (db/schema.rb) is not in docs/data/dictionary.md',
      ],
    );
  } finally {
    await ws.cleanup();
  }
});

test('dictionary: Rails migrations in timestamp order when there is no schema.rb — references (polymorphic), change_table, renames, create_join_table, a call over several lines, def down and dir.down skipped', async () => {
  const ws = await tempWorkspace({
    ...RAILS_MIGRATIONS,
    'docs/data/dictionary.md': '## users\n- id\n- email\n- username\n- image\n- created_at\n- updated_at\n- never_up\n',
  });
  try {
    const report = await engine.checkDictionary(ws.dir);
    assert.deepEqual(report.schemaFiles, Object.keys(RAILS_MIGRATIONS));
    assert.deepEqual(tablesOf(report), {
      users: ['id', 'email', 'username', 'created_at', 'updated_at', 'bio', 'image', 'locale', 'search'],
      articles: ['id', 'slug', 'title', 'author_id', 'created_at', 'updated_at', 'content', 'favorites_count'],
      article_drafts: ['id', 'title', 'user_id'],
    });
    assert.deepEqual(report.warnings, []);
    assert.deepEqual(
      report.differences.filter((d) => d.table === 'users').map((d) => d.message),
      [
        'users.bio is in the schema (db/migrate/20240101090000_create_users.rb) but not in docs/data/dictionary.md (line 1)',
        'users.locale is in the schema (db/migrate/20240101090000_create_users.rb) but not in docs/data/dictionary.md (line 1)',
        'users.search is in the schema (db/migrate/20240101090000_create_users.rb) but not in docs/data/dictionary.md (line 1)',
        'users.never_up is in docs/data/dictionary.md (line 1) but not in the schema (db/migrate/20240101090000_create_users.rb)',
      ],
    );
  } finally {
    await ws.cleanup();
  }
});

test('dictionary: a Rails block never closed, or a column named by a variable, is a warning with its line; a 5 MB schema.rb is read to its end', async () => {
  const ws = await tempWorkspace({
    'db/migrate/20240101_a.rb':
      'class A < ActiveRecord::Migration[7.1]\n  def change\n    create_table :notes do |t|\n      t.string name_column\n      t.text :body\n',
  });
  try {
    const report = await engine.checkDictionary(ws.dir);
    assert.deepEqual(tablesOf(report), { notes: ['id', 'body'] });
    assert.deepEqual(report.warnings, [
      'db/migrate/20240101_a.rb:4: t.string with a name that is not a literal; it is not compared',
      'db/migrate/20240101_a.rb:3: the block of table notes is never closed with end; its columns up to the end of the file were read',
    ]);
  } finally {
    await ws.cleanup();
  }
  const one = (i: number) =>
    `  create_table "item_${i}", force: :cascade do |t|\n    t.string "name"\n    t.decimal "price", precision: 8, scale: 2\n    t.index ["name"], name: "index_item_${i}_on_name"\n  end\n\n`;
  const count = Math.ceil((5 * 1024 * 1024) / one(0).length);
  const big = await tempWorkspace({
    'db/schema.rb': `ActiveRecord::Schema[7.1].define(version: 1) do\n${Array.from({ length: count }, (_, i) => one(i)).join('')}end\n`,
  });
  try {
    const report = await engine.checkDictionary(big.dir);
    assert.equal(report.tables.length, count);
    assert.deepEqual(report.tables[count - 1], {
      name: `item_${count - 1}`,
      columns: ['id', 'name', 'price'],
      file: 'db/schema.rb',
    });
  } finally {
    await big.cleanup();
  }
});

test("dictionary: Rails db/structure.sql (config.active_record.schema_format = :sql) is read as SQL (without Rails' bookkeeping tables) and is the truth over db/migrate", async () => {
  const structure =
    "SET statement_timeout = 0;\n\nCREATE TABLE public.users (\n    id bigint NOT NULL,\n    email character varying DEFAULT ''::character varying NOT NULL,\n    created_at timestamp(6) without time zone NOT NULL\n);\n\nCREATE TABLE public.schema_migrations (\n    version character varying NOT NULL\n);\n\nINSERT INTO \"schema_migrations\" (version) VALUES\n('20240101090000');\n";
  const ws = await tempWorkspace({ 'db/structure.sql': structure, ...RAILS_MIGRATIONS });
  try {
    const report = await engine.checkDictionary(ws.dir);
    assert.deepEqual(report.schemaFiles, ['db/structure.sql']);
    // Rails' own schema_migrations is left out, as schema.rb leaves it out.
    assert.deepEqual(tablesOf(report), { users: ['id', 'email', 'created_at'] });
  } finally {
    await ws.cleanup();
  }
});
