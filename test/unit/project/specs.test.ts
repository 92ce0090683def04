import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { ProjectFileError } from '../../../src/core/project/sources/errors';
import {
  approveSpec,
  createSpec,
  listSpecs,
  loadSpec,
  moveToCompleted,
  replaceSpecBody,
  sanitizeSlug,
  tasksByLayer,
  updateSpecStatus,
} from '../../../src/core/project/specs/specs';
import { inTempWorkspace, tempWorkspace } from '../../support/tempWorkspace';

const at = (iso: string) => () => new Date(iso);

const CONTENT = {
  summary: 'Customers can be exported to CSV.',
  entityInfo: { pattern: 'simple', references: ['Country'], type: 'Modification' as const },
  files: {
    backend: [{ path: 'server/customers/export.ts', description: 'CSV export endpoint' }],
    frontend: [{ path: 'web/customers/ExportButton.tsx', description: 'button' }],
  },
  tasks: ['Add the export endpoint', 'Add the button'],
  dependencies: ['csv-stringify'],
};

test('slugs are sanitised to [a-z0-9-]', () => {
  assert.equal(sanitizeSlug('Exportação de Clientes (CSV)!'), 'exportacao-de-clientes-csv');
  assert.equal(sanitizeSlug('../../etc/passwd'), 'etc-passwd');
  assert.equal(sanitizeSlug('???'), 'spec');
  assert.ok(sanitizeSlug('a'.repeat(100)).length <= 60);
});

test('createSpec writes front matter and the rendered template; ids never collide', async () => {
  await inTempWorkspace({}, async (dir) => {
    const clock = at('2026-03-01T23:59:30.000Z');
    const spec = await createSpec(
      dir,
      {
        title: 'Customer export',
        kind: 'feature',
        entity: 'Customer',
        pattern: 'simple',
        layers: ['backend', 'frontend'],
        content: CONTENT,
      },
      { clock },
    );
    assert.equal(spec.id, '2026-03-01-customer-export');
    assert.equal(spec.path, 'spec/active/2026-03-01-customer-export/spec.md');
    const text = await readFile(join(dir, spec.path), 'utf8');
    assert.match(
      text,
      /^---\nid: 2026-03-01-customer-export\ntitle: Customer export\nkind: feature\nstatus: awaiting-approval\nentity: Customer\npattern: simple\nlayers:\n {2}- backend\n {2}- frontend\ncreated: 2026-03-01T23:59:30.000Z\napproved: null\n---\n\n## Spec: Customer export\n/,
    );
    assert.match(text, /### Date: 2026-03-01\n### Status: awaiting-approval\n/);
    assert.match(text, /### Entity Info\n- Pattern: simple\n- References: Country\n- Type: Modification\n/);
    assert.match(text, /#### Backend\n- \[ \] server\/customers\/export\.ts: CSV export endpoint\n/);
    assert.match(text, /### Tasks\n1\. \[ \] Add the export endpoint\n2\. \[ \] Add the button\n/);
    assert.match(text, /### Dependencies\n- csv-stringify\n$/);

    const second = await createSpec(
      dir,
      { title: 'Customer export', kind: 'feature', layers: [], markdown: '# mine\n' },
      { clock },
    );
    assert.equal(second.id, '2026-03-01-customer-export-2');
    await moveToCompleted(dir, second.id);
    const third = await createSpec(
      dir,
      { title: 'x', slug: 'Customer Export', kind: 'bugfix', layers: [], markdown: 'b' },
      { clock },
    );
    assert.equal(third.id, '2026-03-01-customer-export-3');
  });
});

test("the spec agent's markdown is stored verbatim and reads back unchanged", async () => {
  await inTempWorkspace({}, async (dir) => {
    const markdown = '## Spec: Fix login\n\nAnything the agent wrote.\n---\nEven a rule.\n';
    const spec = await createSpec(
      dir,
      { title: 'Fix: login: "quotes"', kind: 'bugfix', layers: ['backend'], markdown },
      { clock: at('2026-01-02T03:04:05Z') },
    );
    const loaded = await loadSpec(dir, spec.id);
    assert.equal(loaded.body, markdown);
    assert.equal(loaded.frontMatter.title, 'Fix: login: "quotes"');
    assert.equal(loaded.frontMatter.created, '2026-01-02T03:04:05.000Z');
    assert.equal(loaded.frontMatter.approved, null);
    assert.equal(loaded.location, 'active');
  });
});

test('lifecycle: save, approve later, implement, complete', async () => {
  await inTempWorkspace({}, async (dir) => {
    const spec = await createSpec(
      dir,
      { title: 'Orders', kind: 'feature', layers: ['database'], content: CONTENT },
      { clock: at('2026-02-10T08:00:00Z') },
    );
    await updateSpecStatus(dir, spec.id, 'saved');
    assert.equal((await loadSpec(dir, spec.id)).frontMatter.status, 'saved');
    const approved = await approveSpec(dir, spec.id, { clock: at('2026-02-12T09:30:00Z') });
    assert.equal(approved.frontMatter.approved, '2026-02-12T09:30:00.000Z');
    const reloaded = await loadSpec(dir, spec.id);
    assert.equal(reloaded.frontMatter.status, 'approved');
    assert.match(reloaded.body, /### Status: approved\n/);
    await updateSpecStatus(dir, spec.id, 'implementing');
    const done = await moveToCompleted(dir, spec.id);
    assert.equal(done.path, `spec/completed/${spec.id}/spec.md`);
    assert.deepEqual(await readdir(join(dir, 'spec/active')), []);
    const completed = await loadSpec(dir, spec.id);
    assert.equal(completed.location, 'completed');
    assert.equal(completed.frontMatter.status, 'completed');
    assert.equal(completed.frontMatter.approved, '2026-02-12T09:30:00.000Z');
    await assert.rejects(approveSpec(dir, spec.id), /already completed/);
    assert.equal((await moveToCompleted(dir, spec.id)).location, 'completed');
  });
});

test('status updates keep comments and unknown front matter keys', async () => {
  await inTempWorkspace(
    {
      'spec/active/2026-04-01-keep/spec.md':
        '---\n# written by hand\nid: 2026-04-01-keep\ntitle: Keep\nkind: feature\nstatus: draft\nentity: null\npattern: null\nlayers: [backend]\ncreated: 2026-04-01T00:00:00Z\napproved: null\nrunId: r-1\n---\n\nBody\n',
    },
    async (dir) => {
      await updateSpecStatus(dir, '2026-04-01-keep', 'stopped');
      const text = await readFile(join(dir, 'spec/active/2026-04-01-keep/spec.md'), 'utf8');
      assert.match(text, /# written by hand\n/);
      assert.match(text, /status: stopped\n/);
      assert.match(text, /runId: r-1\n/);
      assert.ok(text.endsWith('---\n\nBody\n'));
      await replaceSpecBody(dir, '2026-04-01-keep', 'New body\n', 'Kept');
      const loaded = await loadSpec(dir, '2026-04-01-keep');
      assert.equal(loaded.body, 'New body\n');
      assert.equal(loaded.frontMatter.title, 'Kept');
    },
  );
});

test('listSpecs: active then completed, newest first, as SpecInfo', async () => {
  await inTempWorkspace({}, async (dir) => {
    const a = await createSpec(
      dir,
      { title: 'A', kind: 'feature', layers: [], markdown: 'a' },
      { clock: at('2026-01-01T00:00:00Z') },
    );
    const b = await createSpec(
      dir,
      { title: 'B', kind: 'bugfix', layers: [], markdown: 'b' },
      { clock: at('2026-01-03T00:00:00Z') },
    );
    const c = await createSpec(
      dir,
      { title: 'C', kind: 'feature', layers: [], markdown: 'c' },
      { clock: at('2026-01-02T00:00:00Z') },
    );
    await moveToCompleted(dir, a.id);
    await mkdir(join(dir, 'spec/active/notes'));
    await mkdir(join(dir, 'spec/active/2026-01-05-empty'));
    const specs = await listSpecs(dir);
    assert.deepEqual(
      specs.map((s) => s.id),
      [b.id, c.id, a.id],
    );
    assert.deepEqual(specs[0], {
      id: b.id,
      title: 'B',
      kind: 'bugfix',
      status: 'awaiting-approval',
      path: `spec/active/${b.id}/spec.md`,
      created: '2026-01-03T00:00:00.000Z',
    });
    assert.equal(specs[2]?.status, 'completed');
    assert.deepEqual(await listSpecs(join(dir, 'nowhere')), []);
  });
});

async function assertSpecError(frontMatter: string, expected: string): Promise<void> {
  await inTempWorkspace({ 'spec/active/2026-05-01-bad/spec.md': frontMatter }, async (dir) => {
    await assert.rejects(loadSpec(dir, '2026-05-01-bad'), (error: unknown) => {
      assert.ok(error instanceof ProjectFileError, String(error));
      assert.equal(error.message, expected);
      return true;
    });
  });
}

const GOOD_HEAD = 'id: 2026-05-01-bad\ntitle: Bad\nkind: feature\n';

test('broken front matter names spec.md, the line and the key', async () => {
  const file = 'spec/active/2026-05-01-bad/spec.md';
  await assertSpecError(
    `---\n${GOOD_HEAD}status: done\nlayers: []\ncreated: 2026-05-01T00:00:00Z\n---\nbody`,
    `${file}:5:1 status: expected one of "draft", "awaiting-approval", "saved", "approved", "implementing", "completed", "stopped", got "done"`,
  );
  await assertSpecError(
    `---\n${GOOD_HEAD}status: draft\ncreated: 2026-05-01 10:00\n---\nbody`,
    `${file}:6:1 created: expected a UTC ISO-8601 time such as 2026-03-01T09:30:00Z`,
  );
  await assertSpecError(
    `---\n${GOOD_HEAD}status: draft\nkind: bugfix\ncreated: x\n---\n`,
    `${file}:6:1 YAML syntax error: Map keys must be unique`,
  );
  await assertSpecError(
    `---\n${GOOD_HEAD}layers: [a, b\nstatus: draft\n---\n`,
    `${file}:6:1 YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]`,
  );
  await assertSpecError(
    `---\nid: 2026-05-01-other\ntitle: Bad\nkind: feature\nstatus: draft\ncreated: 2026-05-01T00:00:00Z\n---\n`,
    `${file}:2:1 id: "2026-05-01-other" does not match its folder "2026-05-01-bad"`,
  );
  await assertSpecError(
    '## Spec: no front matter\n',
    `${file}:1:1 missing YAML front matter (the file must start with ---)`,
  );
  await assertSpecError(`---\n${GOOD_HEAD}`, `${file}:1:1 front matter is not closed with ---`);
});

test('loadSpec refuses ids that are not spec folder names', async () => {
  await inTempWorkspace({}, async (dir) => {
    await assert.rejects(loadSpec(dir, '../../etc'), /invalid spec id/);
    await assert.rejects(loadSpec(dir, '2026-01-01-missing'), /no spec "2026-01-01-missing"/);
  });
});

test('moveToCompleted will not overwrite a completed spec of the same id', async () => {
  await inTempWorkspace({}, async (dir) => {
    const spec = await createSpec(
      dir,
      { title: 'Dup', kind: 'feature', layers: [], markdown: 'x' },
      { clock: at('2026-06-01T00:00:00Z') },
    );
    await mkdir(join(dir, 'spec/completed', spec.id), { recursive: true });
    await writeFile(join(dir, 'spec/completed', spec.id, 'keep.txt'), 'keep');
    await assert.rejects(moveToCompleted(dir, spec.id), /already exists/);
    assert.ok((await stat(join(dir, 'spec/active', spec.id, 'spec.md'))).isFile());
  });
});

test('a rendered spec reads back through tasksByLayer', async () => {
  await inTempWorkspace({}, async (dir) => {
    const spec = await createSpec(dir, {
      title: 'Round trip',
      kind: 'feature',
      layers: ['backend', 'frontend'],
      content: CONTENT,
    });
    const tasks = tasksByLayer((await loadSpec(dir, spec.id)).body, ['database', 'backend', 'frontend']);
    assert.deepEqual(
      tasks.layers.backend?.files.map((f) => [f.path, f.description, f.done]),
      [['server/customers/export.ts', 'CSV export endpoint', false]],
    );
    assert.deepEqual(
      tasks.layers.frontend?.files.map((f) => f.path),
      ['web/customers/ExportButton.tsx'],
    );
    assert.deepEqual(tasks.layers.database?.files, []);
    assert.deepEqual(
      tasks.tasks.map((t) => t.text),
      ['Add the export endpoint', 'Add the button'],
    );
  });
});

test('a project that keeps its specs under .claude/spec/ gets new specs there; specs in both places are found, listed and completed in place', async () => {
  const old =
    '---\nid: 2026-01-05-old-spec\ntitle: Old spec\nkind: feature\nstatus: completed\nentity: null\npattern: null\nlayers: []\ncreated: 2026-01-05T10:00:00.000Z\napproved: 2026-01-05T11:00:00.000Z\n---\n\n## Spec: Old spec\n';
  await inTempWorkspace({ '.claude/spec/completed/2026-01-05-old-spec/spec.md': old }, async (dir) => {
    const clock = at('2026-03-01T10:00:00.000Z');
    const spec = await createSpec(
      dir,
      { title: 'Customer export', kind: 'feature', layers: ['backend'], markdown: '## Spec: Customer export\n' },
      { clock },
    );
    assert.equal(spec.path, '.claude/spec/active/2026-03-01-customer-export/spec.md');
    assert.equal((await loadSpec(dir, spec.id)).path, spec.path);
    assert.deepEqual(
      (await listSpecs(dir)).map((s) => s.path),
      [spec.path, '.claude/spec/completed/2026-01-05-old-spec/spec.md'],
    );
    const done = await moveToCompleted(dir, spec.id);
    assert.equal(done.path, '.claude/spec/completed/2026-03-01-customer-export/spec.md');
    assert.deepEqual(await readdir(join(dir, '.claude/spec/active')), []);
    // An id taken under either root is not reused.
    assert.equal(
      (
        await createSpec(
          dir,
          { title: 'Old spec', kind: 'feature', layers: [], markdown: 'x' },
          { clock: at('2026-01-05T12:00:00.000Z') },
        )
      ).id,
      '2026-01-05-old-spec-2',
    );
  });
  // A project already using spec/ keeps using it.
  const both = await tempWorkspace({
    'spec/active/.keep': '',
    '.claude/spec/completed/2026-01-05-old-spec/spec.md': old,
  });
  try {
    const spec = await createSpec(
      both.dir,
      { title: 'Next', kind: 'feature', layers: [], markdown: 'x' },
      { clock: at('2026-03-02T10:00:00.000Z') },
    );
    assert.equal(spec.path, 'spec/active/2026-03-02-next/spec.md');
    assert.deepEqual(
      (await listSpecs(both.dir)).map((s) => s.id),
      ['2026-03-02-next', '2026-01-05-old-spec'],
    );
  } finally {
    await both.cleanup();
  }
});
