import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tasksByLayer } from '../../../src/core/project/specs/specTasks';
import { citedRequirements, endpointKey, mentionsId, parseRequirements } from '../../../src/core/trace/requirements';
import { hasProblems, specLinkProblems } from '../../../src/core/trace/specLinks';
import { PRODUCT_SPEC } from '../../support/productFeature';

const LAYERS = ['database', 'backend', 'frontend'];

test('the template: requirements with ids, EARS criteria, story, contracts, and the tasks citing them', () => {
  const parsed = parseRequirements(PRODUCT_SPEC);
  assert.deepEqual(
    parsed.requirements.map((r) => [r.id, r.title, r.criteria.map((c) => c.id)]),
    [
      ['REQ-1', 'Create a product', ['REQ-1.1', 'REQ-1.2']],
      ['REQ-2', 'List products', ['REQ-2.1']],
    ],
  );
  assert.match(parsed.requirements[0]!.story!, /^As a shop owner/);
  assert.equal(
    PRODUCT_SPEC.split('\n')[parsed.requirements[1]!.criteria[0]!.line - 1],
    `- REQ-2.1: ${parsed.requirements[1]!.criteria[0]!.text}`,
  );
  assert.deepEqual(
    parsed.contracts.map((c) => c.endpoint),
    ['POST /api/products', 'GET /api/products'],
  );
  const tasks = tasksByLayer(PRODUCT_SPEC, LAYERS).tasks;
  assert.deepEqual(
    tasks.map((t) => citedRequirements(t.text, parsed.requirements)),
    [['REQ-1'], ['REQ-1', 'REQ-2'], ['REQ-2']],
  );
  assert.equal(hasProblems(specLinkProblems(PRODUCT_SPEC, tasks)), false);
});

test('a model\'s variations: list-item requirements, numbered criteria, other heading levels, a Kiro "Requirement 3" heading', () => {
  const markdown = `# Spec: Tags
## Requisitos
- **FR-001**: Tags
  1. WHEN a tag is added THE system SHALL store it lower-cased
  2. THE system SHALL refuse duplicates
- **FR-002**: Export
  - FR-002.1: WHEN export is asked THE system SHALL write CSV
### Requirement 3: Search
#### Acceptance Criteria
1. WHEN a user searches THE system SHALL match tags by prefix
#### Notes
- not a criterion
## Tasks
1. [ ] Backend: tags (FR-001, FR-002.1)
2. [ ] Backend: search (REQ-3)
`;
  const parsed = parseRequirements(markdown);
  assert.deepEqual(
    parsed.requirements.map((r) => [r.id, r.criteria.map((c) => `${c.id} ${c.text}`)]),
    [
      [
        'FR-001',
        [
          'FR-001.1 WHEN a tag is added THE system SHALL store it lower-cased',
          'FR-001.2 THE system SHALL refuse duplicates',
        ],
      ],
      ['FR-002', ['FR-002.1 WHEN export is asked THE system SHALL write CSV']],
      ['REQ-3', ['REQ-3.1 WHEN a user searches THE system SHALL match tags by prefix']],
    ],
  );
  const problems = specLinkProblems(markdown, tasksByLayer(markdown, LAYERS).tasks);
  assert.equal(hasProblems(problems), false, JSON.stringify(problems));
});

test('the problems the spec check reports, each with its line', () => {
  const markdown = `## Spec: Orders
### Requirements
#### REQ-1: Create orders
- REQ-1.1: WHEN an order is posted THE API SHALL answer 201
#### REQ-2: Cancel orders
- the order is cancelled
#### REQ-3: Audit
### API Contracts
#### POST /api/orders
- Success: 201 {id}
- 400: {errors}
### Tasks
1. [ ] Backend: POST /api/orders (REQ-1)
2. [ ] Backend: DELETE /api/orders/{id}
3. [x] Backend: an old task that is done
`;
  const lines = markdown.split('\n');
  const at = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;
  const problems = specLinkProblems(markdown, tasksByLayer(markdown, LAYERS).tasks);
  assert.deepEqual(problems.requirementsWithoutCriteria, [{ line: at('REQ-3: Audit'), text: 'REQ-3 Audit' }]);
  assert.deepEqual(problems.criteriaNotEars, [
    { line: at('the order is cancelled'), text: 'REQ-2.1 the order is cancelled' },
  ]);
  assert.deepEqual(problems.tasksWithoutRequirement, [
    { line: at('DELETE /api'), text: 'Backend: DELETE /api/orders/{id}' },
  ]);
  assert.deepEqual(
    problems.requirementsWithoutTask.map((p) => p.text),
    ['REQ-2 Cancel orders', 'REQ-3 Audit'],
  );
  assert.deepEqual(problems.contractGaps, [
    { line: at('#### POST /api/orders'), text: 'POST /api/orders: the contract lacks 5xx, timeout' },
    { line: at('DELETE /api'), text: 'DELETE /api/orders/{id}: no contract' },
  ]);
  assert.equal(specLinkProblems('## Spec: old\n### Tasks\n1. [ ] Backend: x\n', []).noRequirements, true);
});

test('ids: REQ-1 is not REQ-10 nor REQ-1.2; endpoints compare with any parameter notation', () => {
  assert.equal(mentionsId('serves REQ-10', 'REQ-1'), false);
  assert.equal(mentionsId('serves REQ-1.2', 'REQ-1'), false);
  assert.equal(mentionsId('serves REQ-1.', 'REQ-1'), true);
  assert.equal(mentionsId('(REQ-1, REQ-2)', 'REQ-2'), true);
  assert.equal(mentionsId('// covers REQ-1.2 and more', 'REQ-1.2'), true);
  assert.equal(endpointKey('GET /api/orders/:id'), endpointKey('GET /api/orders/{orderId}'));
});
