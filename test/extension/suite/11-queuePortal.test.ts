// Serve the Task Queue… in the editor: it runs our CLI's `orchestrator serve` for the workspace on
// the port the user gives, and shows the portal's address (with Open in Browser, Copy URL, Stop).
// That address serves the portal page with its strict CSP; a task added through the portal (another
// process: outside this window) reaches the sidebar's queue through the store's change
// notifications; Stop ends the process.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { portalCall, portalSignIn } from '../../support/serveProcess';
import { workspaceDir } from '../support/files';
import { activated, extension, start, until, view, within } from '../support/host';
import { userPerTest } from '../support/userPerTest';

const ADDRESS = /^Orchestrator: the task queue's portal is at (http:\/\/\S+) \(MCP at \S+mcp\)/;
const PASSWORD = 'sam-password-1';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** `orchestrator user add` of the bundled CLI, on the editor's runtime as the extension runs it; the password on stdin. */
function addSupervisor(name: string): Promise<void> {
  const cli = join(extension().extensionPath, 'dist', 'cli.js');
  const child = spawn(
    process.execPath,
    [cli, 'user', 'add', name, '--role', 'supervisor', '--workspace', workspaceDir()],
    { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let said = '';
  child.stderr!.on('data', (c: Buffer) => (said += c.toString()));
  child.stdin!.end(`${PASSWORD}\n`);
  return new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`user add exited ${code}: ${said}`)))),
  );
}

suite('Serve the Task Queue (the portal)', function () {
  this.timeout(90_000);
  const savedConfigHome = process.env.XDG_CONFIG_HOME;
  // The shared MCP token `serve` keeps in the user's config folder: a throwaway folder (the spawned process inherits it).
  const configHome = mkdtempSync(join(tmpdir(), 'orch-ext-serve-cfg-'));

  suiteSetup(async () => {
    await activated();
    process.env.XDG_CONFIG_HOME = configHome;
  });
  const user = userPerTest();
  suiteTeardown(() => {
    if (savedConfigHome === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = savedConfigHome;
    rmSync(configHome, { recursive: true, force: true });
  });

  test("it shows the portal's address, which serves the page with a strict CSP; a task added there reaches the sidebar; Stop ends it", async () => {
    const port = await freePort();
    user().onInput = () => String(port);
    let clickStop!: () => void;
    const stopClicked = new Promise<string>((resolve) => (clickStop = () => resolve('Stop')));
    user().onMessage = (m) => (ADDRESS.test(m.message) ? stopClicked : undefined);

    const command = start('orchestrator.serveQueue');
    const shown = await until(
      () =>
        user()
          .messages('info')
          .find((m) => ADDRESS.test(m.message)),
      30_000,
      "the portal's address to be shown",
    );
    const url = ADDRESS.exec(shown.message)![1]!;
    assert.equal(url, `http://127.0.0.1:${port}/`);
    assert.deepEqual(shown.items, ['Open in Browser', 'Copy URL', 'Stop']);
    assert.equal(user().messages('error').length, 0, JSON.stringify(user().messages('error')));

    try {
      const page = await portalCall(port, 'GET', '/');
      assert.equal(page.status, 200);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      const csp = String(page.headers['content-security-policy']);
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      // A foreign Host is refused there too (DNS rebinding).
      assert.equal((await portalCall(port, 'GET', '/', { host: `evil.example:${port}` })).status, 421);

      // The sidebar follows the queue; a task added through the portal (another process) reaches it.
      await vscode.commands.executeCommand('orchestrator.sidebar.focus');
      await until(() => view().queue, 30_000, 'the sidebar to read the queue');
      await addSupervisor('sam');
      const created = await (
        await portalSignIn(port, 'sam', PASSWORD)
      ).send('POST', '/api/tasks', { title: 'Added through the portal' });
      assert.equal(created.status, 201);
      const task = await until(
        () => view().queue?.tasks.find((t) => t.id === created.json.id),
        20_000,
        "the task added through the portal in the sidebar's queue",
      );
      assert.equal(task.title, 'Added through the portal');
      assert.equal(task.status, 'pending');
      assert.equal(view().queue?.error, undefined);
    } finally {
      clickStop();
      await within(Promise.resolve(command), 10_000, 'Serve the Task Queue… after Stop');
    }
    // Stop ends the process: nothing listens there any more.
    await until(
      () =>
        portalCall(port, 'GET', '/').then(
          () => false,
          () => true,
        ),
      10_000,
      'the portal to stop listening',
    );
  });
});
