import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { initFromCensus } from '../../../src/core/census/init/initFromCensus';
import { commitAll, git, json, makeRepo } from '../../support/census';
import { hasPytest } from '../../support/pythonEnv';

test(
  'init verifies in a throwaway worktree: pytest and a script that writes build output leave nothing in the repository; uncommitted changes are verified; progress shows each command',
  { skip: !hasPytest && 'python3 -m pytest is not installed' },
  async () => {
    const repo = await makeRepo({
      'pyproject.toml': '[project]\nname = "calc"\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
      'calc/__init__.py': 'def add(a, b):\n    return a - b\n',
      'tests/test_calc.py': 'from calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n',
      'tools/package.json': json({
        name: 'tools',
        scripts: {
          build:
            "node -e \"require('fs').mkdirSync('out',{recursive:true});require('fs').writeFileSync('out/x.js','1')\"",
          lint: 'node -e "process.exit(0)"',
        },
      }),
      'tools/index.js': 'module.exports = 1',
      '.github/workflows/ci.yml':
        'jobs:\n  t:\n    steps:\n      - run: python3 -m pytest -q\n      - run: cd tools && npm run build && npm run lint\n',
    });
    try {
      commitAll(repo.dir);
      // HEAD's add() is broken; the uncommitted fix must be what runs: the sandbox is HEAD plus the work tree.
      execFileSync('sh', ['-c', "printf 'def add(a, b):\\n    return a + b + 0\\n' > calc/__init__.py"], {
        cwd: repo.dir,
      });
      const started: string[] = [];
      const finished: string[] = [];
      const report = await initFromCensus(repo.dir, {
        trusted: true,
        budgetSec: 300,
        onStart: (command, index, total) => started.push(`${index}/${total} ${command}`),
        onProgress: (command, outcome) => finished.push(`${command}: ${outcome.status}`),
      });
      const statuses = report.census.layers.flatMap((l) => l.verified!.map((v) => v.status));
      assert.ok(
        statuses.every((s) => s === 'passed'),
        JSON.stringify(report.census.layers.map((l) => [l.validate, l.verified])),
      );
      assert.equal(started.length, finished.length);
      assert.ok(started.length >= 2 && started.every((line) => /^\d\/\d /.test(line)), started.join('\n'));
      const status = git(repo.dir, 'status', '--porcelain', '--untracked-files=all')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.slice(3));
      const unexpected = status.filter(
        (path) => !path.startsWith('.claude/') && path !== '.gitignore' && path !== 'calc/__init__.py',
      );
      assert.deepEqual(unexpected, [], `git status shows ${unexpected.join(', ')}`);
      for (const path of ['calc/__pycache__', 'tests/__pycache__', '.pytest_cache', 'tools/out'])
        assert.ok(!existsSync(join(repo.dir, path)), `${path} was written into the repository`);
      assert.deepEqual(
        git(repo.dir, 'worktree', 'list', '--porcelain').match(/^worktree /gm)?.length,
        1,
        'the throwaway worktree is gone',
      );
      assert.equal(git(repo.dir, 'stash', 'list'), '', 'the stash is untouched');
    } finally {
      await repo.cleanup();
    }
  },
);

test('when no throwaway worktree can be made, nothing runs in place: every command is skipped and says why', async () => {
  const repo = await makeRepo({
    'package.json': json({
      name: 'app',
      scripts: { build: "node -e \"require('fs').writeFileSync('built.txt','1')\"" },
    }),
    'index.js': 'x',
  });
  try {
    commitAll(repo.dir);
    // A file where git keeps its worktrees' records: no worktree can be added, wherever it would go (disk or memory).
    writeFileSync(join(repo.dir, '.git', 'worktrees'), 'blocked');
    const report = await initFromCensus(repo.dir, { trusted: true, budgetSec: 300 });
    const outcome = report.census.layers[0]!.verified![0]!;
    assert.equal(outcome.status, 'skipped');
    assert.match(
      outcome.status === 'skipped' ? outcome.reason : '',
      /no throwaway worktree could be made .*nothing was written into the repository/,
    );
    assert.ok(!existsSync(join(repo.dir, 'built.txt')));
  } finally {
    await repo.cleanup();
  }
});
