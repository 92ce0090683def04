// The extension as `npm run release` ships it: the .vsix installed offline by code-server's
// CLI, and that installed folder loaded as the extension (the runner's vsix session). The
// production bundle must activate, register its commands and drive a run to the spec decision.
// (These test files live outside the installed folder, so they get VS Code's default API object:
// no fake user here, only commands and the extension's exports.)
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { PRODUCT_REQUEST } from '../../../../bench/support/productFeature';
import { api, requireApi } from '../../support/api';
import { walk } from '../../support/files';
import { EXTENSION_ID, extension, start, until, view, within } from '../../support/host';

interface Manifest {
  version: string;
  main: string;
  contributes: { commands: { command: string }[] };
}

suite('the installed .vsix', function () {
  this.timeout(90_000);

  test('is the installed copy: bundles, templates and media, no sources, no source maps', () => {
    const ext = extension();
    const m = ext.packageJSON as Manifest;
    assert.equal(
      basename(ext.extensionPath).toLowerCase(),
      `${EXTENSION_ID}-${m.version}`,
      `loaded from ${ext.extensionPath}, not an installed extension folder`,
    );
    const files = walk(ext.extensionPath)
      .map((f) => f.slice(ext.extensionPath.length + 1))
      .sort();
    for (const f of [
      'dist/extension.js',
      'dist/engine.js',
      'dist/anthropic.js',
      'dist/webview.js',
      'dist/cli.js',
      'dist/cliMain.js',
      'examples/shop/.claude/orchestrator.yaml',
      'media/sidebar.css',
      'media/orchestrator.svg',
      '.claude/context/backend.context.md',
    ]) {
      assert.ok(files.includes(f), `${f} is not in the package`);
    }
    // Exactly the release's `vsix` list (dist/artifacts.json, derived by the build), as vsce stores it:
    // README.md as readme.md, LICENSE as license.txt, and code-server's own .vsixmanifest beside them.
    const lists = process.env.ORCH_TEST_VSIX_LIST;
    assert.ok(lists, "the runner names the release's artifacts.json (ORCH_TEST_VSIX_LIST)");
    const asStored = (f: string) => (f.toLowerCase() === 'license' ? 'license.txt' : f.toLowerCase());
    const listed = (JSON.parse(readFileSync(lists, 'utf8')) as { vsix: string[] }).vsix.map(asStored).sort();
    assert.deepEqual(
      files
        .filter((f) => f !== '.vsixmanifest')
        .map((f) => f.toLowerCase())
        .sort(),
      listed,
    );
    // The details page renders the packaged README: each image it links must be in the package.
    const readme = files.find((f) => f.toLowerCase() === 'readme.md'); // vsce stores it as readme.md
    assert.ok(readme, 'no README in the package');
    const images = [...readFileSync(join(ext.extensionPath, readme), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map(
      (m) => m[1]!,
    );
    assert.ok(images.length > 0, 'the README shows no image');
    for (const image of images)
      assert.ok(
        !/^[a-z]+:/i.test(image) && files.includes(image),
        `README image ${image} does not resolve inside the package`,
      );
    // examples/shop ships as Try the Demo's sample project, without its run journals or node_modules.
    const sample = (f: string) =>
      f.startsWith('examples/shop/') && !/^examples\/shop\/(node_modules|\.claude\/runs)\//.test(f);
    const unwanted = files.filter(
      (f) =>
        (/^(src|test|bench|scripts|node_modules|examples|out|\.cache)\//.test(f) && !sample(f)) ||
        f.endsWith('.map') ||
        f.endsWith('.ts'),
    );
    assert.deepEqual(unwanted, []);
    // The production build: minified, no source map reference.
    const main = readFileSync(join(ext.extensionPath, m.main), 'utf8');
    assert.ok(!main.includes('sourceMappingURL'), 'the packaged bundle is not the production build');
  });

  test('is inactive until a command runs; then every contributed command is registered', async () => {
    const ext = extension();
    assert.equal(ext.isActive, false);
    await vscode.commands.executeCommand('orchestrator.showLog');
    await until(() => ext.isActive, 15_000, 'activation');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = (ext.packageJSON as Manifest).contributes.commands
      .map((c) => c.command)
      .filter((c) => !registered.has(c));
    assert.deepEqual(missing, []);
    assert.equal(typeof ext.exports.getViewState, 'function');
    assert.equal(view().hasWorkspace, true);
    // About says which build this is: the version, the commit it was built from (or that there is none), VS Code's version.
    const { name, version } = ext.packageJSON as { name: string; version: string };
    const line = await vscode.commands.executeCommand<string>('orchestrator.about');
    assert.equal(
      line.replace(/\(commit [0-9a-f]{7,}(?:-dirty)?\)|\(commit unknown: built outside git\)/, '(C)'),
      `${name} ${version} (C), VS Code ${vscode.version}`,
    );
  });

  test('the production bundle drives a run to the spec decision through the Messages API', async function () {
    requireApi(this);
    await api.scenario({ name: 'product' });
    const from = await api.count();
    const done = start('orchestrator.newFeature', PRODUCT_REQUEST);
    const pending = await until(() => view().pendingDecision, 60_000, 'the spec decision');
    assert.ok(existsSync(join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, pending.path)));
    const requests = await api.since(from);
    assert.ok(
      requests.length > 0 && requests.every((r) => r.agent === 'spec' && r.apiKey === process.env.ANTHROPIC_API_KEY),
    );
    await vscode.commands.executeCommand('orchestrator.cancelRun');
    await within(done, 20_000, 'New Feature after Cancel Run');
    assert.equal(view().busy, false);
  });
});
