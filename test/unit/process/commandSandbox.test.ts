// A project command's sandbox policy (docs/security.md "The sandbox"), built by the sandbox room's
// one builder as a CLI agent's is: in a worktree run, the `worktree.link` folders of the checkout
// that exist are bound read-only and the checkout is hidden; in place, the repository around the
// workspace is readable and only the workspace writable.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { commandSandbox } from '../../../src/core/process';
import { parseConfig } from '../../../src/core/project/config/config';

const root = mkdtempSync(join(tmpdir(), 'command-sandbox-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('a worktree run: a link folder the checkout lacks is not bound; the existing one is, read-only; the checkout is hidden', () => {
  const checkout = join(root, 'checkout');
  mkdirSync(join(checkout, '.git'), { recursive: true });
  writeFileSync(join(checkout, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  mkdirSync(join(checkout, 'node_modules'));
  const worktree = join(root, 'worktree');
  const config = parseConfig('worktree:\n  link: ["node_modules", "vendor/cache"]\n');
  const policy = commandSandbox(config, {
    workspace: worktree,
    worktree,
    checkout,
    runId: 'run-1',
    command: 'npm test',
  });
  assert.ok(policy);
  assert.deepEqual(policy.readOnly, [join(checkout, 'node_modules')]);
  assert.deepEqual(policy.writable, [worktree]);
  assert.deepEqual(policy.hidden, [checkout]);
  assert.deepEqual(policy.who, { command: 'npm test' });
});

test('in place: the repository around the workspace is readable, the workspace writable; sandbox: off builds none', () => {
  const repo = join(root, 'repo');
  const workspace = join(repo, 'packages', 'web');
  mkdirSync(join(repo, '.git'), { recursive: true });
  writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  mkdirSync(workspace, { recursive: true });
  const policy = commandSandbox(parseConfig('sandbox:\n  network: ["registry.npmjs.org"]\n'), {
    workspace,
    command: 'npm test',
  });
  assert.ok(policy);
  assert.deepEqual(policy.readOnly, [repo]);
  assert.deepEqual(policy.writable, [workspace]);
  assert.deepEqual(policy.network, ['registry.npmjs.org']);
  assert.equal(commandSandbox(parseConfig('sandbox: off\n'), { workspace, command: 'npm test' }), undefined);
});

test('a stray empty .git above the workspace (one found in /tmp) is no repository: nothing around the workspace is made read-only', () => {
  const stray = join(root, 'stray');
  const workspace = join(stray, 'orch-ws');
  mkdirSync(join(stray, '.git'), { recursive: true });
  mkdirSync(workspace, { recursive: true });
  const policy = commandSandbox(parseConfig(''), { workspace, command: 'npm test' });
  assert.deepEqual(policy?.readOnly, []);
  // A worktree's `.git` file pointing at its repository is one.
  const linked = join(root, 'linked');
  mkdirSync(join(linked, 'src'), { recursive: true });
  writeFileSync(join(linked, '.git'), 'gitdir: /elsewhere/.git/worktrees/linked\n');
  assert.deepEqual(commandSandbox(parseConfig(''), { workspace: join(linked, 'src'), command: 'npm test' })?.readOnly, [
    linked,
  ]);
});
