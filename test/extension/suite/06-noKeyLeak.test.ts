// After the runs of the suites before it: neither the stored key nor the environment's key
// appears in the Orchestrator LogOutputChannel (what the extension wrote to it, and its log
// file on disk), the view state the webview renders, the settings, the messages shown to the
// user, or any file in the workspace (run journals, specs, registry).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { requireApi } from '../support/api';
import { extensionLogFiles, filesContaining, userDataDir, walk, workspaceDir } from '../support/files';
import { activated, EXTENSION_ID, until, view } from '../support/host';
import { probe } from '../support/probe';

suite('the API key never leaks', function () {
  this.timeout(30_000);
  let keys: string[];

  suiteSetup(async function () {
    requireApi(this);
    await activated();
    if (process.env.ANTHROPIC_API_KEY) probe().secrets.add(process.env.ANTHROPIC_API_KEY);
    keys = [...probe().secrets];
    assert.ok(keys.length > 0, 'no key to look for');
    const runs = view().runs;
    assert.ok(runs.length > 0, 'no run happened before this suite: the checks would prove nothing');
  });

  const leaks = (text: string) => keys.filter((k) => text.includes(k));

  test('not in what the extension wrote to its output channel', () => {
    const lines = probe().logLines.filter((l) => l.channel === 'Orchestrator');
    assert.ok(
      lines.some((l) => /run \S+ started/.test(l.text)),
      'the probe saw no run in the Orchestrator channel',
    );
    assert.deepEqual(leaks(lines.map((l) => l.text).join('\n')), []);
  });

  test('not in the LogOutputChannel file on disk', async () => {
    const runId = view().runs[0]!.runId;
    const file = await until(
      () => {
        const f = extensionLogFiles(EXTENSION_ID, 'Orchestrator')[0];
        return f && readFileSync(f, 'utf8').includes(runId) ? f : undefined;
      },
      15_000,
      `the Orchestrator log file to mention ${runId}`,
    );
    assert.deepEqual(leaks(readFileSync(file, 'utf8')), []);
  });

  test('not in the view state the sidebar renders', () => {
    const state = JSON.stringify(view());
    assert.ok(state.includes('Product'), 'the view state shows no run');
    assert.deepEqual(leaks(state), []);
  });

  test('not in the settings', () => {
    assert.deepEqual(leaks(JSON.stringify(vscode.workspace.getConfiguration())), []);
    assert.deepEqual(leaks(JSON.stringify(vscode.workspace.getConfiguration('orchestrator'))), []);
    const ud = userDataDir();
    assert.ok(ud, 'cannot find the user data folder');
    const settings = walk(join(ud, 'User')).filter((f) => f.endsWith('settings.json'));
    assert.ok(settings.length > 0 && settings.every(existsSync));
    for (const f of settings) assert.deepEqual(leaks(readFileSync(f, 'utf8')), [], f);
  });

  test('not in the messages and prompts shown to the user', () => {
    assert.ok(probe().uiTexts.length > 0);
    assert.deepEqual(leaks(probe().uiTexts.join('\n')), []);
  });

  test('not in any file of the workspace: run journals, specs, registry', () => {
    const ws = workspaceDir();
    const journals = walk(join(ws, '.claude', 'runs')).filter((f) => f.endsWith('events.jsonl'));
    assert.ok(journals.length >= 3, `only ${journals.length} run journals`);
    for (const key of keys) assert.deepEqual(filesContaining(ws, key, ['.git']), [], `files containing a key`);
  });
});
