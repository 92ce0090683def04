// Issue 30 point 3, Mustard's current generation: a folder whose waves are all done but that
// Mustard has not closed (QA review) runs to the end; a wave's tasks go to the layers owning the
// files each task names; grain.model.json modules related to the request reach UNDERSTAND and
// the spec prompt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { loadSpec } from '../../../src/core/project/specs/specs';
import { say, specAnswer } from '../../support/engine/agentScript';
import { PRODUCT_SPEC } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';
import { makeShop } from '../../support/engine/shopWorkspace';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const QA = '.claude/spec/2026-08-02-pedidos-por-cliente';

/** Both waves done in Mustard, the folder still in QA review with its change requests: files the shop already has. */
function qaFolder(): Record<string, string> {
  return {
    [`${QA}/spec.md`]:
      '# Spec: Pedidos por cliente\n\nLista os pedidos de cada cliente.\n\n## Critérios de aceite\n- AC-1: THE API SHALL listar os pedidos de um cliente.\n- AC-2: THE system SHALL validar o cliente do pedido.\n',
    [`${QA}/meta.json`]: json({
      stage: 'QaReview',
      outcome: 'Active',
      phase: 'qa',
      scope: 'full',
      lang: 'pt-BR',
      isWavePlan: true,
      totalWaves: 2,
      currentWave: 2,
      completedWaves: ['wave-1-db', 'wave-2-api'],
    }),
    [`${QA}/plan.json`]: json({
      total_waves: 2,
      waves: [
        {
          n: 1,
          role: 'db',
          summary: 'Tabela de pedidos',
          depends_on: [],
          tasks: ['Criar db/migrations/002_create_order.sql'],
          files: ['db/migrations/002_create_order.sql'],
          satisfies: ['AC-1'],
        },
        {
          n: 2,
          role: 'api',
          summary: 'Módulo de pedidos',
          depends_on: ['wave-1-db'],
          tasks: ['Criar server/entities/order.js com a validação do cliente'],
          files: ['server/entities/order.js'],
          satisfies: ['AC-1', 'AC-2'],
        },
      ],
    }),
    [`${QA}/qa/report.md`]: '# QA\n\nEm revisão.\n',
    [`${QA}/change-requests.ndjson`]: [
      JSON.stringify({ ts: '2026-08-02T09:00:00Z', request: 'Listar os pedidos por cliente.' }),
      JSON.stringify({ ts: '2026-08-03T14:30:00Z', request: 'Validar também o cliente do pedido.' }),
    ].join('\n'),
  };
}

test('Mustard folder with every wave done but not closed (QA review): not refused; validated as it is, review skipped with why, traced and COMPLETE, its change requests the History', async () => {
  const h = await harness({ review: () => say.approve() }, { files: qaFolder() });
  try {
    const listed = (await engine.listSpecs(h.shop.dir)).find((s) => s.id === QA) as
      { mustard?: { refusal?: string } } | undefined;
    assert.ok(listed, 'specs lists the folder');
    assert.equal(listed.mustard?.refusal, undefined, 'approve would not refuse it');

    const summary = await engine.approveSpec(QA, h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(h.calls.length, 0, 'no agent: the work was done in Mustard');
    const events = journalOf(h.shop, summary.runId);
    const validated = events.filter((e) => e.type === 'validation.passed').map((e) => e.layer);
    assert.deepEqual(validated, ['database', 'backend'], "the waves' layers are validated as they are");
    assert.match(
      String(events.find((e) => e.type === 'review.skipped')?.reason),
      /^nothing changed in this run: the work was done before it \(validated as it is: database, backend\)$/,
    );
    assert.deepEqual(
      summary.phases.map((p) => p.name),
      ['SYNC', 'UNDERSTAND', 'SPEC', 'REVIEW', 'COMPLETE'],
    );

    const specId = h.host.ofType('spec.approved')[0]!.specId;
    const spec = await loadSpec(h.shop.dir, specId);
    assert.equal(spec.location, 'completed');
    assert.deepEqual(spec.frontMatter.layers, ['database', 'backend']);
    assert.match(
      spec.body,
      /### History\n\nChange requests \(change-requests\.ndjson, oldest first\):\n- 2026-08-02T09:00:00Z: Listar os pedidos por cliente\.\n- 2026-08-03T14:30:00Z: Validar também o cliente do pedido\./,
    );
    const { matrix } = await engine.traceSpec(h.shop.dir, specId);
    assert.deepEqual(matrix.doneBeforeImport, ['AC-1', 'AC-2']);
  } finally {
    await h.close();
  }
});

test('a Mustard folder whose QA finds the code broken stops with the validation report, before COMPLETE', async () => {
  const h = await harness(
    {},
    {
      files: {
        ...qaFolder(),
        'db/migrations/002_create_order.sql': 'CREATE TABLE orders (\n  id INTEGER PRIMARY KEY,\n',
      },
    },
  );
  try {
    const summary = await engine.approveSpec(QA, h.options());
    assert.equal(summary.status, 'stopped');
    assert.match(summary.report ?? '', /## Pipeline stopped: validation failed\n### Agent: database/);
    assert.equal(h.calls.length, 0);
  } finally {
    await h.close();
  }
});

test("a wave's tasks go to the layer owning the files each task names, not to every layer of the wave; a task naming none to the layer its words point to", async () => {
  const root = '.claude/spec/2026-08-05-export';
  const shop = makeShop({
    git: false,
    files: {
      [`${root}/spec.md`]: '# Export\n\n- AC-1: THE system SHALL export orders.\n',
      [`${root}/meta.json`]: json({ stage: 'Execute', outcome: 'Active', completedWaves: [] }),
      [`${root}/plan.json`]: json({
        waves: [
          {
            n: 1,
            role: 'app',
            depends_on: [],
            files: ['server/routes/export.js', 'web/src/export.js'],
            tasks: [
              'Add the export route in server/routes/export.js',
              'Render the export button in web/src/export.js',
              'Write the API handler that streams the rows',
              'Update the changelog',
            ],
            satisfies: ['AC-1'],
          },
        ],
      }),
    },
  });
  try {
    const imported = await engine.importSpec(shop.dir, root);
    const body = (await loadSpec(shop.dir, imported.specId)).body;
    const tasks = body.slice(body.indexOf('### Tasks'), body.indexOf('### Dependencies')).trim();
    assert.equal(
      tasks,
      [
        '### Tasks',
        '',
        '#### backend',
        '1. [ ] wave-1-app: Add the export route in server/routes/export.js (AC-1)',
        '2. [ ] wave-1-app: Write the API handler that streams the rows (AC-1)',
        '3. [ ] wave-1-app: Update the changelog (with frontend: nothing in it tells one layer) (AC-1)',
        '',
        '#### frontend',
        '4. [ ] wave-1-app: Render the export button in web/src/export.js (AC-1)',
        '5. [ ] wave-1-app: Update the changelog (with backend: nothing in it tells one layer) (AC-1)',
      ].join('\n'),
    );
  } finally {
    shop.cleanup();
  }
});

test('a request naming a feature: the grain model modules whose paths carry its words are in UNDERSTAND and the spec prompt', async () => {
  const h = await harness(
    { spec: specAnswer('Order export', 'order-export', PRODUCT_SPEC) },
    {
      // A Mustard project of the current generation: no entity registry (so nothing to sync), a grain model.
      config: (yaml) => yaml.replace(/^sync:.*$/m, 'sync: []'),
      files: {
        '.claude/entity-registry.json': '{}\n',
        '.claude/grain.model.json': json({
          root: '/home/dev/shop',
          modules: [
            { path: '/home/dev/shop/server/entities/order.js', language: 'javascript', loc: 40, imports: [] },
            { path: '/home/dev/shop/server/store.js', language: 'javascript', loc: 30, imports: [] },
            {
              path: '/home/dev/shop/web/src/orders/OrderExportButton.js',
              language: 'javascript',
              loc: 12,
              imports: [],
            },
          ],
        }),
      },
    },
  );
  try {
    const summary = await engine.runFeature(
      'Let customers export their orders as CSV',
      h.options({ autoApprove: false }),
    );
    assert.equal(summary.status, 'spec-saved', summary.error);
    const understood = journalOf(h.shop, summary.runId).find((e) => e.type === 'understood') as
      { modules?: string[] } | undefined;
    assert.deepEqual(understood?.modules, ['web/src/orders/OrderExportButton.js', 'server/entities/order.js']);
    const prompt = JSON.stringify(h.callsOf('spec')[0]!.req.body);
    assert.match(
      prompt,
      /Modules related to the request \(their paths carry its words; from \.claude\/grain\.model\.json\): `web\/src\/orders\/OrderExportButton\.js`, `server\/entities\/order\.js`/,
    );
  } finally {
    await h.close();
  }
});
