import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { readSchemaFiles, type SchemaModel } from '../../../src/core/census/dictionary/schemaTables';
import { tempWorkspace } from '../../support/tempWorkspace';

function read(files: Record<string, string>) {
  const model: SchemaModel = new Map();
  const warnings: string[] = [];
  readSchemaFiles(
    model,
    Object.entries(files).map(([file, text]) => ({ file, text })),
    warnings,
  );
  return {
    tables: [...model.values()].filter((t) => t.columns.size > 0).map((t) => [t.name, [...t.columns]]),
    warnings,
  };
}

test('dictionary: a 5 MB models file is read to its end, every class of it', () => {
  const model = (i: number) =>
    `class Item${i}(models.Model):\n    name = models.CharField(max_length=80)\n    price = models.DecimalField(max_digits=8, decimal_places=2)\n\n    class Meta:\n        db_table = "item_${i}"\n\n`;
  const count = Math.ceil((5 * 1024 * 1024) / model(0).length);
  // Lines of spaces between the classes: the indentation-sensitive part of reading Python.
  const text = `from django.db import models\n${Array.from({ length: count }, (_, i) => model(i)).join(`${' '.repeat(40)}\n`)}`;
  assert.ok(text.length >= 5 * 1024 * 1024);
  const { tables, warnings } = read({ 'shop/models.py': text });
  assert.equal(tables.length, count);
  assert.deepEqual(tables[count - 1], [`item_${count - 1}`, ['id', 'name', 'price']]);
  assert.deepEqual(warnings, []);
});

test('dictionary: an unterminated class or parenthesis is a warning naming the file and line; the tables before it are still read', async () => {
  const text =
    'from django.db import models\n\n\nclass Shelf(models.Model):\n    code = models.SlugField(primary_key=True)\n\n\nclass Broken(models.Model:\n    name = models.CharField(max_length=80\n\n\nclass Label(models.Model):\n    text = models.TextField()\n';
  const { tables, warnings } = read({ 'catalog/models.py': text });
  assert.deepEqual(tables[0], ['catalog_shelf', ['code']]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^catalog\/models\.py:8: Python the parser could not fully read from here/);
  // Only an unclosed paren, to the end of a file: still finishes, still names the line.
  const open = read({
    'app/models.py': `class Note(Base):\n    __tablename__ = "notes"\n    id = Column(Integer, primary_key=True)\n    body = Column(${'String(\n'.repeat(2000)}`,
  });
  assert.deepEqual(open.tables, [['notes', ['id', 'body']]]);
  assert.match(open.warnings[0] ?? '', /^app\/models\.py:\d+: /);
  // Through the whole check: the warning is in the report, the check does not stop.
  const ws = await tempWorkspace({
    'catalog/models.py': text,
    'docs/data/dictionary.md': '## catalog_shelf\n- code\n',
  });
  try {
    const report = await engine.checkDictionary(ws.dir);
    assert.equal(report.warnings.length, 1);
    assert.match(report.warnings[0]!, /^catalog\/models\.py:8: /);
    assert.deepEqual(
      report.tables.map((t) => t.name),
      report.tables.map((t) => t.name).filter((name) => name.startsWith('catalog_')),
    );
  } finally {
    await ws.cleanup();
  }
});

test('dictionary: an EF Core operation never closed is a warning with its line; a Prisma model never closed ends the file without hanging', () => {
  const ef =
    'public partial class Init : Migration {\n  protected override void Up(MigrationBuilder migrationBuilder) {\n    migrationBuilder.CreateTable(name: "a", columns: table => new { Id = table.Column<int>(nullable: false) });\n    migrationBuilder.CreateTable(name: "b", columns: table => new { Id = table.Column<int>(\n';
  const { tables, warnings } = read({
    'Api/Migrations/1_Init.cs': ef,
    'prisma/schema.prisma': `model Open {\n  id Int @id\n${'  name String\n'.repeat(50000)}`,
  });
  assert.deepEqual(tables, [['a', ['Id']]]);
  assert.deepEqual(warnings, [
    'Api/Migrations/1_Init.cs:4: CreateTable( is never closed; the operations from there on are not compared',
  ]);
});
