import assert from 'node:assert/strict';
import { test } from 'node:test';
import picomatch from 'picomatch';
import type { Census } from '../../../src/core/census/types';
import { censusOf, json } from '../../support/census';

// Schema written in code is found by where the project keeps it: the files here are empty, as a
// schema file can be before an agent writes it, so nothing is read from them.
const inSchema = (census: Census, file: string) =>
  picomatch(
    census.schema.map((s) => s.glob),
    { dot: true },
  )(file);

function assertSchema(census: Census, schema: string[], notSchema: string[]): void {
  const globs = census.schema.map((s) => s.glob).join(', ');
  for (const file of schema) assert.ok(inSchema(census, file), `${file} in ${globs}`);
  for (const file of notSchema) assert.ok(!inSchema(census, file), `${file} is no schema (${globs})`);
}

test('Drizzle: a package running drizzle-kit keeps its tables in schema.ts (empty, no drizzle/ folder, no config pointing at it)', async () => {
  const census = await censusOf({
    'package.json': json({
      private: true,
      workspaces: ['apps/*', 'packages/*'],
      scripts: { typecheck: 'turbo run typecheck' },
    }),
    'bun.lock': '',
    'apps/api/package.json': json({
      name: '@acme/api',
      scripts: { typecheck: 'tsc --noEmit' },
      dependencies: { hono: '4', 'drizzle-orm': '0.45', '@acme/db': 'workspace:*' },
    }),
    'apps/api/src/index.ts': '',
    'apps/api/src/schema.ts': '',
    'packages/db/package.json': json({
      name: '@acme/db',
      scripts: { typecheck: 'tsc --noEmit', migrate: 'drizzle-kit migrate' },
      dependencies: { 'drizzle-orm': '0.45' },
      devDependencies: { 'drizzle-kit': '0.31' },
    }),
    'packages/db/drizzle.config.ts': '',
    'packages/db/src/schema.ts': '',
    'packages/db/src/client.ts': '',
    'packages/db/src/queries/users.ts': '',
  });
  assertSchema(
    census,
    ['packages/db/src/schema.ts'],
    ['packages/db/src/client.ts', 'packages/db/src/queries/users.ts', 'apps/api/src/schema.ts'],
  );
});

test('Kotlin modules keeping migrations: Exposed tables in a schema package, Room migrations by name; Alembic projects: SQLAlchemy models packages', async () => {
  const server = 'server/src/main/kotlin/org/acme/server';
  const room = 'core/database/src/main/kotlin/org/acme/core/database';
  const census = await censusOf({
    'settings.gradle.kts': '',
    'server/build.gradle.kts': '',
    [`${server}/Application.kt`]: '',
    [`${server}/schema/Users.kt`]: '',
    [`${server}/schema/Votes.kt`]: '',
    [`${server}/routes/Votes.kt`]: '',
    'server/src/main/resources/db/migration/V001__init.sql': 'CREATE TABLE users (id int);',
    'server/src/test/kotlin/org/acme/server/schema/UsersTest.kt': '',
    'core/database/build.gradle.kts': '',
    [`${room}/NotesDatabase.kt`]: '',
    [`${room}/DatabaseMigrations.kt`]: '',
    [`${room}/dao/NoteDao.kt`]: '',
    'core/database/schemas/org.acme.core.database.NotesDatabase/1.json':
      '{"formatVersion": 1, "database": {"version": 1, "identityHash": "a"}}',
    'ui/build.gradle.kts': '',
    'ui/src/main/kotlin/org/acme/ui/schema/Theme.kt': '',
    'api/pyproject.toml': '[project]\nname = "api"\ndependencies = ["fastapi", "sqlalchemy[asyncio]>=2", "alembic"]\n',
    'api/alembic.ini': '[alembic]\nscript_location = migrations\n',
    'api/migrations/env.py': '',
    'api/migrations/versions/0001_init.py': '',
    'api/acme/__init__.py': '',
    'api/acme/models/__init__.py': '',
    'api/acme/models/user.py': '',
    'api/acme/routes/users.py': '',
    'api/tests/models/__init__.py': '',
    'worker/pyproject.toml': '[project]\nname = "worker"\ndependencies = ["pydantic"]\n',
    'worker/worker/models/__init__.py': '',
    'worker/worker/models/job.py': '',
  });
  assertSchema(
    census,
    [
      `${server}/schema/Users.kt`,
      `${server}/schema/Votes.kt`,
      `${room}/DatabaseMigrations.kt`,
      'api/acme/models/user.py',
      'api/acme/models/__init__.py',
    ],
    [
      `${server}/routes/Votes.kt`,
      `${server}/Application.kt`,
      'server/src/test/kotlin/org/acme/server/schema/UsersTest.kt',
      `${room}/dao/NoteDao.kt`,
      'ui/src/main/kotlin/org/acme/ui/schema/Theme.kt',
      'api/acme/routes/users.py',
      'api/tests/models/__init__.py',
      'worker/worker/models/job.py',
    ],
  );
});

test('a `migration/` folder of numbered files is the schema whatever the language (xorm migrations in Go), not the SQL fixture inside it; one numbered file beside code is not', async () => {
  const census = await censusOf({
    'go.mod': 'module example.com/ci\n\ngo 1.22\n',
    'cmd/server/main.go': 'package main',
    'server/store/datastore/migration/migration.go': 'package migration',
    'server/store/datastore/migration/000_legacy_to_xormigrate.go': 'package migration',
    'server/store/datastore/migration/001_add_org_id.go': 'package migration',
    'server/store/datastore/migration/002_task_data_type.go': 'package migration',
    'server/store/datastore/migration/test-files/postgres.sql': 'CREATE TABLE repos (id integer);',
    'server/store/datastore/repo.go': 'package datastore',
    'tools/migration/001_only.go': 'package migration',
    'tools/migration/main.go': 'package migration',
  });
  assert.deepEqual(
    census.schema.map((s) => s.glob),
    ['server/store/datastore/migration/**'],
  );
  assertSchema(
    census,
    ['server/store/datastore/migration/001_add_org_id.go', 'server/store/datastore/migration/migration.go'],
    ['server/store/datastore/repo.go', 'tools/migration/001_only.go'],
  );
});
