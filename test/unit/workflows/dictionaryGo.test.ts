import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { findSchema } from '../../../src/core/census/schema/schemaContent';
import { tempWorkspace } from '../../support/tempWorkspace';

const tablesOf = (report: Awaited<ReturnType<typeof engine.checkDictionary>>) =>
  Object.fromEntries(report.tables.map((t) => [t.name, t.columns]));

/** A RealWorld (Conduit) Go app's GORM models, written for this test, in two packages. */
const GORM_FILES: Record<string, string> = {
  'go.mod': 'module example.com/conduit\n\ngo 1.22\n\nrequire gorm.io/gorm v1.25.10\n',
  'users/models.go': `package users

import (
	"time"

	"gorm.io/gorm"
)

type UserModel struct {
	ID           uint    \`gorm:"primaryKey"\`
	Username     string  \`gorm:"column:username;uniqueIndex"\`
	Email        string  \`gorm:"uniqueIndex"\`
	Image        *string
	PasswordHash string  \`gorm:"column:password;not null"\`
	LastLoginAt  *time.Time
	cache        string
	Session      string \`gorm:"-"\`
}

// FollowModel: who follows whom. Its table is named by TableName.
type FollowModel struct {
	gorm.Model
	Following     UserModel
	FollowingID   uint
	FollowedBy    UserModel
	FollowedByID  uint
}

func (FollowModel) TableName() string {
	return "follows"
}

// A request payload, not a model: no gorm tag, no gorm.Model.
type LoginValidator struct {
	Email    string \`json:"email"\`
	Password string \`json:"password"\`
}
`,
  'articles/models.go': `package articles

import (
	"example.com/conduit/users"
	"gorm.io/gorm"
)

type Audit struct {
	CreatedBy string
	UpdatedBy string
}

type ArticleModel struct {
	gorm.Model
	Audit
	Slug        string         \`gorm:"uniqueIndex"\`
	Title, Body string
	HTTPStatus  int
	Author      users.UserModel
	AuthorID    uint
	Tags        []TagModel     \`gorm:"many2many:article_tags;"\`
	Comments    []CommentModel \`gorm:"foreignKey:ArticleID"\`
	Raw         []byte
}

type TagModel struct {
	gorm.Model
	Tag      string \`gorm:"uniqueIndex"\`
}

type CommentModel struct {
	gorm.Model
	Article   ArticleModel
	ArticleID uint
	Body      string \`gorm:"size:2048"\`
}

type Category struct {
	ID   uint \`gorm:"primaryKey"\`
	Name string
}
`,
  'articles/models_test.go': 'package articles\n\ntype FakeModel struct {\n\tgorm.Model\n\tX string\n}\n',
  'articles/routers.go': 'package articles\n\ntype ArticleRequest struct {\n\tTitle string `gorm:"column:nope"`\n}\n',
};

test('dictionary: GORM models — gorm.Model, snake_case plural table names, TableName(), column tags, embedded structs, relations and gorm:"-" skipped', async () => {
  const ws = await tempWorkspace({
    ...GORM_FILES,
    'docs/data/dictionary.md': '## user_models\n- id\n- username\n- email\n- image\n- last_login_at\n',
  });
  try {
    const census = await findSchema(ws.dir, Object.keys(GORM_FILES));
    assert.deepEqual(census.globs, ['articles/models.go', 'users/models.go']);
    const report = await engine.checkDictionary(ws.dir);
    assert.deepEqual(report.schemaFiles, ['articles/models.go', 'users/models.go']);
    assert.deepEqual(tablesOf(report), {
      article_models: [
        'id',
        'created_at',
        'updated_at',
        'deleted_at',
        'created_by',
        'updated_by',
        'slug',
        'title',
        'body',
        'http_status',
        'author_id',
        'raw',
      ],
      tag_models: ['id', 'created_at', 'updated_at', 'deleted_at', 'tag'],
      comment_models: ['id', 'created_at', 'updated_at', 'deleted_at', 'article_id', 'body'],
      categories: ['id', 'name'],
      user_models: ['id', 'username', 'email', 'image', 'password', 'last_login_at'],
      follows: ['id', 'created_at', 'updated_at', 'deleted_at', 'following_id', 'followed_by_id'],
    });
    assert.deepEqual(report.warnings, []);
    assert.deepEqual(
      report.differences.filter((d) => d.table === 'user_models').map((d) => d.message),
      ['user_models.password is in the schema (users/models.go) but not in docs/data/dictionary.md (line 1)'],
    );
  } finally {
    await ws.cleanup();
  }
});

test('dictionary: golang-migrate down files and goose / dbmate Down sections are not read; an unclosed Go struct is a warning with its line', async () => {
  const ws = await tempWorkspace({
    'migrations/000001_users.up.sql': 'CREATE TABLE users (id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL);\n',
    'migrations/000001_users.down.sql': 'DROP TABLE users;\n',
    'migrations/000002_bio.up.sql': 'ALTER TABLE users ADD COLUMN bio TEXT;\n',
    'migrations/000002_bio.down.sql': 'ALTER TABLE users DROP COLUMN email;\n',
    'db/goose/20240101_tags.sql':
      '-- +goose Up\nCREATE TABLE tags (id INT, name TEXT);\n-- +goose Down\nDROP TABLE tags;\n',
    'db/migrations/20240102_notes.sql':
      '-- migrate:up\nCREATE TABLE notes (id INT, body TEXT);\n\n-- migrate:down\nDROP TABLE notes;\n',
    'models/broken.go':
      'package models\n\nimport "gorm.io/gorm"\n\ntype Note struct {\n\tgorm.Model\n\tBody string `gorm:"size:10"`\n',
  });
  try {
    const report = await engine.checkDictionary(ws.dir);
    assert.deepEqual(tablesOf(report), { notes: ['id', 'body'], tags: ['id', 'name'], users: ['id', 'email', 'bio'] });
    assert.deepEqual(report.warnings, ['models/broken.go:5: struct Note is never closed; it is not compared']);
  } finally {
    await ws.cleanup();
  }
});
