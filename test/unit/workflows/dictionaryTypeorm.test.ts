import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { findSchema } from '../../../src/core/census/schema/schemaContent';
import { tempWorkspace } from '../../support/tempWorkspace';

const tablesOf = (report: Awaited<ReturnType<typeof engine.checkDictionary>>) =>
  Object.fromEntries(report.tables.map((t) => [t.name, t.columns]));

/** A RealWorld (Conduit) NestJS app's TypeORM entities, written for this test. */
const FILES: Record<string, string> = {
  'package.json': '{ "name": "conduit", "dependencies": { "typeorm": "0.3.20" } }\n',
  'src/common/base.entity.ts': `import { CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export abstract class BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
`,
  'src/user/user.entity.ts': `import { Column, Entity, OneToMany, OneToOne, JoinColumn } from 'typeorm';
import { BaseEntity } from '../common/base.entity';
import { ArticleEntity } from '../article/article.entity';

@Entity('user')
export class UserEntity extends BaseEntity {
  @Column()
  username: string;

  @Column({ unique: true })
  email: string;

  @Column({ default: '' })
  bio: string;

  @Column({ name: 'password_hash', select: false })
  password: string;

  @OneToMany(() => ArticleEntity, (article) => article.author)
  articles: ArticleEntity[];

  @OneToOne(() => ProfileEntity)
  @JoinColumn()
  profile: ProfileEntity;

  // A plain property: no column.
  token?: string;

  toJSON() {
    const { password, ...rest } = this;
    return rest;
  }
}
`,
  'src/article/article.entity.ts': `import { Column, Entity, JoinColumn, JoinTable, ManyToMany, ManyToOne, RelationId } from 'typeorm';

@Entity({ name: 'articles' })
export class ArticleEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('varchar', { length: 200 })
  title: string;

  @Column('text') body: string;

  @ManyToOne(() => UserEntity, (user) => user.articles, { eager: true })
  author: UserEntity;

  @RelationId((article: ArticleEntity) => article.author)
  authorId2: string;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'editor_ref' })
  editor: UserEntity;

  @ManyToMany(() => TagEntity)
  @JoinTable()
  tags: TagEntity[];
}

@Entity()
export class ArticleTagLink {
  @PrimaryColumn() articleId: number;
  @PrimaryColumn() tagName: string;
  @DeleteDateColumn() deletedAt?: Date;
}
`,
};

test('dictionary: TypeORM entities — @Entity names or the snake_case class name, columns by property or name:, base-class columns, ManyToOne foreign keys, relations without join columns skipped', async () => {
  const ws = await tempWorkspace({
    ...FILES,
    'docs/data/dictionary.md': '## user\n- id\n- created_at\n- updatedAt\n- username\n- email\n- bio\n- profileId\n',
  });
  try {
    const census = await findSchema(ws.dir, Object.keys(FILES));
    assert.deepEqual(census.globs, [
      'src/article/article.entity.ts',
      'src/common/base.entity.ts',
      'src/user/user.entity.ts',
    ]);
    const report = await engine.checkDictionary(ws.dir);
    assert.deepEqual(tablesOf(report), {
      articles: ['id', 'title', 'body', 'authorId', 'editor_ref'],
      article_tag_link: ['articleId', 'tagName', 'deletedAt'],
      user: ['id', 'created_at', 'updatedAt', 'username', 'email', 'bio', 'password_hash', 'profileId'],
    });
    assert.deepEqual(report.warnings, []);
    assert.deepEqual(
      report.differences.filter((d) => d.table === 'user').map((d) => d.message),
      ['user.password_hash is in the schema (src/user/user.entity.ts) but not in docs/data/dictionary.md (line 1)'],
    );
  } finally {
    await ws.cleanup();
  }
});

test('dictionary: a TypeORM class never closed is a warning with its line; a 5 MB entities file is read to its end', async () => {
  const one = (i: number) =>
    `@Entity('item_${i}')\nexport class Item${i} {\n  @PrimaryGeneratedColumn() id: number;\n  @Column({ length: 80 }) name: string;\n}\n\n`;
  const count = Math.ceil((5 * 1024 * 1024) / one(0).length);
  const ws = await tempWorkspace({
    'src/entities/items.ts': `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n${Array.from({ length: count }, (_, i) => one(i)).join('')}`,
    'src/entities/broken.entity.ts':
      "import { Column, Entity } from 'typeorm';\n\n@Entity()\nexport class Note {\n  @Column() body: string;\n  @Column({ name: 'x'\n",
  });
  try {
    const report = await engine.checkDictionary(ws.dir);
    assert.equal(report.tables.length, count);
    assert.deepEqual(report.tables[count - 1], {
      name: `item_${count - 1}`,
      columns: ['id', 'name'],
      file: 'src/entities/items.ts',
    });
    assert.deepEqual(report.warnings, [
      'src/entities/broken.entity.ts:4: class Note is never closed; it is not compared',
    ]);
  } finally {
    await ws.cleanup();
  }
});
