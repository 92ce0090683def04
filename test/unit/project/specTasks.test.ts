import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tasksByLayer } from '../../../src/core/project/specs/specTasks';

const LAYERS = ['database', 'backend', 'frontend'];

const TEMPLATE = `---
id: 2026-03-01-orders
title: Orders
---

## Spec: Orders

### Date: 2026-03-01
### Status: approved

### Summary
- Not a file: summary bullets are ignored

### Files to Create/Modify

#### Database
- [ ] db/migrations/001_orders.sql: create orders table
- [x] db/schema.sql: add FK

#### Backend
- [ ] server/orders/controller.ts: CRUD endpoints

#### Frontend
- [ ] web/orders/OrdersPage.tsx: list page

### Tasks
1. [ ] Create the orders table (database)
2. [x] Backend: CRUD endpoints
3. [ ] Frontend list page after the backend types exist

### Dependencies
- Customer entity
`;

test('the seed template: files per layer and the task list', () => {
  const result = tasksByLayer(TEMPLATE, LAYERS);
  assert.deepEqual(result.layers.database?.files, [
    {
      text: 'db/migrations/001_orders.sql: create orders table',
      done: false,
      line: 17,
      path: 'db/migrations/001_orders.sql',
      description: 'create orders table',
    },
    { text: 'db/schema.sql: add FK', done: true, line: 18, path: 'db/schema.sql', description: 'add FK' },
  ]);
  assert.deepEqual(
    result.layers.backend?.files.map((f) => f.path),
    ['server/orders/controller.ts'],
  );
  assert.deepEqual(
    result.layers.frontend?.files.map((f) => f.path),
    ['web/orders/OrdersPage.tsx'],
  );
  assert.deepEqual(
    result.tasks.map((t) => t.done),
    [false, true, false],
  );
  assert.equal(result.tasks.length, 3);
  // Tasks go to the layers they name.
  assert.deepEqual(
    result.layers.database?.tasks.map((t) => t.text),
    ['Create the orders table (database)'],
  );
  assert.deepEqual(
    result.layers.backend?.tasks.map((t) => t.text),
    ['Backend: CRUD endpoints', 'Frontend list page after the backend types exist'],
  );
  assert.deepEqual(
    result.layers.frontend?.tasks.map((t) => t.text),
    ['Frontend list page after the backend types exist'],
  );
  assert.deepEqual(result.unowned, []);
});

test("tolerates the agent's variations: heading levels and case, bullets, backticks, bold, sub-items", () => {
  const markdown = `# Spec: Tags
## Files
### DATABASE layer
* [ ] \`db/tags.sql\` — tags table
### Backend (.NET)
- [ ] **server/Tags/TagsController.cs**: endpoints
  - validate name length
- [X] Update \`server/Program.cs\` to register the service
**Frontend:**
+ web/tags/TagList.tsx - the list
1) [ ] web/tags/api.ts
## Task list
### Backend
- [ ] Add controller
### Frontend
- [ ] Add page
### Mobile
- [ ] Not ours
`;
  const result = tasksByLayer(markdown, LAYERS);
  assert.deepEqual(
    result.layers.database?.files.map((f) => [f.path, f.description]),
    [['db/tags.sql', 'tags table']],
  );
  assert.deepEqual(
    result.layers.backend?.files.map((f) => [f.path, f.description, f.done]),
    [
      ['server/Tags/TagsController.cs', 'endpoints; validate name length', false],
      ['server/Program.cs', 'Update to register the service', true],
    ],
  );
  assert.deepEqual(
    result.layers.frontend?.files.map((f) => [f.path, f.description]),
    [
      ['web/tags/TagList.tsx', 'the list'],
      ['web/tags/api.ts', ''],
    ],
  );
  assert.deepEqual(
    result.layers.backend?.tasks.map((t) => t.text),
    ['Add controller'],
  );
  assert.deepEqual(
    result.layers.frontend?.tasks.map((t) => t.text),
    ['Add page'],
  );
  assert.deepEqual(
    result.tasks.map((t) => t.text),
    ['Add controller', 'Add page', 'Not ours'],
  );
  // A section of a layer that is not configured: its task is nobody's, and says so.
  assert.deepEqual(result.unowned, [{ kind: 'task', line: 18, text: 'Not ours' }]);
});

test('a title mentioning tasks or a layer does not swallow the document', () => {
  const markdown = `## Spec: Task management
## Frontend polish
- not a file
### Files to Create/Modify
- [ ] README.md: docs
#### Backend
- [ ] server/tasks.ts: task endpoints
### Tasks
1. Write it
`;
  const result = tasksByLayer(markdown, LAYERS);
  assert.deepEqual(result.layers.frontend?.files, []);
  assert.deepEqual(
    result.layers.backend?.files.map((f) => f.path),
    ['server/tasks.ts'],
  );
  assert.deepEqual(result.unowned, [
    { kind: 'file', line: 5, text: 'README.md: docs' },
    { kind: 'task', line: 9, text: 'Write it' },
  ]);
  assert.deepEqual(
    result.tasks.map((t) => [t.text, t.done]),
    [['Write it', false]],
  );
});

test('code fences are skipped; a layer nobody configured owns nothing', () => {
  const markdown = `### Files to Create/Modify
#### Backend
\`\`\`
- [ ] not/a/file.ts
\`\`\`
- [ ] server/a.ts
#### Mobile
- [ ] app/b.swift
`;
  const result = tasksByLayer(markdown, ['backend']);
  assert.deepEqual(
    result.layers.backend?.files.map((f) => f.path),
    ['server/a.ts'],
  );
  assert.deepEqual(result.unowned, [{ kind: 'file', line: 8, text: 'app/b.swift' }]);
  assert.deepEqual(Object.keys(result.layers), ['backend']);
});

test('custom layer names and an empty body', () => {
  assert.deepEqual(
    tasksByLayer('#### Data-Access\n- [ ] src/dal/x.ts: y\n', ['data-access']).layers['data-access']?.files.map(
      (f) => f.path,
    ),
    ['src/dal/x.ts'],
  );
  assert.deepEqual(tasksByLayer('', ['backend']), {
    layers: { backend: { files: [], tasks: [] } },
    tasks: [],
    unowned: [],
  });
});

test('files and tasks nested under a layer heading stay with that layer', () => {
  const markdown = `### Backend
#### Files
- [ ] server/a.ts
  - with a detail
#### Tasks
- [ ] Write the handler
### Frontend
- [ ] web/b.tsx
`;
  const result = tasksByLayer(markdown, ['backend', 'frontend']);
  assert.deepEqual(
    result.layers.backend?.files.map((f) => [f.path, f.description]),
    [['server/a.ts', 'with a detail']],
  );
  assert.deepEqual(
    result.layers.backend?.tasks.map((t) => t.text),
    ['Write the handler'],
  );
  assert.deepEqual(
    result.layers.frontend?.files.map((f) => f.path),
    ['web/b.tsx'],
  );
  assert.deepEqual(result.layers.frontend?.tasks, []);
  assert.deepEqual(
    result.tasks.map((t) => t.text),
    ['Write the handler'],
  );
});

const OWNS: Record<string, string> = { db: 'database', server: 'backend', web: 'frontend' };
const ownerOf = (path: string) => OWNS[path.split('/')[0]!];

test("with the layers' owns: a file goes to the layer whose owns match it, a task to its files, else the layers it names", () => {
  const markdown = `### Files to Create/Modify
- [ ] db/migrations/004_customer.sql: customer table
#### Backend
- [ ] web/src/customers.js: listed under the wrong layer
- [ ] Wire the customer routes
- [ ] None
#### Frontend
- None

### Tasks
1. [ ] Create the customer table
2. [ ] Add \`server/entities/customer.js\` following the simple pattern
3. [ ] Render server/views/x.html and web/src/list.js
4. [ ] Update the database seed
5. [x] Create the customer index (already there)
6. [ ] Write docs/customers.md
`;
  const result = tasksByLayer(markdown, LAYERS, ownerOf);
  assert.deepEqual(
    result.layers.database?.files.map((f) => f.path),
    ['db/migrations/004_customer.sql'],
  );
  assert.deepEqual(
    result.layers.frontend?.files.map((f) => f.path),
    ['web/src/customers.js'],
  );
  // A line of work that names no file belongs to its layer heading; "None" is no work.
  assert.deepEqual(
    result.layers.backend?.files.map((f) => f.text),
    ['Wire the customer routes'],
  );
  assert.deepEqual(
    result.layers.backend?.tasks.map((t) => t.line),
    [12, 13],
  );
  assert.deepEqual(
    result.layers.frontend?.tasks.map((t) => t.line),
    [13],
  );
  assert.deepEqual(
    result.layers.database?.tasks.map((t) => t.line),
    [14],
  );
  assert.deepEqual(result.unowned, [
    { kind: 'task', line: 11, text: 'Create the customer table' },
    { kind: 'task', line: 16, text: 'Write docs/customers.md' },
  ]);
});

test('line numbers count the front matter', () => {
  const result = tasksByLayer(
    '---\r\nid: x\r\n---\r\n### Tasks\r\n- [ ] Create the customer table\r\n',
    LAYERS,
    ownerOf,
  );
  assert.deepEqual(result.unowned, [{ kind: 'task', line: 5, text: 'Create the customer table' }]);
});
