// COMPLETE writes each registry back in its own version and shape, keeping unknown keys,
// key order and layout; it never converts a file to our shape.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadRegistry } from '../../../src/core/project/registry/registry';
import { saveRegistry, upsertEntity } from '../../../src/core/project/registry/registryWrite';
import { tempWorkspace } from '../../support/tempWorkspace';

const FIXTURES = join(__dirname, '../../fixtures/registry');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
/** The fixture as Mustard's scripts write it: JSON.stringify(…, null, 2) and a newline. */
const asWritten = (name: string): string => `${JSON.stringify(JSON.parse(fixture(name)), null, 2)}\n`;

type Doc = Record<string, unknown> & { e: Record<string, unknown> };

async function afterUpsert(
  files: Record<string, string>,
  change: (registry: Awaited<ReturnType<typeof loadRegistry>>) => void,
  read = '.claude/entity-registry.json',
): Promise<{ text: string; doc: Doc; dir: string; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = await tempWorkspace(files);
  const registry = await loadRegistry(dir);
  change(registry);
  await saveRegistry(dir, registry);
  const text = await readFile(join(dir, read), 'utf8');
  return { text, doc: JSON.parse(text) as Doc, dir, cleanup };
}

test('3.1 keeps its version, `sub`, no empty lists, no `pattern`, sorted entities and unknown keys; byte for byte otherwise', async () => {
  const original = asWritten('v3.1-sub.json');
  const { text, doc, cleanup } = await afterUpsert({ '.claude/entity-registry.json': original }, (registry) => {
    assert.equal(
      upsertEntity(registry, 'Invoice', { refs: ['Customer', 'Order'], pattern: 'withSubItems' }),
      'Invoice',
    );
    assert.equal(upsertEntity(registry, 'order', { refs: ['Customer', 'Product'], pattern: 'withSubItems' }), 'Order');
  });
  try {
    const expected = JSON.parse(original) as Doc;
    expected.e.Order = { refs: ['Customer', 'Product'], sub: ['OrderLine'], owner: 'sales-team' };
    expected.e = Object.fromEntries(
      Object.entries({ ...expected.e, Invoice: { refs: ['Customer', 'Order'] } }).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    assert.equal(text, `${JSON.stringify(expected, null, 2)}\n`);
    assert.deepEqual(Object.keys(doc.e).slice(4, 7), ['CustomerContact', 'Invoice', 'Order']);
    assert.deepEqual((doc._meta as { version: string }).version, '3.1');
    assert.equal(doc._syncedFrom, 'apps/api/src/entities');
  } finally {
    await cleanup();
  }
});

test('4.0 writes refs as wikilinks, knows a ref it already has in another spelling, appends to unsorted entities', async () => {
  const { doc, cleanup } = await afterUpsert(
    { '.claude/entity-registry.json': fixture('v4.0-languages.json') },
    (registry) => {
      upsertEntity(registry, 'Invoice', { refs: ['Project'] });
      upsertEntity(registry, 'SpecRow', { refs: ['Project', 'Milestone', 'ReviewNote'] });
    },
  );
  try {
    assert.deepEqual(doc.e.Invoice, { refs: ['[[Project]]'] });
    assert.equal(Object.keys(doc.e).at(-1), 'Invoice');
    assert.deepEqual((doc.e.SpecRow as { refs: string[] }).refs, [
      '[[Project]]',
      'Workspace',
      '[[dashboard.entity.review-note]]',
      '[[Ghost]]',
      '[[billing.entity.invoice]]',
      '[[Milestone]]',
    ]);
    const original = JSON.parse(fixture('v4.0-languages.json')) as Doc;
    assert.deepEqual(doc._patterns, original._patterns);
    assert.deepEqual(doc._enums, original._enums);
    assert.deepEqual(doc._meta, original._meta);
  } finally {
    await cleanup();
  }
});

test('2.1: a new entity is `1` (all defaults); flag entries have no refs to add; `_k`, `_p`, `_i` untouched', async () => {
  const { doc, cleanup } = await afterUpsert(
    { '.claude/entity-registry.json': fixture('v2.1-flags.json') },
    (registry) => {
      upsertEntity(registry, 'PaymentTerm', { refs: ['Invoice'], pattern: 'simple' });
      upsertEntity(registry, 'Invoice', { refs: ['Company'] });
    },
  );
  try {
    const original = JSON.parse(fixture('v2.1-flags.json')) as Doc;
    assert.equal(doc.e.PaymentTerm, 1);
    assert.deepEqual(doc.e.Invoice, original.e.Invoice);
    delete doc.e.PaymentTerm;
    assert.deepEqual(doc, original);
  } finally {
    await cleanup();
  }
});

test('2.1 on one line, no final newline: `_m.n` counts the new entity, the layout stays', async () => {
  const { text, cleanup } = await afterUpsert(
    { '.claude/entity-registry.json': fixture('v2.1-compact-meta.json').trimEnd() },
    (registry) => {
      upsertEntity(registry, 'Region', {});
    },
  );
  try {
    assert.equal(
      text,
      '{"_m":{"v":"2.1","n":3,"at":"2026-01-20T08:00:00.000Z"},"_p":{"be":"src/modules/{e}/"},"e":{"Company":1,"Branch":{"sub":"Company"},"Region":1}}',
    );
  } finally {
    await cleanup();
  }
});

test('an empty skeleton without a final newline stays without one; tabs stay tabs', async () => {
  const { text, cleanup } = await afterUpsert(
    { '.claude/entity-registry.json': '{\n\t"_patterns": {},\n\t"_enums": {},\n\t"e": {}\n}' },
    (registry) => {
      upsertEntity(registry, 'Tag', { refs: [] });
    },
  );
  try {
    assert.equal(
      text,
      '{\n\t"_patterns": {},\n\t"_enums": {},\n\t"e": {\n\t\t"Tag": {\n\t\t\t"refs": [],\n\t\t\t"subs": []\n\t\t}\n\t}\n}',
    );
  } finally {
    await cleanup();
  }
});

test("a subproject's entity is written to its own registry; a new one goes to the subproject asked for; the root is not rewritten", async () => {
  const root = fixture('v3.1-sub.json');
  const files = {
    '.claude/entity-registry.json': root,
    'apps/dashboard/.claude/entity-registry.json': fixture('v4.0-languages.json'),
  };
  const { doc, dir, cleanup } = await afterUpsert(
    files,
    (registry) => {
      upsertEntity(registry, 'SpecRow', { refs: ['Customer'] });
      upsertEntity(registry, 'Chart', { refs: ['SpecRow'] }, { project: 'apps/dashboard' });
    },
    'apps/dashboard/.claude/entity-registry.json',
  );
  try {
    assert.ok((doc.e.SpecRow as { refs: string[] }).refs.includes('[[Customer]]'));
    assert.deepEqual(doc.e.Chart, { refs: ['[[SpecRow]]'] });
    assert.equal(await readFile(join(dir, '.claude/entity-registry.json'), 'utf8'), root);
  } finally {
    await cleanup();
  }
});

test('entities kept as a list of {name} objects get one more object', async () => {
  const { doc, cleanup } = await afterUpsert(
    { '.claude/entity-registry.json': '{"entities":[{"name":"A","refs":[]}]}\n' },
    (registry) => {
      upsertEntity(registry, 'B', { refs: ['A'] });
    },
  );
  try {
    assert.deepEqual(doc, {
      entities: [
        { name: 'A', refs: [] },
        { name: 'B', refs: ['A'], subs: [] },
      ],
    });
  } finally {
    await cleanup();
  }
});
