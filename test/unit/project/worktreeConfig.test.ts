import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig, parseConfig } from '../../../src/core/project/config/config';
import { ProjectFileError } from '../../../src/core/project/sources/errors';
import { configError } from '../../support/project/configError';
import { defaultWorktreeRoot, repoWorktreeFolder } from '../../../src/core/git/worktrees';
import { tempWorkspace } from '../../support/tempWorkspace';

test('worktree config: in-place by default, node_modules linked, three runs at once', () => {
  const config = parseConfig('version: 1\n');
  assert.equal(config.isolation, 'in-place');
  assert.deepEqual(config.worktree, { link: ['node_modules'], setup: [] });
  assert.equal(config.limits.concurrentRuns, 3);
  const set = parseConfig(
    'isolation: worktree\nworktree:\n  dir: /var/tmp/wt\n  link: [node_modules, web/node_modules]\n  setup: ["npm run prepare"]\nlimits:\n  concurrentRuns: 5\n',
  );
  assert.equal(set.isolation, 'worktree');
  assert.deepEqual(set.worktree, {
    dir: '/var/tmp/wt',
    link: ['node_modules', 'web/node_modules'],
    setup: ['npm run prepare'],
  });
  assert.equal(set.limits.concurrentRuns, 5);
});

test('worktree config: wrong values name file, line and key', () => {
  const error = configError;
  assert.match(error('isolation: sandbox\n'), /^\.claude\/orchestrator\.yaml:1:\d+ isolation: /);
  assert.match(
    error('worktree:\n  link: [../outside]\n'),
    /^\.claude\/orchestrator\.yaml:2:\d+ worktree\.link\[0\]: must be a workspace-relative path/,
  );
  assert.match(error('worktree:\n  links: [node_modules]\n'), /^\.claude\/orchestrator\.yaml:2:\d+ worktree\.links: /);
  assert.match(
    error('limits:\n  concurrentRuns: 0\n'),
    /^\.claude\/orchestrator\.yaml:2:3 limits\.concurrentRuns: must be at least 1, got 0/,
  );
});

test('worktree config: a setup command running a file some layer owns is refused like a validate command', async () => {
  const ws = await tempWorkspace({
    '.claude/orchestrator.yaml':
      'layers:\n  backend: { owns: ["server/**"] }\nworktree:\n  setup: ["node server/prepare.js"]\n',
    'server/prepare.js': '',
  });
  try {
    const error = await loadConfig(ws.dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ProjectFileError, String(error));
    assert.equal(error.key, 'worktree.setup[0]');
    assert.match(error.message, /executes server\/prepare\.js .* matches layers\.backend\.owns\[0\]/);
  } finally {
    await ws.cleanup();
  }
});

test('worktree folder: per user cache by default, one folder per repository, worktree.dir relative to the checkout', () => {
  const root = defaultWorktreeRoot({ XDG_CACHE_HOME: '/home/u/.cache-x' });
  if (process.platform === 'linux') assert.equal(root, '/home/u/.cache-x/orchestrator/worktrees');
  const a = repoWorktreeFolder('/work/one/shop', '../wt');
  const b = repoWorktreeFolder('/work/two/shop', '../wt');
  assert.match(a, /^\/work\/one\/wt\/shop-[0-9a-f]{12}$/);
  assert.notEqual(a.slice(-12), b.slice(-12), 'two clones with one name never share a folder');
});
