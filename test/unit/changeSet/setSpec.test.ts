import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memberRequest, newSetId, setSpecText } from '../../../src/core/changeSet/setSpec';
import { SetBudget } from '../../../src/core/changeSet/setBudget';

const uses = [
  { consumer: 'sdk', producer: 'service', via: 'openapi' as const, schema: 'openapi.yaml', generate: 'gen {schema}' },
  { consumer: 'web', producer: 'sdk', via: 'npm' as const, package: '@shop/sdk' },
];
const part = (member: string, body: string) => ({
  member,
  specId: `2026-11-28-${member}`,
  specPath: `spec/active/2026-11-28-${member}/spec.md`,
  title: `${member}'s part`,
  layers: [member],
  body,
});

test("the set's one spec: each part under its member, requirements named by repository, layers as repo/layer", () => {
  const record = { setId: '2026-11-28-stock', request: 'Show stock', branch: 'changeset/2026-11-28-stock', parts: [] };
  const text = setSpecText(record, { root: '/w', file: '/w/.claude/workspace.yaml', members: [], uses }, [
    part('service', '## Spec: x\n\n#### REQ-1: Stock\n- REQ-1.1: WHEN … (see REQ-1)'),
    part('sdk', '#### REQ-1: inStock\n- REQ-1.1: WHEN …'),
  ]);
  assert.match(
    text,
    /^1\. \*\*service\*\*: service's part \(spec\/active\/2026-11-28-service\/spec\.md\); layers service\/service$/m,
  );
  assert.match(
    text,
    /^## service: service's part\n\n### Spec: x\n\n##### service:REQ-1: Stock\n- service:REQ-1\.1: WHEN … \(see service:REQ-1\)$/m,
  );
  assert.match(text, /^##### sdk:REQ-1: inStock$/m);
  assert.match(text, /^- web uses sdk via npm$/m);
});

test("a member's request: its part only, its edges, and its producers' parts written before it", () => {
  const asked = memberRequest('Show stock', 'sdk', ['service', 'sdk', 'web'], uses, [
    part('service', 'the service body'),
  ]);
  assert.match(asked, /^Show stock\n\nThis is sdk's part of one change across the repositories service → sdk → web/);
  assert.match(asked, /^- sdk uses service via openapi$/m);
  assert.match(asked, /^- web uses sdk via npm \(@shop\/sdk\)$/m);
  assert.match(
    asked,
    /service's part, made before this one \(spec\/active\/2026-11-28-service\/spec\.md\):\nthe service body/,
  );
  assert.equal(
    newSetId('Show how many of each product are in stock!', new Date('2026-11-28T10:00:00Z')),
    '2026-11-28-show-how-many-of-each-product',
  );
});

test('one budget: every member charges it; once spent, each further call is refused naming the set’s cap', async () => {
  const budget = new SetBudget(0.05);
  budget.charge(0.03);
  assert.equal(await budget.admit(), undefined);
  budget.charge(0.02);
  budget.charge(undefined);
  assert.equal(budget.spentUsd, 0.05);
  assert.equal(await budget.admit(), "the change-set's limits.maxBudgetUsd ($0.05, spent across its members)");
});
