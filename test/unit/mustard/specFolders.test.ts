import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engine } from '../../../src/core/engine';
import { readMustardSpecFolder } from '../../../src/core/mustard';
import { makeShop } from '../../support/engine/shopWorkspace';
import { OPEN_SLUG, openWavePlan, otherFolders } from '../../support/mustardSpecFolders';

test('specs lists Mustard folders with their stage and outcome, after our own specs; finished ones say why approve refuses them', async () => {
  const shop = makeShop({ git: false, files: { ...openWavePlan(), ...otherFolders() } });
  try {
    const specs = await engine.listSpecs(shop.dir);
    const mustard = specs.filter((s) => s.mustard);
    const row = (id: string) => mustard.find((s) => s.id === id);
    assert.deepEqual(mustard.map((s) => s.id).sort(), [
      '.claude/spec/2026-06-10-login',
      `.claude/spec/${OPEN_SLUG}`,
      '.claude/spec/broken-meta',
      '.claude/spec/cancelled-export',
      '.claude/spec/ideas',
      '.claude/spec/old-search',
      '.claude/spec/older-plan',
    ]);
    const open = row(`.claude/spec/${OPEN_SLUG}`)!;
    assert.equal(open.title, 'Catálogo de produtos');
    assert.equal(open.status, 'Mustard Execute · Active');
    assert.equal(open.path, `.claude/spec/${OPEN_SLUG}/spec.md`);
    assert.deepEqual(open.mustard, {
      stage: 'Execute',
      outcome: 'Active',
      waves: 3,
      completedWaves: 0,
      approvedByUser: true,
    });

    assert.equal(row('.claude/spec/2026-06-10-login')!.status, 'Mustard Close · Completed');
    assert.match(
      row('.claude/spec/2026-06-10-login')!.mustard!.refusal!,
      /finished in Mustard \(stage Close, outcome Completed\)/,
    );
    assert.match(row('.claude/spec/cancelled-export')!.mustard!.refusal!, /outcome Cancelled/);
    assert.match(row('.claude/spec/old-search')!.mustard!.refusal!, /outcome Superseded/);
    const notebook = row('.claude/spec/ideas')!;
    assert.equal(notebook.title, 'Ideias soltas');
    assert.equal(notebook.path, '.claude/spec/ideas/notebook.md');
    assert.equal(notebook.status, 'Mustard no stage · no outcome');
    assert.match(notebook.mustard!.refusal!, /only notebook\.md/);
    // Partial is not finished: the open wave can still run.
    assert.deepEqual(row('.claude/spec/older-plan')!.mustard, {
      stage: 'Qa',
      outcome: 'Partial',
      waves: 2,
      completedWaves: 1,
      approvedByUser: false,
    });
    // A broken meta.json is a warning on the folder, not a failed listing.
    assert.equal(row('.claude/spec/broken-meta')!.status, 'Mustard no stage · no outcome');
  } finally {
    shop.cleanup();
  }
});

test('a folder read in full: waves with depends_on as wave folders, older numeric depends_on, markers, history cleaned, broken meta.json named by line', async () => {
  const shop = makeShop({ git: false, files: { ...openWavePlan(), ...otherFolders() } });
  try {
    const open = await readMustardSpecFolder(shop.dir, `.claude/spec/${OPEN_SLUG}`);
    assert.deepEqual(
      open.waves.map((w) => [w.n, w.role, w.folder, w.dependsOn, w.files, w.satisfies, w.done]),
      [
        [1, 'db', 'wave-1-db', [], ['db/migrations/003_create_product.sql'], ['AC-1'], false],
        [2, 'server', 'wave-2-server', [1], ['server/entities/product.js'], ['AC-1'], false],
        [3, 'docs', 'wave-3-docs', [2], ['web/src/products.js'], ['AC-2'], false],
      ],
    );
    assert.equal(open.waves[0]!.spec, '# Wave 1: db\n\nA tabela products.\n');
    assert.equal(open.approvedByUser, true);
    assert.equal(open.clarified, true);
    assert.equal(open.lang, 'pt-BR');
    assert.equal(open.scope, 'full(waveplan)');
    assert.equal(open.phase, undefined);
    assert.equal(open.refusal, undefined);
    assert.deepEqual(open.changeRequests, [
      { at: '2026-07-01T10:00:00Z', text: 'Quero um catálogo de produtos com preço.' },
      {
        at: '2026-07-01T11:00:00Z',
        text: 'Também listar na loja <task-notification> <task-id>b1</task-id> <summary>Background command "npm test" SECRET-OUTPUT</summary> </task-notification> por favor',
      },
      { text: 'not json' },
    ]);
    assert.deepEqual(open.warnings, [
      `.claude/spec/${OPEN_SLUG}/change-requests.ndjson: 1 line(s) are not a JSON request (line 3); kept as written`,
    ]);

    const older = await readMustardSpecFolder(shop.dir, '.claude/spec/older-plan');
    assert.deepEqual(
      older.waves.map((w) => [w.folder, w.dependsOn, w.tasks, w.done]),
      [
        ['wave-1-server', [], [], true],
        ['wave-2-web', [1], [], false],
      ],
    );

    const broken = await readMustardSpecFolder(shop.dir, '.claude/spec/broken-meta');
    assert.match(broken.warnings[0]!, /^\.claude\/spec\/broken-meta\/meta\.json:3:14 JSON syntax error/);
  } finally {
    shop.cleanup();
  }
});

test('a wave whose own meta.json says Completed is done; a broken one says nothing', async () => {
  const plan = {
    waves: [1, 2, 3].map((n) => ({
      n,
      role: 'rt',
      summary: `step ${n}`,
      depends_on: n > 1 ? [`wave-${n - 1}-rt`] : [],
    })),
  };
  const shop = makeShop({
    git: false,
    files: {
      '.claude/spec/waves/spec.md': '# Waves\n',
      '.claude/spec/waves/plan.json': JSON.stringify(plan),
      '.claude/spec/waves/wave-1-rt/meta.json': JSON.stringify({ stage: 'Close', outcome: 'Completed' }),
      '.claude/spec/waves/wave-2-rt/meta.json': '{"outcome": "Completed"',
      '.claude/spec/waves/wave-3-rt/meta.json': JSON.stringify({
        stage: 'Plan',
        outcome: 'Active',
        note: '"outcome": "Completed"',
      }),
    },
  });
  try {
    const folder = await readMustardSpecFolder(shop.dir, '.claude/spec/waves');
    assert.deepEqual(
      folder.waves.map((w) => [w.folder, w.done]),
      [
        ['wave-1-rt', true],
        ['wave-2-rt', false],
        ['wave-3-rt', false],
      ],
    );
    assert.equal(folder.refusal, undefined);
  } finally {
    shop.cleanup();
  }
});

test("Mustard folders under .claude/spec/active/ and completed/ (its later layout, beside ours) are listed as Mustard's; our own specs there still list as ours", async () => {
  const ours = [
    '---',
    'id: 2026-11-20-ours',
    'title: Ours',
    'kind: feature',
    'status: awaiting-approval',
    'created: 2026-11-20T10:00:00.000Z',
    '---',
    '# Ours',
    '',
  ].join('\n');
  const shop = makeShop({
    git: false,
    files: {
      // An older folder: no meta.json, its state on a Status line.
      '.claude/spec/completed/2026-05-04-repo-cleanup/spec.md':
        '# Enhancement: repo-cleanup\n\n### Status: completed | Phase: CLOSE | Scope: light\n\nRemover arquivos mortos.\n',
      // Mustard's own front matter: an id that is not one of our spec ids.
      '.claude/spec/active/2026-06-01-busca/spec.md':
        '---\nid: spec.2026-06-01-busca\n---\n\n# Busca\n\nBuscar produtos por nome.\n',
      '.claude/spec/active/2026-11-20-ours/spec.md': ours,
    },
  });
  try {
    const specs = await engine.listSpecs(shop.dir);
    const row = (id: string) => specs.find((s) => s.id === id);
    assert.equal(row('2026-11-20-ours')?.title, 'Ours');
    assert.equal(row('2026-11-20-ours')?.mustard, undefined);
    assert.match(
      row('.claude/spec/completed/2026-05-04-repo-cleanup')!.mustard!.refusal!,
      /finished in Mustard \(stage Close, outcome Completed\)/,
    );
    assert.equal(row('.claude/spec/active/2026-06-01-busca')?.title, 'Busca');
    assert.equal(row('.claude/spec/active/2026-06-01-busca')?.mustard?.refusal, undefined);
    await assert.rejects(
      engine.importSpec(shop.dir, '.claude/spec/completed/2026-05-04-repo-cleanup'),
      /is finished in Mustard \(stage Close, outcome Completed\)/,
    );
  } finally {
    shop.cleanup();
  }
});
