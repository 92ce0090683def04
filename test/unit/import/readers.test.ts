// The readers on their own: heading and link forms in the languages real folders use, ids as
// written, whole titles, and paths with markdown-significant characters kept as written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readKiro } from '../../../src/core/import/kiro';
import { readSpecKit } from '../../../src/core/import/specKit';
import { namedPaths } from '../../../src/core/project/specs/specTasks';

test('Kiro: "<word> N" headings in Japanese and Chinese, ids written out, nested criteria, and every link form', () => {
  const spec = readKiro(
    {
      requirements: [
        '# 要件定義書',
        '',
        '### 要件 3',
        '',
        '**ユーザーストーリー:** ユーザーとして、コストを見たい。',
        '',
        '#### 受け入れ基準',
        '',
        '1. WHEN 集計する THEN システム SHALL 合計を返す',
        '   - 端数は切り捨てる',
        '',
        '### REQ-7: Export',
        '',
        '1. THE system SHALL export CSV',
        '',
        '### 需求13：导出报表',
        '',
        '1. 系统 SHALL 导出报表',
      ].join('\n'),
      tasks: [
        '- [ ] 1. 集計 lib/__tests__/cost.test.ts と app/[locale]/page.tsx、*.spec.ts を更新する',
        '  _要件: 3.1_',
        '- [ ] 2. Export `src/**/*.csv.ts` files (REQ-7.1)',
        '  - _Requirements: 7.1_',
        '- [ ] 3. 导出 需求13',
      ].join('\n'),
    },
    'cost',
  );
  assert.deepEqual(
    spec.requirements.map((r) => [r.id, r.title, r.criteria.map((c) => `${c.id} ${c.text}`)]),
    [
      [
        'REQ-3',
        'ユーザーとして、コストを見たい。',
        ['REQ-3.1 WHEN 集計する THEN システム SHALL 合計を返す; 端数は切り捨てる'],
      ],
      ['REQ-7', 'Export', ['REQ-7.1 THE system SHALL export CSV']],
      ['REQ-13', '导出报表', ['REQ-13.1 系统 SHALL 导出报表']],
    ],
  );
  assert.deepEqual(
    spec.tasks.map((t) => [t.ref, t.text, t.cites]),
    [
      ['1', '集計 lib/__tests__/cost.test.ts と app/[locale]/page.tsx、*.spec.ts を更新する', ['REQ-3.1']],
      ['2', 'Export `src/**/*.csv.ts` files (REQ-7.1)', ['REQ-7.1']],
      ['3', '导出 需求13', ['REQ-13']],
    ],
  );
  assert.deepEqual(namedPaths(spec.tasks[0]!.text), ['lib/__tests__/cost.test.ts', 'app/[locale]/page.tsx']);
  assert.deepEqual(namedPaths(spec.tasks[1]!.text), ['src/**/*.csv.ts']);
});

test('Spec Kit: Chinese story headings with a full-width priority tag, story and FR ids, checklist items kept apart', () => {
  const spec = readSpecKit(
    {
      spec: [
        '# 功能规格：导出',
        '',
        '### 用户故事 1 - 导出订单 (优先级: P1)',
        '',
        '作为店主，我想导出订单。',
        '',
        '1. **Given** 有订单, **When** 店主点击导出, **Then** 下载 CSV',
        '',
        '### 用户故事 2 – 导出客户（优先级：P2）',
        '',
        '- **FR-012**: 系统 MUST 导出 CSV',
      ].join('\n'),
      tasks: [
        '- [X] T001 [US1] 导出订单 `server/export.js`',
        '- [ ] T002 [US2] 导出客户 (FR-012)',
        '',
        '## 检查清单',
        '',
        '- [ ] 代码已评审',
      ].join('\n'),
    },
    '004-export',
  );
  assert.equal(spec.title, '导出');
  assert.deepEqual(
    spec.requirements.map((r) => [r.id, r.title]),
    [
      ['US-1', '导出订单'],
      ['US-2', '导出客户'],
      ['FR-012', '系统 MUST 导出 CSV'],
    ],
  );
  assert.equal(
    spec.requirements[0]!.criteria[0]!.text,
    'WHEN 店主点击导出 (given 有订单) THE system SHALL ensure 下载 CSV',
  );
  assert.deepEqual(
    spec.tasks.map((t) => [t.ref, t.done, t.cites]),
    [
      ['T001', true, ['US-1']],
      ['T002', false, ['US-2', 'FR-012']],
    ],
  );
  assert.deepEqual(spec.checklists, ['检查清单: [ ] 代码已评审']);
});

test('Kiro bugfix.md: bold statement numbers, the sub-list and wrapped lines kept with it, bold sub-titles skipped; tasks numbered "1.1:"', () => {
  const spec = readKiro(
    {
      bugfix: [
        '# Bugfix Requirements Document',
        '',
        '### Current Behavior (Defect)',
        '',
        '**Bug A — totals:**',
        '',
        '1.1 WHEN a refund is booked THEN the balance',
        'ignores it',
        '',
        '### Expected Behavior (Correct)',
        '',
        '**2.1** Balance consistency',
        'The dashboard SHALL show:',
        '  - the booked balance',
        '  - the free balance',
        '',
        '2.2: WHEN a refund is booked THEN the system SHALL add it to the balance',
      ].join('\n'),
      tasks: [
        '## Task 1: Exploration',
        '',
        '- [x] 1.1: Write the refund test in `test/refund.test.ts`',
        '  - **Validates: Requirements 1.1, 2.2**',
      ].join('\n'),
    },
    'refund-bug',
  );
  assert.deepEqual(
    spec.requirements.map((r) => [r.id, r.criteria.map((c) => `${c.id} ${c.text}`)]),
    [
      [
        'REQ-1',
        ['REQ-1.1 THE system SHALL no longer behave as follows: WHEN a refund is booked THEN the balance ignores it'],
      ],
      [
        'REQ-2',
        [
          'REQ-2.1 Balance consistency The dashboard SHALL show:; the booked balance; the free balance',
          'REQ-2.2 WHEN a refund is booked THEN the system SHALL add it to the balance',
        ],
      ],
    ],
  );
  assert.deepEqual(
    spec.tasks.map((t) => [t.ref, t.text, t.done, t.cites]),
    [['1.1', 'Write the refund test in `test/refund.test.ts`', true, ['REQ-1.1', 'REQ-2.2']]],
  );
});

test('Kiro sub-tasks written at their parent\'s indentation are its sub-tasks; ranges and "All" are links; Spec Kit ids T046B and FR-005a', () => {
  const kiro = readKiro(
    {
      requirements: [
        '## Requirements',
        '',
        '### Requirement 1: A',
        '',
        '1. THE system SHALL a',
        '2. THE system SHALL b',
        '3. THE system SHALL c',
        '',
        '### Requirement 2: B',
        '',
        '1. THE system SHALL d',
      ].join('\n'),
      tasks: [
        '- [x] 1. Set up',
        '',
        '',
        '- [x] 1.1 Create the folders',
        '  - _Requirements: All_',
        '',
        '- [ ] 1.2 Write the checks',
        '  - _Requirements: 1.1-1.3_',
      ].join('\n'),
    },
    'flat',
  );
  assert.deepEqual(
    kiro.tasks.map((t) => [t.ref, t.parent ?? null, t.group ?? false, t.cites]),
    [
      ['1', null, true, []],
      ['1.1', '1', false, ['REQ-1', 'REQ-2']],
      ['1.2', '1', false, ['REQ-1.1', 'REQ-1.2', 'REQ-1.3']],
    ],
  );
  const specKit = readSpecKit(
    {
      spec: [
        '### User Story 2 - Add (Priority: P1)',
        '',
        '1. **Given** x, **When** y, **Then** z',
        '',
        '## Requirements',
        '',
        '- **FR-005**: System MUST a',
        '- **FR-005a**: When b, the system MUST c',
      ].join('\n'),
      tasks: [
        '- [X] T046 [US2] Verify the story',
        '- [X] T046B [US2] Integration test per FR-005a in frontend/tests/a.test.tsx',
      ].join('\n'),
    },
    '002-add',
  );
  assert.deepEqual(
    specKit.requirements.map((r) => r.id),
    ['US-2', 'FR-005', 'FR-005a'],
  );
  assert.deepEqual(
    specKit.tasks.map((t) => [t.ref, t.done, t.cites]),
    [
      ['T046', true, ['US-2']],
      ['T046B', true, ['US-2', 'FR-005a']],
    ],
  );
});

test('Kiro: [~] deferred and [/] started sub-tasks kept with their state; a lettered id cited but not defined keeps its letter (REQ-11b, not REQ-11)', () => {
  const kiro = readKiro(
    {
      design: '# Design',
      tasks: [
        '- [ ] 1. Coupons',
        '  - [/] 1.1 Coupon rules',
        '    - _Requirements: 11b.1_',
        '  - [~] 1.2 Stacked coupons',
        '    - _Requirements: 11b.2, 19.2_',
      ].join('\n'),
    },
    'coupons',
  );
  assert.deepEqual(
    kiro.tasks.map((t) => [t.ref, t.state, t.cites]),
    [
      ['1', 'open', []],
      ['1.1', 'in-progress', ['REQ-11b.1']],
      ['1.2', 'deferred', ['REQ-11b.2', 'REQ-19.2']],
    ],
  );
  assert.deepEqual(
    kiro.requirements.map((r) => [r.id, r.criteria.map((c) => c.id)]),
    [
      ['REQ-11b', ['REQ-11b.1', 'REQ-11b.2']],
      ['REQ-19', ['REQ-19.2']],
    ],
  );
});

test('Spec Kit: a heading with its own id groups the items under it: the group is a requirement, `FR-100.1`… its criteria, and a task citing a child links to it', () => {
  const spec = readSpecKit(
    {
      spec: [
        '# Feature: Fleet of agents',
        '',
        '## Requirements',
        '',
        '### Functional Requirements',
        '',
        '#### Agent Management (FR-100)',
        '',
        '- **FR-100.1**: System MUST issue registration tokens',
        '- **FR-100.2**: Tokens MUST expire after 24 hours',
        '',
        '#### FR-110: Auditability',
        '',
        '- **FR-110.1**: Each agent MUST have a system user',
        '- **FR-007**: Not a child of the group, a requirement of its own',
        '',
        '### Success Criteria',
        '',
        '- **SC-001**: Registration takes under a minute',
      ].join('\n'),
      tasks: [
        '- [ ] T001 Token issuing in `server/tokens.py` (FR-100.2)',
        '- [x] T002 System users in `server/users.py` (FR-110)',
      ].join('\n'),
    },
    '021-fleet',
  );
  assert.deepEqual(
    spec.requirements.map((r) => [r.id, r.criteria.map((c) => c.id)]),
    [
      ['FR-100', ['FR-100.1', 'FR-100.2']],
      ['FR-110', ['FR-110.1']],
      ['FR-007', ['FR-007.1']],
      ['SC-001', ['SC-001.1']],
    ],
  );
  assert.equal(spec.requirements[0]!.title, 'Agent Management');
  assert.equal(spec.requirements[1]!.title, 'Auditability');
  assert.deepEqual(
    spec.tasks.map((t) => t.cites),
    [['FR-100.2'], ['FR-110']],
  );
  assert.deepEqual(spec.warnings, []);
});

test('Kiro: a remark after a range (`34a-34c (all), 19.2`) keeps the links after it', () => {
  const spec = readKiro(
    {
      requirements: [
        '### Requirement 19',
        '',
        '1. THE system SHALL test every layer',
        '2. THE system SHALL tie tests to requirements',
      ].join('\n'),
      tasks: [
        '- [ ] 15. Phase 7',
        '  - [x] 15.22 Write integration tests',
        '    - _Requirements: 34a-34c (all), 19.2_',
      ].join('\n'),
    },
    'core',
  );
  assert.deepEqual(spec.tasks.find((t) => t.ref === '15.22')?.cites, ['REQ-34a', 'REQ-34b', 'REQ-34c', 'REQ-19.2']);
});
