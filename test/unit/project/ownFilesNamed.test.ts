// Which files a failing check complains of (issue 70): the paths in its output that are files of the
// work tree, in the shapes real tools print them (ESLint's absolute paths, Prettier's `[warn]`,
// tsc's `file(3,5)`, `file:3:5`), never the package manager's echo of the script it runs; and
// whether every one is ours (`.claude/**`, `spec/**`), so that no layer may write it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { filesNamed, isOurFile } from '../../../src/core/project/ownFiles';

test("the files a check names, in real tools' shapes; the script a package manager echoes is not one", () => {
  const root = mkdtempSync(join(tmpdir(), 'own-files-'));
  try {
    for (const file of ['.claude/orchestrator.schema.json', 'spec/active/s1/spec.md', 'src/a.ts', 'scripts/lint.mjs']) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), '');
    }
    const eslint = `\n${root}/.claude/orchestrator.schema.json\n  1:1  error  Parsing error: Unexpected token :\n\n✖ 1 problem (1 error, 0 warnings)\n`;
    assert.deepEqual(filesNamed(eslint, root), ['.claude/orchestrator.schema.json']);
    const npm = `\n> app@1.0.0 lint\n> node scripts/lint.mjs\n\nspec/active/s1/spec.md:1 MD041/first-line-heading\nnpm error command sh -c node scripts/lint.mjs\n`;
    assert.deepEqual(filesNamed(npm, root), ['spec/active/s1/spec.md']);
    const prettier =
      'Checking formatting...\n[warn] spec/active/s1/spec.md\n[warn] src/a.ts\n[warn] Code style issues found in 2 files.';
    assert.deepEqual(filesNamed(prettier, root), ['spec/active/s1/spec.md', 'src/a.ts']);
    assert.deepEqual(filesNamed("src/a.ts(3,5): error TS2305: Module has no exported member 'x'.", root), ['src/a.ts']);
    assert.deepEqual(filesNamed('./spec/active/s1/spec.md:12:3 warning', root), ['spec/active/s1/spec.md']);
    assert.deepEqual(filesNamed('no such/file.md here', root), []);
    assert.deepEqual(
      filesNamed(prettier, root).map(isOurFile),
      [true, false],
      'a layer may fix src/a.ts: not only ours',
    );
    assert.ok(isOurFile('.claude/runs/r1/trace.md') && isOurFile('.gitignore') && !isOurFile('specs/x.md'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
