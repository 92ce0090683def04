// The runner picker's engine side: each layer's and role's runner with the CLI agents' status,
// and a choice written into .claude/orchestrator.yaml with every comment and the layout kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import { parseWebviewMessage } from '../../../src/shared/protocol';

const CONFIG = `# Orchestrator configuration (hand-written).
version: 1
layers:
  database:
    owns: ["db/**"]   # migrations only
    validate: ["node scripts/check.js db"]
  backend: { owns: ["server/**"], validate: ["npm test"] }   # flow style stays flow style
# the end
`;

function workspace(): { dir: string; read(): string; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'orch-runner-choice-'));
  mkdirSync(join(dir, '.claude'));
  writeFileSync(join(dir, '.claude', 'orchestrator.yaml'), CONFIG);
  return {
    dir,
    read: () => readFileSync(join(dir, '.claude', 'orchestrator.yaml'), 'utf8'),
    done: () => rmSync(dir, { recursive: true, force: true }),
  };
}

test("a layer's runner is written with the comments and styles kept; choosing agent again takes the key out", async () => {
  const w = workspace();
  try {
    await engine.setRunner(w.dir, { layer: 'database' }, 'claude-code');
    await engine.setRunner(w.dir, { layer: 'backend' }, 'codex');
    const written = w.read();
    assert.match(written, /^# Orchestrator configuration \(hand-written\)\./);
    assert.match(written, /owns: \[ ?"db\/\*\*" ?\] +# migrations only/);
    assert.match(written, /database:\n(.*\n)*? {4}runner: claude-code/);
    assert.match(
      written,
      /backend: \{ owns: \[ ?"server\/\*\*" ?\], validate: \[ ?"npm test" ?\], runner: codex \} # flow style stays flow style/,
    );
    assert.match(written, /# the end/);
    const choices = await engine.runnerChoices(w.dir, { trusted: true });
    assert.deepEqual(choices.layers, [
      { name: 'database', runner: 'claude-code' },
      { name: 'backend', runner: 'codex' },
    ]);
    assert.deepEqual(
      choices.clis.map((c) => c.runner),
      ['claude-code', 'codex', 'gemini', 'copilot', 'opencode'],
    );

    await engine.setRunner(w.dir, { role: 'review' }, 'codex');
    assert.match(w.read(), /runners:\n {2}review: codex/);
    await engine.setRunner(w.dir, { role: 'review' }, 'agent');
    await engine.setRunner(w.dir, { layer: 'database' }, 'agent');
    assert.doesNotMatch(w.read(), /runners:|runner: claude-code/);
  } finally {
    w.done();
  }
});

test('what would not load is not written: an unknown layer, external for a role; the file stays as it was', async () => {
  const w = workspace();
  try {
    await assert.rejects(engine.setRunner(w.dir, { layer: 'mobile' }, 'codex'), /there is no layer "mobile"/);
    await assert.rejects(
      engine.setRunner(w.dir, { role: 'review' }, 'external'),
      /external is a runner for layers only/,
    );
    await assert.rejects(engine.setRunner(w.dir, { role: 'review' }, 'auto'), /auto chooses a layer's runner/);
    assert.equal(w.read(), CONFIG);
  } finally {
    w.done();
  }
});

test("the webview's engine.setRunner message is checked: a known runner, a layer name or a role", () => {
  assert.equal(parseWebviewMessage({ type: 'setRunner', layer: 'backend', runner: 'codex' }).ok, true);
  assert.equal(parseWebviewMessage({ type: 'setRunner', role: 'review', runner: 'claude-code' }).ok, true);
  assert.equal(parseWebviewMessage({ type: 'setRunner', layer: 'backend', runner: 'rm -rf' }).ok, false);
  assert.equal(parseWebviewMessage({ type: 'setRunner', layer: '../etc', runner: 'codex' }).ok, false);
  assert.equal(parseWebviewMessage({ type: 'setRunner', role: 'owner', runner: 'codex' }).ok, false);
  assert.equal(parseWebviewMessage({ type: 'setRunner', layer: 'backend', runner: 'auto' }).ok, true);
});

test("auto (issue 47) is a layer's runner the picker writes and reads back", async () => {
  const w = workspace();
  try {
    await engine.setRunner(w.dir, { layer: 'backend' }, 'auto');
    assert.match(w.read(), /backend: \{ owns: \[ ?"server\/\*\*" ?\], validate: \[ ?"npm test" ?\], runner: auto \}/);
    assert.deepEqual(
      (await engine.runnerChoices(w.dir, { trusted: true })).layers.find((l) => l.name === 'backend'),
      { name: 'backend', runner: 'auto' },
    );
  } finally {
    w.done();
  }
});
