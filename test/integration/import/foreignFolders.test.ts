// The shapes of docs/import.md, each approved as a folder and
// run to COMPLETE against the scripted model server: every id of the source is in the spec and
// in the matrix, ticked tasks are not redone, and what the source never linked does not stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { engine } from '../../../src/core/engine';
import { loadSpec } from '../../../src/core/project/specs/specs';
import { parseRequirements } from '../../../src/core/trace/requirements';
import { type AgentCall, say, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_MODULE, PRODUCT_SCREEN } from '../../support/engine/fixtures';
import { harness, type Harness } from '../../support/engine/harness';
import { copySpecFolder } from '../../support/specFixtures';

/** The fixture folder copied into the shop and committed, as a user's repository would hold it. */
function bring(h: Harness, fixture: string, at: string): void {
  copySpecFolder(h.shop.dir, fixture, at);
  h.shop.git('add', '-A');
  h.shop.git('commit', '-q', '-m', `bring ${fixture}`);
}

/** Brings `fixture` to `at` and approves the folder with --yes, to COMPLETE: its spec's id and the spec as the run left it. */
async function approvedToComplete(h: Harness, fixture: string, at: string) {
  bring(h, fixture, at);
  const summary = await engine.approveSpec(at, h.options());
  assert.equal(summary.status, 'completed', summary.error);
  const specId = h.host.ofType('spec.approved')[0]!.specId;
  return { specId, spec: await loadSpec(h.shop.dir, specId) };
}

/** Every run reviewed, however few files it changes. */
const REVIEW_ALWAYS = {
  config: (yaml: string) => yaml.replace('skipIfFilesChangedAtMost: 3', 'skipIfFilesChangedAtMost: 0'),
};

/** The text of a layer's first request: the shared blocks and its task list. */
function requestText(call: AgentCall | undefined): string {
  assert.ok(call, 'the layer was called');
  return JSON.stringify(call.req.body);
}

/** The task lines of the spec's Tasks section. */
function taskLines(body: string): string[] {
  return body
    .slice(body.indexOf('### Tasks'))
    .split('\n')
    .filter((l) => /^\d+\. \[/.test(l));
}

function assertNames(json: string, ids: readonly string[]): void {
  const missing = ids.filter((id) => !new RegExp(`(^|[^\\w.-])${id.replace(/\./g, '\\.')}(?![\\w]|\\.\\d)`).test(json));
  assert.deepEqual(missing, [], 'every id of the source is named');
}

const SHIPPING = `'use strict';\n/** Shipping in yen for a cart total: free from 5000. */\nfunction shipping(total) {\n  return total >= 5000 ? 0 : 500;\n}\nmodule.exports = { shipping };\n`;
const SHIPPING_TEST = `'use strict';\nconst assert = require('node:assert');\nconst { shipping } = require('../shipping');\nassert.equal(shipping(6000), 0); // US-1.2\n`;
const SHIPPING_SCREEN = `/** The shipping line of the cart: 無料 when free. */\nexport function shippingLabel(yen) {\n  return yen === 0 ? '無料' : \`\${yen} 円\`;\n}\n`;

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

test('Spec Kit folder in Japanese (T010a ids, a heading task, a checklist that is not tasks, an FR no task cites, __tests__ paths): approve <folder> --yes to COMPLETE; the FR is judged, shown apart, not a stop', async () => {
  const h = await harness(
    {
      backend: writesThenDone({
        'server/lib/shipping.js': SHIPPING,
        'server/lib/__tests__/shipping.test.js': SHIPPING_TEST,
      }),
      frontend: writesThenDone({ 'web/src/shipping.js': SHIPPING_SCREEN }),
      review: () => say.approve(),
    },
    REVIEW_ALWAYS,
  );
  try {
    const { specId, spec } = await approvedToComplete(h, 'speckit/003-shipping-ja', 'specs/003-shipping-ja');
    assert.equal(spec.frontMatter.title, '送料の計算');
    assert.deepEqual(
      parseRequirements(spec.body).requirements.map((r) => [r.id, r.title, r.criteria.map((c) => c.id)]),
      [
        ['US-1', '送料を確認する', ['US-1.1', 'US-1.2']],
        ['US-1.5', '地域ごとの送料', ['US-1.5.1']],
        ['FR-001', 'システムは商品の合計金額から送料を計算しなければならない (MUST)', ['FR-001.1']],
        ['FR-002', 'システムは送料を画面に表示しなければならない', ['FR-002.1']],
        ['FR-003', 'システムは送料の計算結果を監査ログに残さなければならない', ['FR-003.1']],
      ],
    );
    assert.deepEqual(taskLines(spec.body), [
      '1. [x] T001 既存のサーバー構成を確認する — done before import',
      '2. [ ] T010 送料を計算する `server/lib/shipping.js` を作成する (FR-001) (US-1, FR-001)',
      '3. [ ] T010a 送料のテスト server/lib/__tests__/shipping.test.js を書く (US-1)',
      '4. [ ] T011 画面 web/src/shipping.js に送料を表示する (FR-002) (US-1, FR-002)',
      '5. [ ] T020 地域ごとの料金表を server/lib/shipping.js に追加する (US-1.5)',
      '6. [x] T021 料金表の元データを営業部から受け取る (US-1.5) — done before import',
    ]);
    assert.match(
      spec.body,
      /### Checklists of tasks\.md \(not tasks: kept as written\)\n- チェックリスト: \[ \] すべてのテストが通る\n- チェックリスト: \[ \] レビューで送料の表示を確認した\n/,
    );
    assert.match(
      spec.body,
      /\*Not linked in the source: no task of the folder cites FR-003; the review judges it with the rest\.\*/,
    );
    assert.match(
      spec.body,
      /### Design \(plan\.md\)\n````markdown\n# 実装計画: 送料の計算\n[\s\S]*```text\nserver\/lib\/shipping\.js\nserver\/lib\/__tests__\/shipping\.test\.js\n/,
    );

    const backend = requestText(h.callsOf('backend')[0]);
    assert.ok(
      backend.includes('T010a 送料のテスト server/lib/__tests__/shipping.test.js を書く (US-1)'),
      'T010a and its __tests__ path reach the agent as written',
    );
    assert.ok(!backend.includes('lib/tests/shipping'), 'no emphasis stripped from a path');
    assert.ok(
      JSON.stringify(h.callsOf('review')[0]!.req.body).includes('FR-003.1'),
      'the review judges the FR no task cites',
    );

    const { matrix, markdown } = await engine.traceSpec(h.shop.dir, specId);
    assert.deepEqual(matrix.requirementsWithoutFile, []);
    assert.deepEqual(matrix.notLinked, ['FR-003']);
    assert.equal(matrix.rows.find((r) => r.criterion === 'FR-003.1')!.review, 'met');
    assert.match(markdown, /\*\*Not linked in the source\*\* \(no task cites them; the review judges them\): FR-003/);
    assertNames(JSON.stringify(matrix), [
      'US-1',
      'US-1.1',
      'US-1.2',
      'US-1.5',
      'US-1.5.1',
      'FR-001',
      'FR-002',
      'FR-003',
      'FR-003.1',
      'T001',
      'T010',
      'T010a',
      'T011',
      'T020',
      'T021',
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
      '1. [ ] 1 Create the tag storage table (REQ-1.1) — layer: database (from design.md)',
      '2. [ ] 2 Implement the tag validation rules (REQ-1.2, REQ-2.1) — layer: backend (from design.md)',
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

test('Spec Kit folder with [~] deferred and [/] started tasks and ids REQ-11b, REQ-19.2, REQ-20a: every task kept with its state and links; the deferred ones shown, not run, owing no file; --yes to COMPLETE', async () => {
  const h = await harness(
    {
      backend: writesThenDone({
        'server/lib/coupon.js':
          "'use strict';\n// REQ-11, REQ-11b: expired coupons refused\nmodule.exports = { valid: (c, now) => c.expires > now };\n",
      }),
      frontend: writesThenDone({
        'web/src/coupon.js': '// REQ-19.2: the coupon field\nexport const couponField = () => "<input name=coupon>";\n',
      }),
      review: () => say.approve(),
    },
    REVIEW_ALWAYS,
  );
  try {
    const { specId, spec } = await approvedToComplete(h, 'speckit/005-coupons-deferred', 'specs/005-coupons-deferred');
    assert.deepEqual(
      parseRequirements(spec.body).requirements.map((r) => [r.id, r.criteria.map((c) => c.id)]),
      [
        ['US-1', ['US-1.1']],
        ['REQ-11', ['REQ-11.1']],
        ['REQ-11b', ['REQ-11b.1']],
        ['REQ-19.2', ['REQ-19.2.1']],
        ['REQ-20a', ['REQ-20a.1']],
      ],
    );
    assert.deepEqual(taskLines(spec.body), [
      '1. [x] T001 Create the coupon table in db/migrations/004_create_coupon.sql (REQ-11) (REQ-11) — done before import',
      '2. [ ] T010 Coupon rules in server/lib/coupon.js, expired coupons refused (REQ-11, REQ-11b) (US-1, REQ-11, REQ-11b)',
      '3. [ ] T011 Coupon field in web/src/coupon.js (REQ-19.2) (US-1, REQ-19.2) — in progress in the source',
      '4. [x] T012 Stacked coupons in server/lib/stacking.js (REQ-11b) (US-1, REQ-11b) — deferred in the source, not run',
      '5. [x] T020 Export coupon use in server/lib/couponExport.js (REQ-20a) (REQ-20a) — deferred in the source, not run',
    ]);
    assert.doesNotMatch(
      spec.body,
      /stacking\.js`|couponExport\.js`/,
      "a deferred task's files are not listed to write",
    );
    const backend = requestText(h.callsOf('backend')[0]);
    assert.ok(backend.includes('T010 Coupon rules'));
    assert.ok(
      !h.calls.some(
        (c) =>
          JSON.stringify(c.req.body).includes('- [ ] T012') ||
          /write_file[^}]*stacking/.test(JSON.stringify(c.req.body)),
      ),
      'no agent is asked to write a deferred task',
    );
    assert.ok(
      requestText(h.callsOf('frontend')[0]).includes('T011 Coupon field in web/src/coupon.js'),
      'the started task is run',
    );
    assert.ok(
      JSON.stringify(h.callsOf('review')[0]!.req.body).includes('REQ-11b.1'),
      'the review judges the lettered criterion',
    );

    const { matrix } = await engine.traceSpec(h.shop.dir, specId);
    assert.deepEqual(matrix.requirementsWithoutFile, []);
    const row = (criterion: string) => matrix.rows.find((r) => r.criterion === criterion)!;
    assert.deepEqual(row('REQ-11b.1').files, ['server/lib/coupon.js']);
    assert.deepEqual(row('REQ-19.2.1').files, ['web/src/coupon.js']);
    assert.deepEqual([row('REQ-20a.1').files, row('REQ-20a.1').gaps.includes('no-file')], [[], false]);
    assertNames(JSON.stringify(matrix), [
      'REQ-11',
      'REQ-11b',
      'REQ-11b.1',
      'REQ-19.2',
      'REQ-19.2.1',
      'REQ-20a',
      'T001',
      'T010',
      'T011',
      'T012',
      'T020',
    ]);
  } finally {
    await h.close();
  }
});
