import assert from 'node:assert/strict';
import { test } from 'node:test';
import picomatch from 'picomatch';
import { configTargets } from '../../../src/core/census/schema/schemaContent';
import type { Census } from '../../../src/core/census/types';
import { censusOf, json } from '../../support/census';

const ownerOf = (census: Census, file: string) =>
  census.layers.find((l) => picomatch(l.owns, { dot: true })(file))?.name;
const inSchema = (census: Census, file: string) =>
  picomatch(
    census.schema.map((s) => s.glob),
    { dot: true },
  )(file);

test('schema beside the migrations, per crate and of a second database: found, in schema, and owned (the database layer takes what no project holds)', async () => {
  const census = await censusOf({
    'package.json': json({ private: true, workspaces: ['apps/*'] }),
    'package-lock.json': '{}',
    'apps/api/package.json': json({ name: 'api', dependencies: { express: '4' }, scripts: { test: 'jest' } }),
    'apps/api/src/index.ts': 'app.listen(3000)',
    'db/postgresql/migrations/0001_init.sql': 'CREATE TABLE users (id int);',
    'db/postgresql/data-migrations/0002_backfill.sql': "UPDATE users SET name = 'x';",
    'db/clickhouse/migrations/0001_events.sql': 'CREATE TABLE events (id UInt64) ENGINE = MergeTree ORDER BY id;',
    'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n',
    'crates/store/Cargo.toml': '[package]\nname = "store"\n',
    'crates/store/src/lib.rs': '',
    'crates/store/meta-migrations/0001_meta.sql': 'CREATE TABLE meta (k text);',
  });
  for (const file of [
    'db/postgresql/data-migrations/0002_backfill.sql',
    'db/clickhouse/migrations/0001_events.sql',
    'crates/store/meta-migrations/0001_meta.sql',
  ]) {
    assert.ok(inSchema(census, file), `${file} in ${census.schema.map((s) => s.glob).join(', ')}`);
  }
  assert.equal(ownerOf(census, 'db/clickhouse/migrations/0001_events.sql'), 'database');
  assert.equal(ownerOf(census, 'db/postgresql/data-migrations/0002_backfill.sql'), 'database');
  assert.equal(ownerOf(census, 'crates/store/meta-migrations/0001_meta.sql'), 'store');
});

test('Drizzle: schema.ts in a db package and table modules across src/schema/** found by their imports; the config points at its out folder', async () => {
  const table = (name: string) =>
    `import { pgTable, serial, text } from 'drizzle-orm/pg-core';\nexport const ${name} = pgTable('${name}', { id: serial('id').primaryKey(), name: text('name') });\n`;
  const census = await censusOf({
    'package.json': json({ private: true, workspaces: ['packages/*', 'apps/*'] }),
    'package-lock.json': '{}',
    'packages/db/package.json': json({
      name: '@acme/db',
      main: 'src/index.ts',
      dependencies: { 'drizzle-orm': '0.30' },
    }),
    'packages/db/src/schema.ts': table('users'),
    'packages/db/src/index.ts': "export * from './schema';",
    'packages/db/src/client.ts': "import { drizzle } from 'drizzle-orm/node-postgres';",
    'packages/db/drizzle.config.ts':
      "export default { schema: './src/schema.ts', out: './sql', dialect: 'postgresql' };",
    'packages/db/sql/0000_init.sql': 'CREATE TABLE "users" ("id" serial);',
    'packages/db/sql/meta/_journal.json': '{}',
    'apps/web/package.json': json({ name: 'web', dependencies: { next: '15', 'drizzle-orm': '0.30' } }),
    'apps/web/src/schema/posts.ts': table('posts'),
    'apps/web/src/schema/auth/sessions.ts': table('sessions'),
    'apps/web/src/app/page.tsx': 'export default function Page() {}',
    'apps/web/src/lib/schemaUtils.ts': 'export const validate = (x: unknown) => x;',
  });
  const globs = census.schema.map((s) => s.glob);
  assert.ok(globs.includes('packages/db/src/schema.ts'), globs.join(', '));
  assert.ok(globs.includes('packages/db/sql/**'), globs.join(', '));
  assert.ok(globs.includes('apps/web/src/schema/**'), globs.join(', '));
  assert.ok(!inSchema(census, 'apps/web/src/lib/schemaUtils.ts'), 'a file named like a schema that is none');
  assert.ok(!inSchema(census, 'packages/db/src/client.ts'));
  assert.ok(ownerOf(census, 'apps/web/src/schema/auth/sessions.ts'));
});

test('Room exports, Ecto structure.sql, SQL DDL, Eloquent models and the folders migration tools point at', async () => {
  const census = await censusOf({
    'settings.gradle.kts': 'include(":app")',
    'app/build.gradle.kts':
      'plugins { id("com.android.application") }\nksp { arg("room.schemaLocation", "$projectDir/schemas") }',
    'app/src/main/kotlin/AppDatabase.kt': '@Database class AppDatabase',
    'app/schemas/com.example.AppDatabase/1.json':
      '{"formatVersion": 1, "database": {"version": 1, "identityHash": "abc", "entities": []}}',
    'server/mix.exs':
      'defmodule Shop.MixProject do\n  def project, do: [app: :shop, deps: deps()]\n  defp deps, do: [{:phoenix, "~> 1.7"}, {:ecto_sql, "~> 3.10"}]\nend\n',
    'server/lib/shop.ex': 'defmodule Shop do end',
    'server/priv/repo/structure.sql': 'CREATE TABLE public.users (id bigint);',
    'server/priv/repo/migrations/20260101_create_users.exs': 'defmodule M do end',
    'warehouse/ddl/orders.sql': 'create table orders (id int);',
    'warehouse/queries/top.sql': 'select * from orders;',
    'warehouse/etl.py': 'print(1)',
    'svc/pyproject.toml': '[project]\nname = "svc"\n',
    'svc/alembic.ini': '[alembic]\nscript_location = %(here)s/dbmigrate\n',
    'svc/dbmigrate/env.py': 'run()',
    'svc/dbmigrate/versions/a1.py': 'def upgrade(): pass',
    'svc/app.py': 'x = 1',
    'jobs/flyway.conf': 'flyway.locations=filesystem:sqlscripts\n',
    'jobs/sqlscripts/V1__init.sql': 'CREATE TABLE job (id int);',
    'jobs/main.go': 'package main',
    'jobs/go.mod': 'module jobs\n',
    'shop/composer.json': json({ name: 'acme/shop', require: { 'laravel/framework': '^11' } }),
    'shop/artisan': '#!/usr/bin/env php',
    'shop/app/Models/User.php': '<?php class User extends Model {}',
    'shop/app/Http/Controllers/Home.php': '<?php',
  });
  for (const file of [
    'app/schemas/com.example.AppDatabase/1.json',
    'server/priv/repo/structure.sql',
    'server/priv/repo/migrations/20260101_create_users.exs',
    'warehouse/ddl/orders.sql',
    'svc/dbmigrate/versions/a1.py',
    'jobs/sqlscripts/V1__init.sql',
    'shop/app/Models/User.php',
  ]) {
    assert.ok(inSchema(census, file), `${file} in ${census.schema.map((s) => s.glob).join(', ')}`);
    assert.ok(ownerOf(census, file), `${file} owned`);
  }
  assert.ok(!inSchema(census, 'warehouse/queries/top.sql'), 'a query file is no schema');
  assert.ok(
    census.layers.some((l) => l.validate.some((v) => v.command === 'cd server && mix test')),
    'a Phoenix app is a project with mix test',
  );
});

test('migration tools’ configs: each names its folder or file', () => {
  assert.deepEqual(
    configTargets(
      'drizzle.config.ts',
      "export default defineConfig({ schema: ['./src/db/users.ts', './src/db/posts.ts'], out: './drizzle' })",
    ),
    ['./drizzle', './src/db/users.ts', './src/db/posts.ts'],
  );
  assert.deepEqual(configTargets('alembic.ini', '[alembic]\nscript_location = migrations\n'), ['migrations']);
  assert.deepEqual(
    configTargets('knexfile.js', "module.exports = { client: 'pg', migrations: { directory: './db/migrations' } }"),
    ['./db/migrations'],
  );
  assert.deepEqual(configTargets('package.json', json({ name: 'x', prisma: { schema: 'db/schema.prisma' } })), [
    'db/schema.prisma',
    'db',
  ]);
  assert.deepEqual(
    configTargets(
      'diesel.toml',
      '[print_schema]\nfile = "src/schema.rs"\n[migrations_directory]\ndir = "migrations"\n',
    ),
    ['src/schema.rs', 'migrations'],
  );
  assert.deepEqual(
    configTargets(
      'atlas.hcl',
      'env "local" {\n  src = "file://schema.hcl"\n  migration {\n    dir = "file://migrations"\n  }\n}',
    ),
    ['schema.hcl', 'migrations'],
  );
  assert.deepEqual(configTargets('flyway.toml', '[flyway]\nlocations = ["filesystem:sql", "filesystem:data"]\n'), [
    'filesystem:sql',
    'filesystem:data',
  ]);
  assert.deepEqual(
    configTargets('sqlc.yaml', 'version: "2"\nsql:\n  - schema: "db/schema.sql"\n    queries: "db/queries"\n'),
    ['db/schema.sql'],
  );
});

test('schema in code, in the shapes the census still missed: a table creator, tables made by a local helper beside the drizzle/ folder, Room exports past thousands of candidates', async () => {
  const files: Record<string, string> = {
    'package.json': json({ private: true, workspaces: ['apps/*', 'packages/*'] }),
    'pnpm-lock.yaml': '',
    'pnpm-workspace.yaml': 'packages:\n  - apps/*\n  - packages/*\n',
    // A table creator (`pgTableCreator`) names every table through `createTable(…)`.
    'packages/db/package.json': json({ name: '@acme/db', dependencies: { 'drizzle-orm': '0.44' } }),
    'packages/db/src/schema.ts':
      "import { pgTableCreator, text, uuid } from 'drizzle-orm/pg-core';\n\nexport const createTable = pgTableCreator((name) => `acme_${name}`);\n\nexport const invoices = createTable('invoice', (d) => ({ id: d.uuid().primaryKey(), number: d.text() }));\n",
    'packages/db/src/index.ts': "export * from './schema';\n",
    'packages/db/drizzle/0000_first.sql': 'CREATE TABLE "acme_invoice" ("id" uuid PRIMARY KEY);',
    'packages/db/drizzle/meta/_journal.json': '{"entries": []}',
    // Tables made by the package's own helper: none of them imports drizzle-orm.
    'packages/ledger/package.json': json({ name: '@acme/ledger', dependencies: { 'drizzle-orm': '0.44' } }),
    'packages/ledger/src/lib/table.ts':
      "import { pgSchema } from 'drizzle-orm/pg-core';\nexport const ledger = pgSchema('ledger');\nexport const table = ledger.table;\n",
    'packages/ledger/src/schema/index.ts': "export * from './accounts/entries';\nexport * from './enums';\n",
    'packages/ledger/src/schema/enums.ts':
      "import { ledger } from '../lib/table';\nexport const side = ledger.enum('side', ['debit', 'credit']);\n",
    'packages/ledger/src/service.ts': 'export const post = () => 1;\n',
    'packages/ledger/drizzle/0000_ledger.sql': 'CREATE SCHEMA "ledger";',
    'apps/web/package.json': json({ name: 'web', dependencies: { next: '15', '@acme/db': 'workspace:*' } }),
    'apps/web/src/app/page.tsx': 'export default function Page() { return null; }',
    // A route group's folder name is no glob syntax.
    'apps/web/src/app/(admin)/db/audit.ts':
      "import { sqliteTable, text } from 'drizzle-orm/sqlite-core';\nexport const audit = sqliteTable('audit', { id: text('id') });\n",
    'apps/web/src/app/(admin)/schema/flags.ts':
      "import { sqliteTable, text } from 'drizzle-orm/sqlite-core';\nexport const flags = sqliteTable('flags', { id: text('id') });\n",
    // An Android module's Room exports, one JSON per database version.
    'mobile/settings.gradle.kts': 'include(":core:data")',
    'mobile/core/data/build.gradle.kts': 'plugins { id("com.android.library"); id("androidx.room") }',
    'mobile/core/data/src/main/kotlin/com/acme/data/AcmeDatabase.kt':
      '@Database(entities = [Note::class], version = 2) abstract class AcmeDatabase',
  };
  for (const [n, name] of ['entries', 'balances', 'periods'].entries()) {
    files[`packages/ledger/src/schema/accounts/${name}.ts`] =
      `import { table } from '../../lib/table';\nexport const ${name} = table('${name}', { id: ${n} });\n`;
  }
  for (const version of [1, 2]) {
    files[`mobile/core/data/schemas/com.acme.data.AcmeDatabase/${version}.json`] =
      `{\n  "formatVersion": 1,\n  "database": {\n    "version": ${version},\n    "identityHash": "h${version}",\n    "entities": []\n  }\n}\n`;
  }
  // Thousands of files that might be schema (models/ folders) come first in the walk: they must not crowd out the real ones.
  for (let i = 0; i < 2100; i++)
    files[`apps/admin/src/models/view${i}.ts`] = `export type View${i} = { id: number };\n`;
  files['apps/admin/package.json'] = json({ name: 'admin', dependencies: { vite: '6' } });
  const census = await censusOf(files);
  for (const file of [
    'packages/db/src/schema.ts',
    'packages/db/drizzle/0000_first.sql',
    'packages/ledger/src/schema/accounts/entries.ts',
    'packages/ledger/src/schema/accounts/periods.ts',
    'packages/ledger/src/schema/enums.ts',
    'packages/ledger/drizzle/0000_ledger.sql',
    'mobile/core/data/schemas/com.acme.data.AcmeDatabase/2.json',
    'apps/web/src/app/(admin)/db/audit.ts',
    'apps/web/src/app/(admin)/schema/flags.ts',
  ]) {
    assert.ok(inSchema(census, file), `${file} in ${census.schema.map((s) => s.glob).join(', ')}`);
    assert.ok(ownerOf(census, file), `${file} owned`);
  }
  for (const file of ['packages/ledger/src/service.ts', 'apps/admin/src/models/view7.ts', 'packages/db/src/index.ts'])
    assert.ok(!inSchema(census, file), `${file} is no schema`);
});
