// The Spec Kit shapes of docs/import.md, each approved as a folder and run to COMPLETE against the
// scripted model server: every id of the source is in the spec and in the matrix, and what the
// source never linked does not stop. Kiro's: kiroFolders.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { parseRequirements } from '../../../src/core/trace/requirements';
import { say, writesThenDone } from '../../support/engine/agentScript';
import { harness } from '../../support/engine/harness';
import { approvedToComplete, assertNames, REVIEW_ALWAYS, requestText, taskLines } from './folderRuns';

const SHIPPING = `'use strict';\n/** Shipping in yen for a cart total: free from 5000. */\nfunction shipping(total) {\n  return total >= 5000 ? 0 : 500;\n}\nmodule.exports = { shipping };\n`;
const SHIPPING_TEST = `'use strict';\nconst assert = require('node:assert');\nconst { shipping } = require('../shipping');\nassert.equal(shipping(6000), 0); // US-1.2\n`;
const SHIPPING_SCREEN = `/** The shipping line of the cart: 無料 when free. */\nexport function shippingLabel(yen) {\n  return yen === 0 ? '無料' : \`\${yen} 円\`;\n}\n`;

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
      '2. [x] T010 送料を計算する `server/lib/shipping.js` を作成する (FR-001) (US-1, FR-001)',
      '3. [x] T010a 送料のテスト server/lib/__tests__/shipping.test.js を書く (US-1)',
      '4. [x] T011 画面 web/src/shipping.js に送料を表示する (FR-002) (US-1, FR-002)',
      '5. [x] T020 地域ごとの料金表を server/lib/shipping.js に追加する (US-1.5)',
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
      '2. [x] T010 Coupon rules in server/lib/coupon.js, expired coupons refused (REQ-11, REQ-11b) (US-1, REQ-11, REQ-11b)',
      '3. [x] T011 Coupon field in web/src/coupon.js (REQ-19.2) (US-1, REQ-19.2) — in progress in the source',
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
