// Issue 71: an imported folder's tasks.md ticked in its own tool's notation, and opened again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSourceTicks } from '../../../src/core/import';

test('Kiro: a sub-task ticked `[x]`, its group once every sub-task is; opened again, the group with it', () => {
  const tasks = [
    '- [ ] 1. Data layer',
    '  - [x] 1.1 Migration',
    '  - [-] 1.2 Module `server/a.js`',
    '    - _Requirements: 1.1_',
    '- [ ]* 2. Optional screen',
    '',
  ].join('\n');
  const ticked = withSourceTicks('kiro', tasks, ['1.2', '2'], true);
  assert.deepEqual(ticked.changed, ['1.2', '2', '1']);
  assert.equal(
    ticked.text,
    [
      '- [x] 1. Data layer',
      '  - [x] 1.1 Migration',
      '  - [x] 1.2 Module `server/a.js`',
      '    - _Requirements: 1.1_',
      '- [x]* 2. Optional screen',
      '',
    ].join('\n'),
  );
  const opened = withSourceTicks('kiro', ticked.text, ['1.2', '1'], false);
  assert.deepEqual(opened.changed, ['1', '1.2']);
  assert.match(opened.text, /^- \[ \] 1\. Data layer\n {2}- \[x\] 1\.1 Migration\n {2}- \[ \] 1\.2 Module/);
});

test('Spec Kit: an item ticked `[X]`, a task written as a heading gets ✅; CRLF kept; other ids untouched', () => {
  const tasks = '- [ ] T010 [P] [US1] Module\r\n- [ ] T0101 Not this one\r\n### T011: Screen\r\n### T012 Done ✅\r\n';
  const ticked = withSourceTicks('speckit', tasks, ['T010', 'T011'], true);
  assert.deepEqual(ticked.changed, ['T010', 'T011']);
  assert.equal(
    ticked.text,
    '- [X] T010 [P] [US1] Module\r\n- [ ] T0101 Not this one\r\n### T011: Screen ✅\r\n### T012 Done ✅\r\n',
  );
  const opened = withSourceTicks('speckit', ticked.text, ['T010', 'T011', 'T012'], false);
  assert.equal(
    opened.text,
    '- [ ] T010 [P] [US1] Module\r\n- [ ] T0101 Not this one\r\n### T011: Screen\r\n### T012 Done\r\n',
  );
});
