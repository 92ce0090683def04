import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import { loadSpec } from '../../../src/core/project/specs/specs';
import { parseRequirements } from '../../../src/core/trace/requirements';
import { productLayers, say } from '../../support/engine/agentScript';
import { harness } from '../../support/engine/harness';
import { makeShop } from '../../support/engine/shopWorkspace';
import { copySpecFolder, withImportedFolder } from '../../support/specFixtures';

const KIRO = '.kiro/specs/product-catalog';
const SPEC_KIT = 'specs/001-product-list';

test('Kiro folder (Spanish headings, YAML front matter in tasks.md, grouped tasks, _Requirements: 7.1, 7.2_ lines): ids, criteria and task links kept; tasks owned by the files they name; the unowned one listed', async () => {
  await withImportedFolder('kiro/product-catalog', KIRO, async (shop, imported) => {
    assert.equal(imported.format, 'kiro');
    assert.equal(imported.source, KIRO);
    const spec = await loadSpec(shop.dir, imported.specId);
    assert.equal(spec.frontMatter.status, 'awaiting-approval');
    assert.deepEqual(spec.frontMatter.layers, ['database', 'backend', 'frontend']);

    const { requirements } = parseRequirements(spec.body);
    assert.deepEqual(
      requirements.map((r) => [r.id, r.title, r.criteria.map((c) => c.id)]),
      [
        ['REQ-1', 'Alta de productos', ['REQ-1.1', 'REQ-1.2']],
        ['REQ-7', 'Listado de productos', ['REQ-7.1', 'REQ-7.2']],
      ],
    );
    assert.match(requirements[0]!.story!, /^Como responsable de la tienda/);
    assert.equal(
      requirements[0]!.criteria[1]!.text,
      'IF the name is blank or the price is not a number >= 0 THEN the API SHALL answer 400 with the validation errors',
    );
    assert.equal(requirements[1]!.criteria[1]!.text, 'El listado SHALL mostrar el precio con dos decimales');
    assert.match(spec.body, /### Summary\nEl catálogo de productos permite/);
    assert.match(
      spec.body,
      /### Design \(design\.md\)\n````markdown\n# Design: product catalog[\s\S]*```sql\nCREATE TABLE products[\s\S]*```\n````\n/,
    );

    const tasks = spec.body
      .slice(spec.body.indexOf('### Tasks'))
      .split('\n')
      .filter((l) => /^\d+\. \[/.test(l));
    assert.deepEqual(tasks, [
      '1. [ ] 1 Crear la migración `db/migrations/003_create_product.sql`; Tabla products (id, name, price) (REQ-1.1)',
      '2. [ ] 2.1 Módulo `server/entities/product.js` con el patrón simple; Validar nombre y precio (REQ-1.1, REQ-1.2)',
      '3. [ ] 3 Pantalla web/src/products.js que lista los productos (REQ-7.1, REQ-7.2)',
      '4. [ ] 4 Anunciar el catálogo en el blog de la tienda (REQ-7) — no layer (pick one when approving)',
      '5. [x] 5 Revisar el registro de entidades — done before import',
    ]);
    assert.match(spec.body, /\n\*\*Group 2\*\* Backend del producto — open in the source\n/);
    assert.deepEqual(
      imported.unowned.map((u) => [u.kind, u.text]),
      [['task', '4 Anunciar el catálogo en el blog de la tienda (REQ-7) — no layer (pick one when approving)']],
    );
    const text = shop.read(imported.specPath);
    assert.equal(
      text.split('\n')[imported.unowned[0]!.line - 1],
      '4. [ ] 4 Anunciar el catálogo en el blog de la tienda (REQ-7) — no layer (pick one when approving)',
    );
    assert.match(
      spec.body,
      /#### Database\n- \[ \] `db\/migrations\/003_create_product\.sql`\n\n#### Backend\n- \[ \] `server\/entities\/product\.js`\n\n#### Frontend\n- \[ \] `web\/src\/products\.js`/,
    );
  });
});

test('Spec Kit folder (Portuguese headings, front matter, [P] markers, [US1] links, FR ids): stories and FRs become requirements, scenarios EARS criteria', async () => {
  const shop = makeShop({ git: false });
  try {
    copySpecFolder(shop.dir, 'speckit/001-product-list', SPEC_KIT);
    const imported = await engine.importSpec(shop.dir, join(shop.dir, SPEC_KIT));
    assert.equal(imported.format, 'speckit');
    const spec = await loadSpec(shop.dir, imported.specId);
    assert.equal(spec.frontMatter.title, 'Lista de produtos');
    assert.match(imported.specId, /^\d{4}-\d{2}-\d{2}-product-list$/);
    const { requirements } = parseRequirements(spec.body);
    assert.deepEqual(
      requirements.map((r) => [r.id, r.criteria.map((c) => c.id)]),
      [
        ['US-1', ['US-1.1', 'US-1.2']],
        ['FR-001', ['FR-001.1']],
        ['FR-002', ['FR-002.1']],
        ['SC-001', ['SC-001.1']],
      ],
    );
    assert.equal(requirements[0]!.title, 'Listar produtos');
    assert.equal(
      requirements[0]!.criteria[0]!.text,
      'WHEN o cliente abre a tela de produtos (given que existem produtos) THE system SHALL ensure vê cada produto com nome e preço',
    );
    assert.equal(requirements[1]!.criteria[0]!.text, 'O sistema SHALL servir GET /api/products com {id, name, price}');
    const tasks = spec.body
      .slice(spec.body.indexOf('### Tasks'))
      .split('\n')
      .filter((l) => /^\d+\. \[/.test(l));
    assert.deepEqual(tasks, [
      '1. [ ] T001 Confirm the migration numbering in db/migrations/ (next is 003)',
      '2. [ ] T010 Product module in server/entities/product.js (FR-001) (US-1, FR-001)',
      '3. [ ] T011 Migration db/migrations/003_create_product.sql (US-1)',
      '4. [ ] T012 Screen web/src/products.js listing the products (US-1)',
      '5. [ ] T020 Update the registry entry for Product (FR-002) (FR-002) — no layer (pick one when approving)',
    ]);
    // T001 names a folder the database owns; T020 names no file and no layer.
    assert.deepEqual(
      imported.unowned.map((u) => u.text),
      ['T020 Update the registry entry for Product (FR-002) (FR-002) — no layer (pick one when approving)'],
    );
    assert.ok(
      imported.warnings.includes(
        'task cites no requirement: T001 Confirm the migration numbering in db/migrations/ (next is 003)',
      ),
      imported.warnings.join('\n'),
    );
    await assert.rejects(
      engine.importSpec(shop.dir, 'specs'),
      /neither a Kiro spec folder .* nor a Spec Kit feature folder/,
    );
  } finally {
    shop.cleanup();
  }
});

test('approve <Kiro folder>: converted; its task with no layer stops it before anything runs (--yes too); once assigned, implemented through the same gates; the matrix traces its ids', async () => {
  const h = await harness({
    ...productLayers(),
    // Its reason names a layer: the task is still placed nowhere.
    layers: () => say.layers([{ task: '4', layer: 'none', reason: 'a blog post, not the backend or the frontend' }]),
  });
  try {
    copySpecFolder(h.shop.dir, 'kiro/product-catalog', KIRO);
    h.shop.git('add', '-A');
    h.shop.git('commit', '-q', '-m', 'kiro spec');
    // Task 4 names no file and nothing tells its layer, the model's one proposal included: refused at approval, --yes or not, before any agent runs.
    const refused = await engine.approveSpec(KIRO, h.options({ autoApprove: true, assumeYes: true })).then(
      () => undefined,
      (error: unknown) => error as Error & { code?: string },
    );
    assert.equal(refused?.code, 'E_DECLINED');
    assert.match(
      refused!.message,
      /^Spec (\d{4}-\d{2}-\d{2}-product-catalog) was not approved, and nothing ran: task 4 names no file and no layer could be told for it, the model found no layer owning anything like it \(layers: database owns db\/\*\*; backend owns server\/\*\*; frontend owns web\/\*\*\); pick its layer \(--assign, or the layer picker in the sidebar\), then approve again\./,
    );
    assert.match(
      refused!.message,
      /orchestrator approve \d{4}-\d{2}-\d{2}-product-catalog --assign "4=<layer>" {4}\(layers: database, backend, frontend\)/,
    );
    assert.deepEqual(
      h.calls.map((c) => c.agent),
      ['layers'],
      'only the proposal was asked for: found before IMPLEMENT, not at COMPLETE',
    );
    assert.match(
      refused!.message,
      /- line \d+: task "4 Anunciar el catálogo en el blog de la tienda \(REQ-7\) — no layer \(pick one when approving\) — the model found none: a blog post, not the backend or the frontend"/,
    );
    assert.ok(
      h.host
        .ofType('log')
        .some((l) =>
          /^Imported \.kiro\/specs\/product-catalog \(Kiro\) as spec\/active\/.+\/spec\.md: 2 requirement\(s\), 5 task\(s\)\.$/.test(
            l.message,
          ),
        ),
    );
    const savedId = /^Spec (\S+) was not approved/.exec(refused!.message)![1]!;
    await engine.assignLayers(h.shop.dir, savedId, [{ task: '4', layer: 'frontend' }]);
    const summary = await engine.approveSpec(savedId, h.options({ autoApprove: true, assumeYes: true }));
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(h.callsOf('spec').length, 0, 'no spec agent: the folder is the spec');
    const backendTasks = (h.callsOf('backend')[0]!.req.body.system as { text: string }[]).map((b) => b.text).join('\n');
    assert.match(
      backendTasks.slice(backendTasks.indexOf('## YOUR TASKS (backend)')),
      /2\.1 Módulo `?server\/entities\/product\.js`? con el patrón simple; Validar nombre y precio \(REQ-1\.1, REQ-1\.2\)/,
    );
    const specId = h.host.ofType('spec.approved')[0]!.specId;
    const { matrix } = await engine.traceSpec(h.shop.dir, specId);
    assert.deepEqual(
      matrix.rows.map((r) => [r.criterion, r.files]),
      [
        ['REQ-1.1', ['db/migrations/003_create_product.sql', 'server/entities/product.js']],
        ['REQ-1.2', ['db/migrations/003_create_product.sql', 'server/entities/product.js']],
        ['REQ-7.1', ['web/src/products.js']],
        ['REQ-7.2', ['web/src/products.js']],
      ],
    );
  } finally {
    await h.close();
  }
});

test('the sidebar offers a layer pick for each task marked "no layer" (listSpecs), and the pick is written into spec.md', async () => {
  await withImportedFolder('kiro/product-catalog', KIRO, async (shop, imported) => {
    const listed = (await engine.listSpecs(shop.dir)).find((s) => s.id === imported.specId)!;
    assert.deepEqual(
      listed.unowned!.map((u) => u.pick),
      [{ task: '4', layers: ['database', 'backend', 'frontend'] }],
    );
    await engine.assignLayers(shop.dir, imported.specId, [{ task: '4', layer: 'frontend' }]);
    assert.ok(
      shop
        .read(imported.specPath)
        .includes(
          '\n4. [ ] 4 Anunciar el catálogo en el blog de la tienda (REQ-7) — layer: frontend (chosen when approving)\n',
        ),
    );
    assert.deepEqual(
      (await engine.listSpecs(shop.dir)).find((s) => s.id === imported.specId)!.unowned,
      undefined,
      'nothing left without a layer',
    );
  });
});
