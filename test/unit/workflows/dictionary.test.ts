import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import { readDictionary } from '../../../src/core/census/dictionary/dictionaryFile';
import { readSchemaFile, type SchemaModel } from '../../../src/core/census/dictionary/schemaTables';
import { tempWorkspace } from '../../support/tempWorkspace';
import { DICTIONARY, RESERVATIONS_FILES } from '../../support/workflows/reservations';

test('dictionary: every shape of docs/data/dictionary.md and of the schema is read', () => {
  assert.deepEqual(
    readDictionary(DICTIONARY).map((t) => [t.name, t.line, t.columns]),
    [
      ['reservations', 5, ['id', 'reservation_code', 'status', 'lock_version', 'supplier_code']],
      ['outbox_events', 15, ['id', 'payload', 'created_at']],
      ['reservation_supplier_requests', 20, ['id', 'reservation_id', 'request', 'response']],
      ['receipts', 26, ['id', 'reservation_code']],
    ],
  );
  const model: SchemaModel = new Map();
  readSchemaFile(
    model,
    'prisma/schema.prisma',
    'model User {\n  id Int @id\n  email String @unique @map("email_address")\n  posts Post[]\n  @@map("users")\n}\nmodel Post {\n  id Int @id\n  author User @relation(fields: [authorId], references: [id])\n  authorId Int\n}\n',
  );
  readSchemaFile(
    model,
    'src/db/schema.ts',
    "export const orders = pgTable('orders', {\n  id: serial('id').primaryKey(),\n  total: integer('total_cents'),\n});\n",
  );
  readSchemaFile(
    model,
    'shop/models.py',
    'class Product(models.Model):\n    name = models.CharField(max_length=80)\n    owner = models.ForeignKey(User, on_delete=models.CASCADE)\n\n    class Meta:\n        db_table = "shop_product"\n',
  );
  readSchemaFile(
    model,
    'Api/Migrations/20260101_Init.cs',
    'migrationBuilder.CreateTable(\n    name: "Customers",\n    columns: table => new\n    {\n        Id = table.Column<int>(nullable: false),\n        Name = table.Column<string>(nullable: true)\n    },\n    constraints: table => { });\nmigrationBuilder.AddColumn<string>(name: "Email", table: "Customers", nullable: true);\n',
  );
  assert.deepEqual(
    [...model.values()].map((t) => [t.name, t.aliases, [...t.columns]]),
    [
      ['users', ['User'], ['id', 'email_address']],
      ['Post', [], ['id', 'authorId']],
      ['orders', [], ['id', 'total_cents']],
      ['shop_product', ['Product'], ['id', 'name', 'owner_id']],
      ['Customers', [], ['Id', 'Name', 'Email']],
    ],
  );
});

test('dictionary: a column missing from the dictionary fails with its name; once documented, the check passes', async () => {
  const missing = DICTIONARY.replace("| `supplier_code` | VARCHAR(64) | the supplier's code |\n", '').replace(
    '- payload (JSON): the event\n',
    '- payload (JSON): the event\n- retries\n',
  );
  const ws = await tempWorkspace({ ...RESERVATIONS_FILES, 'docs/data/dictionary.md': missing });
  try {
    const failing = await engine.checkDictionary(ws.dir);
    assert.equal(failing.ok, false);
    assert.deepEqual(failing.schemaFiles, [
      'app/models.py',
      'migrations/001_reservations.sql',
      'migrations/002_supplier_requests.sql',
    ]);
    assert.deepEqual(
      failing.differences.map((d) => d.message),
      [
        'reservations.supplier_code is in the schema (migrations/001_reservations.sql) but not in docs/data/dictionary.md (line 5)',
        'outbox_events.retries is in docs/data/dictionary.md (line 14) but not in the schema (migrations/001_reservations.sql)',
      ],
    );
    await writeFile(join(ws.dir, 'docs/data/dictionary.md'), DICTIONARY);
    const passing = await engine.checkDictionary(ws.dir);
    assert.deepEqual(
      [passing.ok, passing.differences, passing.tables.map((t) => t.name).sort()],
      [true, [], ['outbox_events', 'receipts', 'reservation_supplier_requests', 'reservations']],
    );
  } finally {
    await ws.cleanup();
  }
});

test('dictionary: no dictionary, or a table only one side has, is a difference', async () => {
  const ws = await tempWorkspace({
    ...RESERVATIONS_FILES,
    'docs/data/dictionary.md': `${DICTIONARY}\n### payments\n- id\n`,
  });
  try {
    const extra = await engine.checkDictionary(ws.dir);
    assert.deepEqual(
      extra.differences.map((d) => [d.kind, d.table, d.where]),
      [['table-not-in-schema', 'payments', 'docs/data/dictionary.md:32']],
    );
  } finally {
    await ws.cleanup();
  }
  const bare = await tempWorkspace(RESERVATIONS_FILES);
  try {
    const none = await engine.checkDictionary(bare.dir);
    assert.deepEqual(
      none.differences.map((d) => d.kind),
      ['no-dictionary'],
    );
    assert.match(
      none.differences[0]!.message,
      /docs\/data\/dictionary\.md does not exist: document 4 table\(s\) there/,
    );
  } finally {
    await bare.cleanup();
  }
});
