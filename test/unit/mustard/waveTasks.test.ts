import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engine } from '../../../src/core/engine';
import { loadSpec } from '../../../src/core/project/specs/specs';
import { tasksByLayer } from '../../../src/core/project/specs/specTasks';
import { makeShop } from '../../support/engine/shopWorkspace';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

// A docs wave as real plans write them: it lists files of two layers, and a task names its own file
// together with a folder and a glob of another layer's that it only reads.
const FOLDER = '.claude/spec/2026-08-10-remove-old-command';
const files = {
  [`${FOLDER}/spec.md`]: '# Remove the old command\n\n- AC-1: WHEN the docs name a command THE command SHALL exist.\n',
  [`${FOLDER}/meta.json`]: json({
    stage: 'Execute',
    outcome: 'Active',
    isWavePlan: true,
    totalWaves: 1,
    currentWave: 1,
    completedWaves: [],
  }),
  [`${FOLDER}/plan.json`]: json({
    total_waves: 1,
    waves: [
      {
        n: 1,
        role: 'docs',
        summary: 'Point every surface at the new command, and guard it with a test.',
        depends_on: [],
        files: ['web/src/hint.js', 'server/tests/commands.test.js'],
        satisfies: ['AC-1'],
        tasks: [
          '`web/src/hint.js`: the broken-link hint must name `orders sync`, never the absorbed `orders refresh`.',
          'Add `every_documented_command_exists` to `server/tests/commands.test.js`: scan the shipped surfaces (`docs/**/*.md` and `web/src`) for the literal `orders <token>` and assert each token is a command. Skip placeholder tokens.',
          'In `server/tests/commands.test.js`, read the hint text from web/src/hint.js and web/src/strings.js and compare it with server/commands.js.',
        ],
      },
    ],
  }),
};

test('a wave task goes to the one layer owning the files it names: a folder or glob it only reads never takes it to a second layer', async () => {
  const shop = makeShop({ git: false, files });
  try {
    const imported = await engine.importSpec(shop.dir, FOLDER);
    const spec = await loadSpec(shop.dir, imported.specId);
    const tasks = spec.body.slice(spec.body.indexOf('### Tasks'), spec.body.indexOf('### Dependencies'));
    assert.doesNotMatch(tasks, /nothing in it tells one layer/);
    const work = tasksByLayer(spec.body, ['database', 'backend', 'frontend']);
    const of = (layer: string) =>
      work.layers[layer]!.tasks.map((t) =>
        t.text
          .replace(/^wave-1-docs: /, '')
          .slice(0, 40)
          .trimEnd(),
      );
    assert.deepEqual(of('frontend'), ['`web/src/hint.js`: the broken-link hint']);
    // The test file's owner writes the test; naming web/src files it reads (more of them than its own) does not move it.
    assert.deepEqual(of('backend'), [
      'Add `every_documented_command_exists` to',
      'In `server/tests/commands.test.js`, read',
    ]);
    assert.equal(work.tasks.length, 3, 'each task once');
  } finally {
    shop.cleanup();
  }
});

test("a docs wave task naming only files no layer owns is nobody's: listed apart for the gate, never handed to the layer owning the wave's other file", async () => {
  const folder = '.claude/spec/2026-08-11-docs-refs';
  const shop = makeShop({
    git: false,
    files: {
      [`${folder}/spec.md`]: '# Docs refs\n\n- AC-1: WHEN the reference names a command THE command SHALL exist.\n',
      [`${folder}/meta.json`]: json({
        stage: 'Execute',
        outcome: 'Active',
        isWavePlan: true,
        totalWaves: 1,
        currentWave: 1,
        completedWaves: [],
      }),
      [`${folder}/plan.json`]: json({
        total_waves: 1,
        waves: [
          {
            n: 1,
            role: 'docs',
            depends_on: [],
            files: ['plugin/refs/full-plan.md', 'server/tests/commands.test.js'],
            satisfies: ['AC-1'],
            tasks: [
              '`plugin/refs/full-plan.md`: describe the renderer as part of `orders sync`, keeping every rule.',
              'Add a check to `server/tests/commands.test.js` that every command the references name exists.',
              'Review the wording of the whole wave.',
            ],
          },
        ],
      }),
    },
  });
  try {
    const imported = await engine.importSpec(shop.dir, folder);
    const spec = await loadSpec(shop.dir, imported.specId);
    const work = tasksByLayer(spec.body, ['database', 'backend', 'frontend']);
    const of = (layer: string) =>
      work.layers[layer]!.tasks.map((t) =>
        t.text
          .replace(/^wave-1-docs: /, '')
          .slice(0, 30)
          .trimEnd(),
      );
    // The test file's owner writes its task, and the task naming no file (the role matches no layer) goes to the wave's writer.
    assert.deepEqual(of('backend'), ['Add a check to `server/tests/c', 'Review the wording of the whol']);
    const apart = spec.body.slice(
      spec.body.lastIndexOf('#### Not owned by any layer'),
      spec.body.indexOf('### Dependencies'),
    );
    assert.match(apart, /^\d+\. \[ \] wave-1-docs: `plugin\/refs\/full-plan\.md`: describe the renderer/m);
    assert.ok(
      imported.unowned.some((u) => u.kind === 'task' && u.text.includes('plugin/refs/full-plan.md')),
      JSON.stringify(imported.unowned),
    );
  } finally {
    shop.cleanup();
  }
});
