import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { loadSpec } from '../../../src/core/project/specs/specs';
import { parseRequirements } from '../../../src/core/trace/requirements';
import { productLayers, say, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_SCREEN } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';
import { makeShop } from '../../support/engine/shopWorkspace';
import {
  DOCS_SLUG,
  docsWavePlan,
  OPEN_SLUG,
  openWavePlan,
  otherFolders,
  withDocsLayer,
} from '../../support/mustardSpecFolders';

const FOLDER = `.claude/spec/${OPEN_SLUG}`;

test("Mustard folder: criteria become requirements, waves and roles kept on the owning layers, the docs wave's file goes to its owner with the mismatch shown, history cleaned", async () => {
  const shop = makeShop({ git: false, files: openWavePlan() });
  try {
    const imported = await engine.importSpec(shop.dir, FOLDER);
    assert.equal(imported.format, 'mustard');
    assert.equal(imported.source, FOLDER);
    assert.deepEqual(imported.unowned, []);
    assert.deepEqual(imported.notes, [
      `Mustard's approval marker (.approved-by-user) is in ${FOLDER}: it is shown in the spec; approving here is still your decision.`,
    ]);
    assert.ok(
      imported.warnings.includes(
        'wave-3-docs: `web/src/products.js`: the role "docs" matches no layer; layer frontend owns the file and writes it.',
      ),
      imported.warnings.join('\n'),
    );

    // Our spec goes where the project keeps specs (.claude/spec/ exists), never among Mustard's folders.
    assert.match(imported.specPath, /^\.claude\/spec\/active\/\d{4}-\d{2}-\d{2}-catalogo-de-produtos\/spec\.md$/);
    const spec = await loadSpec(shop.dir, imported.specId);
    assert.equal(spec.frontMatter.status, 'awaiting-approval', "Mustard's marker is not our approval");
    assert.equal(spec.frontMatter.title, 'Catálogo de produtos');
    assert.deepEqual(spec.frontMatter.layers, ['database', 'backend', 'frontend']);
    assert.deepEqual(spec.frontMatter.waves, [['database'], ['backend'], ['frontend']]);

    assert.match(
      spec.body,
      /### Summary\nO catálogo permite cadastrar produtos com nome e preço e listá-los na loja\. \(Imported from the Mustard spec folder `\.claude\/spec\/2026-07-01-catalogo-de-produtos` \(stage Execute, outcome Active, scope full\(waveplan\)\): spec\.md, 3 wave\(s\), their roles kept\.\)\n/,
    );
    const { requirements } = parseRequirements(spec.body);
    assert.deepEqual(
      requirements.map((r) => [r.id, r.criteria.map((c) => c.text)]),
      [
        ['AC-1', ['WHEN o dono envia um produto válido THE API SHALL gravá-lo e responder 201.']],
        ['AC-2', ['THE system SHALL satisfy: A tela de produtos lista nome e preço de cada produto.']],
      ],
    );
    assert.match(
      spec.body,
      /#### Wave 1: db → database\n- Status: to do\n- Role db maps to layer database \(the layer owning db\/\*\*\)\n- Depends on: nothing\n/,
    );
    assert.match(spec.body, /#### Wave 2: server → backend\n[\s\S]*?- Depends on: wave-1-db\n/);
    assert.match(
      spec.body,
      /#### Wave 3: docs → frontend\n[\s\S]*?- Role docs maps to no layer: no layer or project has that name\n[\s\S]*?- Mismatch: `web\/src\/products\.js`: the role "docs" matches no layer; layer frontend owns the file and writes it\./,
    );
    assert.match(
      spec.body,
      /Mustard's approval marker `\.approved-by-user` is present\. It is shown for information: this orchestrator's own approval still decides\./,
    );
    const tasks = spec.body.slice(spec.body.indexOf('### Tasks'), spec.body.indexOf('### History'));
    assert.equal(
      tasks,
      [
        '### Tasks',
        '',
        '#### database',
        '1. [ ] wave-1-db: Criar a migração db/migrations/003_create_product.sql com id, name e price. (AC-1)',
        '',
        '#### backend',
        '2. [ ] wave-2-server: Criar server/entities/product.js seguindo o padrão simple: meta, validate, list, get e create. (AC-1)',
        '',
        '#### frontend',
        '3. [ ] wave-3-docs: Escrever a tela web/src/products.js que lista os produtos. (AC-2)',
        '',
        '',
      ].join('\n'),
    );
    const history = spec.body.slice(spec.body.indexOf('### History'));
    // Every request is kept, its markup escaped as text (never a tag a reader would parse).
    assert.match(
      history,
      /- 2026-07-01T10:00:00Z: Quero um catálogo de produtos com preço\.\n- 2026-07-01T11:00:00Z: Também listar na loja \\<task-notification\\> \\<task-id\\>b1\\<\/task-id\\> .* por favor\n- not json\n/,
    );
    assert.doesNotMatch(spec.body, /[^\\`]<\/?task-notification>/);
    assert.ok(!spec.body.includes('\u001b'), 'no terminal escape');
    assert.match(history, /- 2026-07-01: a listagem entrou no escopo \(wave 3\)\./);
  } finally {
    shop.cleanup();
  }
});

test('approve refuses a finished Mustard folder, and one holding only a notebook, with why', async () => {
  const shop = makeShop({ git: false, files: otherFolders() });
  try {
    await assert.rejects(
      engine.importSpec(shop.dir, '.claude/spec/2026-06-10-login'),
      /\.claude\/spec\/2026-06-10-login is finished in Mustard \(stage Close, outcome Completed\); there is nothing to implement/,
    );
    await assert.rejects(engine.importSpec(shop.dir, '.claude/spec/old-search'), /outcome Superseded/);
    await assert.rejects(
      engine.importSpec(shop.dir, '.claude/spec/ideas'),
      /holds no spec\.md and no plan\.json \(only notebook\.md\)/,
    );
  } finally {
    shop.cleanup();
  }
});

test("approve <Mustard folder> --yes: implemented to COMPLETE in the plan's wave order (database, then backend, then frontend), each layer sent its wave's tasks", async () => {
  const h = await harness(productLayers(), { files: openWavePlan() });
  try {
    const summary = await engine.approveSpec(FOLDER, h.options({ autoApprove: true, assumeYes: true }));
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(h.api.scriptErrors.length, 0, h.api.scriptErrors.join('\n'));
    assert.equal(h.callsOf('spec').length, 0, 'no spec agent: the folder is the spec');
    const logs = h.host.ofType('log').map((l) => l.message);
    assert.ok(
      logs.some((m) =>
        new RegExp(
          `^Imported ${FOLDER.replace(/\./g, '\\.')} \\(Mustard\\) as \\.claude/spec/active/.+/spec\\.md: 2 requirement\\(s\\), 3 task\\(s\\)\\.$`,
        ).test(m),
      ),
      logs.join('\n'),
    );
    assert.ok(logs.some((m) => /Mustard's approval marker \(\.approved-by-user\)/.test(m)));

    // The shop's config would run database and backend together ([[database, backend], [frontend]]); the plan's order is kept.
    const waves = journalOf(h.shop, summary.runId)
      .filter((e) => e.type === 'wave.started')
      .map((e) => e.layers);
    assert.deepEqual(waves, [['database'], ['backend'], ['frontend']]);
    const system = (layer: string) =>
      (h.callsOf(layer)[0]!.req.body.system as { text: string }[]).map((b) => b.text).join('\n');
    assert.match(
      system('frontend').slice(system('frontend').indexOf('## YOUR TASKS (frontend)')),
      /wave-3-docs: Escrever a tela web\/src\/products\.js/,
    );
    assert.match(
      system('backend').slice(system('backend').indexOf('## YOUR TASKS (backend)')),
      /wave-2-server: Criar server\/entities\/product\.js/,
    );
    assert.equal(h.shop.read('web/src/products.js'), PRODUCT_SCREEN);
    // Mustard's folder is left as it was: its history is Mustard's.
    assert.equal(h.shop.read(`${FOLDER}/meta.json`), openWavePlan()[`${FOLDER}/meta.json`]);
    assert.match(summary.specPath!, /^\.claude\/spec\/completed\//);
  } finally {
    await h.close();
  }
});

test("a docs wave's tasks naming no file go to the docs layer and only to it, even when the wave lists a file the backend owns (which the backend writes); --yes to COMPLETE", async () => {
  const guide = '# Guia do catálogo\n\nA loja lista cada produto com nome e preço (AC-2).\n';
  const h = await harness(
    {
      docs: writesThenDone({ 'docs/catalogo.md': guide }),
      backend: writesThenDone({
        'server/__tests__/product.test.js':
          "'use strict';\n// AC-1: products are validated\nrequire('node:assert').ok(true);\n",
      }),
      review: () => say.approve(),
    },
    // The docs layer has no check of its own: its pages are accepted unchecked, and said (issue 70).
    { files: docsWavePlan(), config: (yaml) => `${withDocsLayer(yaml)}\nallowUnchecked: true\n` },
  );
  try {
    const folder = `.claude/spec/${DOCS_SLUG}`;
    const summary = await engine.approveSpec(folder, h.options({ autoApprove: true, assumeYes: true }));
    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(
      summary.unchecked?.map((u) => u.layer),
      ['docs'],
    );
    const specId = h.host.ofType('spec.approved')[0]!.specId;
    const body = (await loadSpec(h.shop.dir, specId)).body;
    assert.match(
      body,
      /#### Wave 1: docs → docs, backend\n[\s\S]*?- Role docs maps to layer docs \(the layer of that name\)\n[\s\S]*?- Mismatch: `server\/__tests__\/product\.test\.js` is listed by this docs wave but owned by layer backend: backend writes it\./,
    );
    const tasks = body.slice(body.indexOf('### Tasks'), body.indexOf('### Dependencies')).trim();
    assert.equal(
      tasks,
      [
        '### Tasks',
        '',
        '#### docs',
        '1. [x] wave-1-docs: Documentar a API de produtos do servidor e a listagem para os lojistas. (AC-1, AC-2)',
        '',
        '#### backend',
        '2. [x] wave-1-docs: Cobrir a validação em server/__tests__/product.test.js. (AC-1, AC-2)',
      ].join('\n'),
    );
    const yourTasks = (layer: string) => {
      const system = (h.callsOf(layer)[0]!.req.body.system as { text: string }[]).map((b) => b.text).join('\n');
      return system.slice(system.indexOf(`## YOUR TASKS (${layer})`));
    };
    assert.match(yourTasks('docs'), /Documentar a API de produtos/);
    assert.doesNotMatch(
      yourTasks('backend'),
      /Documentar a API de produtos/,
      'the docs task goes to the docs layer only',
    );
    assert.equal(h.shop.read('docs/catalogo.md'), guide);
  } finally {
    await h.close();
  }
});
