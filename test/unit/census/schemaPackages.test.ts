import assert from 'node:assert/strict';
import { test } from 'node:test';
import picomatch from 'picomatch';
import type { Census } from '../../../src/core/census/types';
import { censusOf, json, layer } from '../../support/census';

const inSchema = (census: Census, file: string) =>
  picomatch(
    census.schema.map((s) => s.glob),
    { dot: true },
  )(file);
const kt = (pkg: string, body: string) => `package ${pkg}\n\n${body}\n`;

/** The package holding the schema is the database layer: it owns the files, and `schema:` covers them and nothing else of it. */
function assertDatabasePackage(census: Census, dir: string, schemaFiles: string[], notSchema: string[]): void {
  const database = layer(census, 'database');
  assert.equal(database.role, 'database');
  assert.deepEqual(database.owns, [`${dir}/**`]);
  for (const file of schemaFiles)
    assert.ok(inSchema(census, file), `${file} in ${census.schema.map((s) => s.glob).join(', ')}`);
  for (const file of notSchema) assert.ok(!inSchema(census, file), `${file} is no schema`);
}

test('Drizzle: a db package of a turborepo (schema.ts, no drizzle/ folder) is the database layer', async () => {
  const census = await censusOf({
    'package.json': json({
      private: true,
      scripts: { lint: 'turbo run lint', typecheck: 'turbo run typecheck' },
      devDependencies: { turbo: '2' },
    }),
    'pnpm-workspace.yaml': 'packages:\n  - apps/*\n  - packages/*\n',
    'pnpm-lock.yaml': '',
    'apps/web/package.json': json({
      name: '@acme/web',
      scripts: { lint: 'eslint', typecheck: 'tsc --noEmit' },
      dependencies: { next: '15', '@acme/db': 'workspace:*' },
    }),
    'apps/web/src/app/page.tsx': 'export default function Page() { return null; }',
    'packages/db/package.json': json({
      name: '@acme/db',
      exports: { '.': './src/index.ts' },
      scripts: { lint: 'eslint', typecheck: 'tsc --noEmit', push: 'drizzle-kit push' },
      dependencies: { 'drizzle-orm': '0.44' },
    }),
    'packages/db/drizzle.config.ts': "export default { schema: './src/schema.ts', dialect: 'postgresql' };",
    'packages/db/src/schema.ts':
      "import { pgTable } from 'drizzle-orm/pg-core';\nexport const Post = pgTable('post', (t) => ({ id: t.uuid().primaryKey() }));\n",
    'packages/db/src/client.ts': "import { drizzle } from 'drizzle-orm/vercel-postgres';\n",
    'packages/ui/package.json': json({
      name: '@acme/ui',
      exports: { '.': './src/index.ts' },
      peerDependencies: { react: '19' },
      scripts: { lint: 'eslint' },
    }),
    'packages/ui/src/index.tsx': 'export const Button = () => null;',
  });
  assertDatabasePackage(census, 'packages/db', ['packages/db/src/schema.ts'], ['packages/db/src/client.ts']);
  assert.deepEqual(
    layer(census, 'database').validate.map((v) => v.command),
    ['pnpm --filter @acme/db typecheck', 'pnpm --filter @acme/db lint'],
  );
  assert.deepEqual(layer(census, 'frontend').after, ['database']);
});

test('Room: entities, the database and hand-written migrations in Kotlin, in a core:database module with no exported schemas', async () => {
  const base = 'core/database/src/main/kotlin/com/acme/notes/core/database';
  const census = await censusOf({
    'settings.gradle.kts': 'rootProject.name = "notes"\ninclude(":app")\ninclude(":core:database")\n',
    'build.gradle.kts': 'plugins {\n  alias(libs.plugins.android.application) apply false\n}\n',
    'app/build.gradle.kts':
      'plugins { id("com.android.application") }\ndependencies { implementation(project(":core:database")) }\n',
    'app/src/main/kotlin/com/acme/notes/MainActivity.kt': kt('com.acme.notes', 'class MainActivity'),
    'core/database/build.gradle.kts':
      'plugins { id("com.android.library"); id("com.google.devtools.ksp") }\ndependencies { implementation(libs.room.runtime); ksp(libs.room.compiler) }\n',
    [`${base}/NotesDatabase.kt`]: kt(
      'com.acme.notes.core.database',
      'import androidx.room.Database\nimport androidx.room.RoomDatabase\n\n@Database(entities = [NoteEntity::class], version = 3, exportSchema = false)\nabstract class NotesDatabase : RoomDatabase()',
    ),
    [`${base}/Migrations.kt`]: kt(
      'com.acme.notes.core.database',
      'import androidx.room.migration.Migration\nimport androidx.sqlite.db.SupportSQLiteDatabase\n\nval MIGRATION_2_3 = object : Migration(2, 3) {\n  override fun migrate(db: SupportSQLiteDatabase) {\n    db.execSQL("ALTER TABLE notes ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0")\n  }\n}',
    ),
    [`${base}/model/NoteEntity.kt`]: kt(
      'com.acme.notes.core.database.model',
      'import androidx.room.Entity\nimport androidx.room.PrimaryKey\n\n@Entity(tableName = "notes")\ndata class NoteEntity(@PrimaryKey val id: String, val title: String)',
    ),
    [`${base}/dao/NoteDao.kt`]: kt(
      'com.acme.notes.core.database.dao',
      'import androidx.room.Dao\nimport androidx.room.Query\n\n@Dao\ninterface NoteDao { @Query("SELECT * FROM notes") fun all(): List<NoteEntity> }',
    ),
  });
  assertDatabasePackage(
    census,
    'core/database',
    [`${base}/NotesDatabase.kt`, `${base}/Migrations.kt`, `${base}/model/NoteEntity.kt`],
    [`${base}/dao/NoteDao.kt`],
  );
});

test('Exposed tables in a persistence module of a Ktor build', async () => {
  const tables = 'persistence/src/main/kotlin/com/acme/shop/persistence/Tables.kt';
  const census = await censusOf({
    'settings.gradle.kts': 'rootProject.name = "shop"\ninclude("server", "persistence")\n',
    'server/build.gradle.kts':
      'plugins { kotlin("jvm"); id("io.ktor.plugin") }\ndependencies { implementation(project(":persistence")); implementation("io.ktor:ktor-server-core:3.0.0") }\n',
    'server/src/main/kotlin/com/acme/shop/Application.kt': kt(
      'com.acme.shop',
      'fun main() { embeddedServer(Netty, port = 8080) {}.start(wait = true) }',
    ),
    'persistence/build.gradle.kts':
      'plugins { kotlin("jvm") }\ndependencies { implementation("org.jetbrains.exposed:exposed-core:0.55.0") }\n',
    [tables]: kt(
      'com.acme.shop.persistence',
      'import org.jetbrains.exposed.dao.id.IntIdTable\nimport org.jetbrains.exposed.sql.Table\n\nobject Customers : IntIdTable("customers") {\n  val name = varchar("name", 100)\n}\n\nobject OrderLines : Table("order_lines") {\n  val sku = varchar("sku", 32)\n}',
    ),
    'persistence/src/main/kotlin/com/acme/shop/persistence/CustomerRepository.kt': kt(
      'com.acme.shop.persistence',
      'import org.jetbrains.exposed.sql.selectAll\n\nclass CustomerRepository { fun all() = Customers.selectAll() }',
    ),
  });
  assertDatabasePackage(
    census,
    'persistence',
    [tables],
    ['persistence/src/main/kotlin/com/acme/shop/persistence/CustomerRepository.kt'],
  );
  assert.deepEqual(layer(census, 'backend').after, ['database']);
});

test('Liquibase XML changelogs kept away from db/changelog (a JHipster-like liquibase/ folder) in a Maven module of their own', async () => {
  const census = await censusOf({
    'pom.xml':
      '<project><artifactId>shop-parent</artifactId><packaging>pom</packaging><modules><module>shop-app</module><module>shop-db</module></modules></project>',
    'shop-app/pom.xml':
      '<project><parent><artifactId>shop-parent</artifactId></parent><artifactId>shop-app</artifactId><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>',
    'shop-app/src/main/java/com/acme/shop/ShopApplication.java':
      'package com.acme.shop; @SpringBootApplication public class ShopApplication {}',
    'shop-db/pom.xml':
      '<project><parent><artifactId>shop-parent</artifactId></parent><artifactId>shop-db</artifactId><dependencies><dependency><artifactId>liquibase-core</artifactId></dependency></dependencies></project>',
    'shop-db/src/main/resources/liquibase/master.xml':
      '<?xml version="1.0" encoding="UTF-8"?>\n<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">\n  <include file="changelog/20260101_added_entity_Customer.xml" relativeToChangelogFile="true"/>\n</databaseChangeLog>\n',
    'shop-db/src/main/resources/liquibase/changelog/20260101_added_entity_Customer.xml':
      '<?xml version="1.0" encoding="UTF-8"?>\n<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">\n  <changeSet id="1" author="dev">\n    <createTable tableName="customer"><column name="id" type="bigint"/></createTable>\n  </changeSet>\n</databaseChangeLog>\n',
    'shop-db/src/main/java/com/acme/shop/db/CustomerQueries.java':
      'package com.acme.shop.db; public class CustomerQueries {}',
    // A changelog in YAML in the app itself stays the app's.
    'shop-app/src/main/resources/changelogs/audit.yaml': 'databaseChangeLog:\n  - changeSet:\n      id: audit-1\n',
  });
  assertDatabasePackage(
    census,
    'shop-db',
    [
      'shop-db/src/main/resources/liquibase/changelog/20260101_added_entity_Customer.xml',
      'shop-db/src/main/resources/liquibase/master.xml',
    ],
    ['shop-db/src/main/java/com/acme/shop/db/CustomerQueries.java'],
  );
  assert.ok(inSchema(census, 'shop-app/src/main/resources/changelogs/audit.yaml'));
  assert.equal(layer(census, 'backend').owns[0], 'shop-app/**');
});

test('a package named for a schema that is no database (a GraphQL schema) keeps its own name', async () => {
  const census = await censusOf({
    'package.json': json({ private: true, workspaces: ['packages/*'] }),
    'package-lock.json': '{}',
    'packages/graphql-schema/package.json': json({
      name: '@acme/graphql-schema',
      main: 'index.js',
      scripts: { lint: 'eslint .' },
    }),
    'packages/graphql-schema/schema.graphql': 'type Query { hello: String }',
    'packages/graphql-schema/index.js': 'module.exports = {};',
  });
  assert.deepEqual(
    census.layers.map((l) => [l.name, l.role]),
    [['graphql-schema', undefined]],
  );
});
