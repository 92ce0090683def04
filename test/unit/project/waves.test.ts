import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeWaves, defaultConfig, parseConfig } from '../../../src/core/project/config/config';

test('default layers: database and backend together, then frontend', () => {
  const config = defaultConfig();
  assert.deepEqual(computeWaves(config, ['frontend', 'backend', 'database']), [['database', 'backend'], ['frontend']]);
});

test('only the selected layers take part', () => {
  const config = defaultConfig();
  assert.deepEqual(computeWaves(config, ['frontend']), [['frontend']]);
  assert.deepEqual(computeWaves(config, ['database', 'frontend']), [['database', 'frontend']]);
  assert.deepEqual(computeWaves(config, ['backend', 'frontend']), [['backend'], ['frontend']]);
  assert.deepEqual(computeWaves(config, []), []);
});

test('a chain orders through layers that are not selected', () => {
  const config = parseConfig(`layers:
  schema: { owns: [db/**] }
  api: { owns: [api/**], after: [schema] }
  web: { owns: [web/**], after: [api] }
  docs: { owns: [docs/**] }
`);
  assert.deepEqual(computeWaves(config, ['web', 'api', 'schema', 'docs']), [['schema', 'docs'], ['api'], ['web']]);
  assert.deepEqual(computeWaves(config, ['web', 'schema']), [['schema'], ['web']]);
});

test('diamond dependencies', () => {
  const config = parseConfig(`layers:
  a: { owns: [a/**] }
  b: { owns: [b/**], after: [a] }
  c: { owns: [c/**], after: [a] }
  d: { owns: [d/**], after: [c, b] }
`);
  assert.deepEqual(computeWaves(config, ['d', 'c', 'b', 'a']), [['a'], ['b', 'c'], ['d']]);
});

test('an unknown layer is refused', () => {
  assert.throws(() => computeWaves(defaultConfig(), ['mobile']), /unknown layer "mobile"/);
});

test("a spec's plan orders its layers: its waves cut to those selected, any other after them in `after:` order", () => {
  const config = defaultConfig();
  const plan = [['frontend'], ['database', 'backend']];
  assert.deepEqual(computeWaves(config, ['database', 'backend', 'frontend'], plan), plan);
  assert.deepEqual(computeWaves(config, ['backend', 'frontend'], plan), [['frontend'], ['backend']]);
  assert.deepEqual(computeWaves(config, ['frontend', 'backend', 'database'], [['backend']]), [
    ['backend'],
    ['database', 'frontend'],
  ]);
});
