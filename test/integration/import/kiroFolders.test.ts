// The Kiro shapes of docs/import.md, each approved as a folder and run to COMPLETE against the
// scripted model server: every id of the source is in the spec and in the matrix, ticked tasks
// are not redone, and what the source never linked does not stop. Spec Kit's: specKitFolders.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { engine } from '../../../src/core/engine';
import { loadSpec } from '../../../src/core/project/specs/specs';
import { parseRequirements } from '../../../src/core/trace/requirements';
import { say, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_MODULE, PRODUCT_SCREEN } from '../../support/engine/fixtures';
import { harness } from '../../support/engine/harness';
import { approvedToComplete, assertNames, bring, requestText, taskLines } from './folderRuns';

test('Kiro folder in Chinese (full-width colons, groups with sub-tasks in all four states, **Validates:** and 需求 links, a wrapped title): approve --assign to COMPLETE; ticked work not redone', async () => {
  const h = await harness({
    backend: writesThenDone({
      'server/entities/product.js': PRODUCT_MODULE,
      'server/__tests__/product.test.js':
        "'use strict';\n// REQ-1.2: the price must not be negative\nrequire('node:assert').ok(true);\n",
    }),
    frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
    review: () => say.approve(),
  });
  try {
    bring(h, 'kiro/cart-zh', '.kiro/specs/cart-zh');
    const imported = await engine.importSpec(h.shop.dir, '.kiro/specs/cart-zh');
    assert.equal(imported.tasks, 7);
    const spec = await loadSpec(h.shop.dir, imported.specId);
    const { requirements } = parseRequirements(spec.body);
    assert.deepEqual(
      requirements.map((r) => [r.id, r.title, r.criteria.map((c) => c.id)]),
      [
        ['REQ-1', '产品录入与校验', ['REQ-1.1', 'REQ-1.2']],
        ['REQ-2', '产品列表页面', ['REQ-2.1', 'REQ-2.2']],
      ],
    );
    assert.match(requirements[0]!.story!, /^作为店主，我想要录入产品的名称和价格/);
    assert.match(
      spec.body,
      /### Summary\n商店需要一个产品目录：店主录入产品，顾客在网页上浏览产品列表。 \(Imported from the Kiro spec folder/,
    );
    assert.deepEqual(taskLines(spec.body), [
      '1. [x] 1.1 创建迁移 `db/migrations/003_create_product.sql` (REQ-1.1) — done before import',
      '2. [ ] 1.2 编写产品模块 `server/entities/product.js`，校验名称和价格，沿用 customer.js 的模式 (REQ-1.1, REQ-1.2)',
      '3. [ ] 1.3 为产品校验编写属性测试 server/__tests__/product.test.js (REQ-1.2) — optional in the source',
      '4. [ ] 1.4 在 `server/entities.js` 中登记产品模块 (REQ-1.2) — in progress in the source',
      '5. [ ] 2.1 页面 web/src/products.js 展示产品列表（需求2） (REQ-2)',
      '6. [x] 3.1 确认注册表里还没有 Product (REQ-1.1) — done before import',
      '7. [ ] 4 在商店博客上发布目录公告 (REQ-2) — optional in the source — no layer (pick one when approving)',
    ]);
    assert.match(spec.body, /\n\*\*Group 1\*\* 搭建产品的数据与服务 — in progress in the source\n/);
    assert.match(spec.body, /\n\*\*Group 3\*\* 检查实体注册表 — done before import\n/);
    assert.deepEqual(
      imported.unowned.map((u) => u.text),
      ['4 在商店博客上发布目录公告 (REQ-2) — optional in the source — no layer (pick one when approving)'],
    );

    await assert.rejects(
      engine.assignLayers(h.shop.dir, imported.specId, [{ task: '4', layer: 'marketing' }]),
      /no layer "marketing" \(layers: database, backend, frontend\)/,
    );
    await assert.rejects(
      engine.assignLayers(h.shop.dir, imported.specId, [{ task: '9.9', layer: 'frontend' }]),
      /the spec has no task 9\.9/,
    );
    await engine.assignLayers(h.shop.dir, imported.specId, [{ task: '4', layer: 'frontend' }]);
    const summary = await engine.approveSpec(imported.specId, h.options({ autoApprove: true, assumeYes: false }));
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(h.callsOf('database').length, 0, 'the ticked migration task is not redone');
    assert.equal(h.host.ofType('confirmation').length, 0, 'nothing left without a layer: no question');

    const backend = requestText(h.callsOf('backend')[0]);
    assert.ok(
      backend.includes(
        '1.2 编写产品模块 `server/entities/product.js`，校验名称和价格，沿用 customer.js 的模式 (REQ-1.1, REQ-1.2)',
      ),
      'the backend sees the source ids and the whole title',
    );
    assert.ok(backend.includes('server/__tests__/product.test.js'), 'the path reaches the agent as written');
    const frontend = requestText(h.callsOf('frontend')[0]);
    assert.ok(
      frontend.includes(
        '4 在商店博客上发布目录公告 (REQ-2) — optional in the source — layer: frontend (chosen when approving)',
      ),
    );

    const { matrix } = await engine.traceSpec(h.shop.dir, imported.specId);
    assert.deepEqual(matrix.requirementsWithoutFile, []);
    assert.deepEqual(
      matrix.rows.map((r) => [r.criterion, r.files]),
      [
        ['REQ-1.1', ['server/__tests__/product.test.js', 'server/entities/product.js']],
        ['REQ-1.2', ['server/__tests__/product.test.js', 'server/entities/product.js']],
        ['REQ-2.1', ['web/src/products.js']],
        ['REQ-2.2', ['web/src/products.js']],
      ],
    );
    assert.deepEqual(matrix.taskGroups, [
      'Group 1 搭建产品的数据与服务 — in progress in the source',
      'Group 2 产品页面 — open in the source',
      'Group 3 检查实体注册表 — done before import',
    ]);
    assertNames(JSON.stringify(matrix), [
      'REQ-1',
      'REQ-1.1',
      'REQ-1.2',
      'REQ-2',
      'REQ-2.1',
      'REQ-2.2',
      '1.1',
      '1.2',
      '1.3',
      '1.4',
      '2.1',
      '3.1',
      '4',
    ]);
  } finally {
    await h.close();
  }
});

test('a folder whose every task is ticked: COMPLETE at once with the matrix, no agent called, and it says so', async () => {
  const h = await harness({});
  try {
    const { specId, spec } = await approvedToComplete(h, 'kiro/all-done', '.kiro/specs/all-done');
    assert.equal(h.calls.length, 0, 'no model call at all');
    assert.ok(
      h.host
        .ofType('log')
        .some((l) => /^Nothing left to implement: every task of the spec was done before import/.test(l.message)),
    );
    assert.equal(spec.location, 'completed');
    const { matrix } = await engine.traceSpec(h.shop.dir, specId);
    assert.deepEqual(matrix.doneBeforeImport, ['REQ-1']);
    assert.deepEqual(
      matrix.rows.map((r) => [r.criterion, r.source, r.gaps.includes('no-file')]),
      [
        ['REQ-1.1', 'done-before-import', false],
        ['REQ-1.2', 'done-before-import', false],
      ],
    );
    assertNames(JSON.stringify(matrix), ['REQ-1', 'REQ-1.1', 'REQ-1.2', '1.1', '1.2']);
  } finally {
    await h.close();
  }
});

test('a Kiro bug spec (bugfix.md: numbered defect, expected and unchanged statements): imported and run to COMPLETE, every statement a criterion', async () => {
  const order = readFileSync(resolve(__dirname, '../../../examples/shop/server/entities/order.js'), 'utf8');
  const h = await harness({
    backend: writesThenDone({
      'server/__tests__/order-total.test.js':
        "'use strict';\n// REQ-1.1: a zero price gives no NaN\nrequire('node:assert').ok(true);\n",
      'server/entities/order.js': `${order}\n// A zero unit price counts as 0.00 in the total.\n`,
    }),
    review: () => say.approve(),
  });
  try {
    const { specId, spec } = await approvedToComplete(h, 'kiro/zero-price-bugfix', '.kiro/specs/zero-price-bugfix');
    assert.equal(spec.frontMatter.title, 'Zero price bugfix');
    assert.match(
      spec.body,
      /Imported from the bug spec in the Kiro spec folder `\.kiro\/specs\/zero-price-bugfix`: bugfix\.md, design\.md, tasks\.md/,
    );
    assert.deepEqual(
      parseRequirements(spec.body).requirements.map((r) => [r.id, r.title, r.criteria.map((c) => c.text)]),
      [
        [
          'REQ-1',
          'Current Behavior (Defect)',
          [
            'THE system SHALL no longer behave as follows: WHEN an order holds a line whose unit price is 0 THEN the system shows the total as NaN',
            'THE system SHALL no longer behave as follows: WHEN such an order is listed THEN the system omits the total column',
          ],
        ],
        [
          'REQ-2',
          'Expected Behavior (Correct)',
          [
            'WHEN an order holds a line whose unit price is 0 THEN the system SHALL count the line as 0.00 in the total',
          ],
        ],
        [
          'REQ-3',
          'Unchanged Behavior (Regression Prevention)',
          ['WHEN every line has a price above 0 THEN the system SHALL CONTINUE TO compute the total as before'],
        ],
      ],
    );
    const { matrix } = await engine.traceSpec(h.shop.dir, specId);
    assert.deepEqual(
      matrix.rows.map((r) => [r.criterion, r.files]),
      [
        ['REQ-1.1', ['server/__tests__/order-total.test.js']],
        ['REQ-1.2', ['server/__tests__/order-total.test.js']],
        ['REQ-2.1', ['server/entities/order.js']],
        ['REQ-3.1', ['server/entities/order.js']],
      ],
    );
    assertNames(JSON.stringify(matrix), ['REQ-1.1', 'REQ-1.2', 'REQ-2.1', 'REQ-3.1', '1', '2']);
  } finally {
    await h.close();
  }
});

test('a design-first Kiro folder (design.md and tasks.md, no requirements.md; tasks name no file): each task goes to the layer the design points to, decided at import', async () => {
  const h = await harness({
    database: writesThenDone({
      'db/migrations/003_create_product_tag.sql':
        'CREATE TABLE product_tags (\n  product_id  INTEGER NOT NULL,\n  name        VARCHAR(30) NOT NULL\n);\n',
    }),
    backend: writesThenDone({
      'server/lib/tags.js':
        "'use strict';\n/** REQ-1.2: trimmed, lower-cased, at most 30 characters. */\nfunction tagName(raw) {\n  const name = String(raw).trim().toLowerCase();\n  return name.length > 0 && name.length <= 30 ? name : null;\n}\nmodule.exports = { tagName };\n",
    }),
    review: () => say.approve(),
  });
  try {
    const { specId, spec } = await approvedToComplete(h, 'kiro/design-first', '.kiro/specs/product-tags');
    assert.equal(spec.frontMatter.title, 'Product tags');
    assert.deepEqual(taskLines(spec.body), [
      '1. [x] 1 Create the tag storage table (REQ-1.1) — layer: database (from design.md)',
      '2. [x] 2 Implement the tag validation rules (REQ-1.2, REQ-2.1) — layer: backend (from design.md)',
    ]);
    assert.ok(
      h.host
        .ofType('log')
        .some(
          (l) =>
            l.level === 'warn' &&
            /tasks\.md cites REQ-1\.1, which the folder \(design-first: no requirements\.md\) does not define/.test(
              l.message,
            ),
        ),
    );
    const { matrix } = await engine.traceSpec(h.shop.dir, specId);
    assert.deepEqual(
      matrix.rows.map((r) => [r.criterion, r.files]),
      [
        ['REQ-1.1', ['db/migrations/003_create_product_tag.sql', 'server/lib/tags.js']],
        ['REQ-1.2', ['db/migrations/003_create_product_tag.sql', 'server/lib/tags.js']],
        ['REQ-2.1', ['server/lib/tags.js']],
      ],
    );
  } finally {
    await h.close();
  }
});
