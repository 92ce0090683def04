import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { tempWorkspace } from '../../support/tempWorkspace';

const tablesOf = (report: Awaited<ReturnType<typeof engine.checkDictionary>>) =>
  Object.fromEntries(report.tables.map((t) => [t.name, t.columns]));

/** A RealWorld (Conduit) Laravel app's migrations, written for this test, in their date order. */
const MIGRATIONS: Record<string, string> = {
  'database/migrations/2024_01_01_000000_create_users_table.php': `<?php
use Illuminate\\Database\\Migrations\\Migration;
use Illuminate\\Database\\Schema\\Blueprint;
use Illuminate\\Support\\Facades\\Schema;

return new class extends Migration
{
    public function up(): void
    {
        Schema::create('users', function (Blueprint $table) {
            $table->id();
            $table->string('username')->unique();
            $table->string("email", 191); // "not_a_column"
            $table->string('password');
            $table->text('bio')->nullable();
            $table->rememberToken();
            $table->timestamps();
        });
    }

    public function down(): void
    {
        Schema::dropIfExists('users');
    }
};
`,
  'database/migrations/2024_01_02_000000_create_articles_table.php': `<?php
return new class extends Migration {
    public function up()
    {
        Schema::create('articles', function (Blueprint $t) {
            $t->uuid('id')->primary();
            $t->foreignId('author_id')->constrained('users')->cascadeOnDelete();
            $t->foreignIdFor(\\App\\Models\\TeamMember::class);
            $t->string('slug')->unique();
            $t->string('title');
            $t->text('body');
            $t->morphs('commentable');
            $t->softDeletes();
            $t->timestamps();
            $t->index(['slug', 'title']);
        });
        Schema::create('drafts', fn (Blueprint $table) => $table->string('title'));
    }
};
`,
  'database/migrations/2024_01_03_000000_change_tables.php': `<?php
return new class extends Migration {
    public function up()
    {
        Schema::table('users', function (Blueprint $table) {
            $table->string('image')->nullable()->after('bio');
            $table->dropColumn(['password', 'remember_token']);
            $table->renameColumn('bio', 'about');
        });
        Schema::table('articles', function (Blueprint $table) {
            $table->dropMorphs('commentable');
            $table->dropSoftDeletes();
            $table->dropColumn('team_member_id');
        });
        Schema::rename('drafts', 'article_drafts');
        Schema::connection('pgsql')->drop('password_resets');
    }

    public function down()
    {
        Schema::table('users', function (Blueprint $table) {
            $table->string('never_up');
        });
    }
};
`,
};

test('dictionary: Laravel migrations in file-name order — Blueprint helpers, Schema::table changes, rename, drop, only up()', async () => {
  const ws = await tempWorkspace({
    ...MIGRATIONS,
    'app/Models/User.php': '<?php\nclass User extends Model { protected $table = "users"; }\n',
    artisan: '#!/usr/bin/env php\n',
    'docs/data/dictionary.md':
      '## users\n| Column | Type |\n|---|---|\n| id | bigint |\n| username | varchar |\n| email | varchar |\n| about | text |\n| created_at | timestamp |\n| updated_at | timestamp |\n| never_up | text |\n',
  });
  try {
    const report = await engine.checkDictionary(ws.dir);
    assert.deepEqual(report.schemaFiles, Object.keys(MIGRATIONS));
    assert.deepEqual(tablesOf(report), {
      users: ['id', 'username', 'email', 'created_at', 'updated_at', 'image', 'about'],
      articles: ['id', 'author_id', 'slug', 'title', 'body', 'created_at', 'updated_at'],
      article_drafts: ['title'],
    });
    assert.deepEqual(report.warnings, []);
    assert.deepEqual(
      report.differences.filter((d) => d.table === 'users').map((d) => d.message),
      [
        'users.image is in the schema (database/migrations/2024_01_01_000000_create_users_table.php) but not in docs/data/dictionary.md (line 1)',
        'users.never_up is in docs/data/dictionary.md (line 1) but not in the schema (database/migrations/2024_01_01_000000_create_users_table.php)',
      ],
    );
  } finally {
    await ws.cleanup();
  }
});

test('dictionary: a Laravel Schema::create never closed, or a column named by a variable, is a warning with its line', async () => {
  const ws = await tempWorkspace({
    'database/migrations/2024_01_01_000000_a.php':
      "<?php\nreturn new class extends Migration {\n    public function up()\n    {\n        Schema::create('notes', function (Blueprint $table) {\n            $table->id();\n            $table->string($name);\n        });\n        Schema::create('broken', function (Blueprint $table) {\n            $table->id(\n",
  });
  try {
    const report = await engine.checkDictionary(ws.dir);
    assert.deepEqual(tablesOf(report), { notes: ['id'] });
    assert.deepEqual(report.warnings, [
      'database/migrations/2024_01_01_000000_a.php:7: $table->string() with a column name that is not a literal; it is not compared',
      'database/migrations/2024_01_01_000000_a.php:9: Schema::create( is never closed; the migration from there on is not compared',
    ]);
  } finally {
    await ws.cleanup();
  }
});
