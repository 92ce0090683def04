// Issue 45 point 5: `npm run lint` refuses a comment citing a file the repository lacks
// (scripts/lint-citations.mjs): the design notes that live outside it, or a docs/ page that is not there.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { deadCitations } from '../../../scripts/lint-citations.mjs';

test('comments citing an outside note or a missing docs/ page are named by file and line; strings and existing pages pass; a clean tree has none', () => {
  const root = mkdtempSync(join(tmpdir(), 'citations-'));
  try {
    mkdirSync(join(root, 'src', 'core'), { recursive: true });
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs', 'pool.md'), '# Pool\n');
    writeFileSync(
      join(root, 'src', 'core', 'a.ts'),
      [
        '/** Leases (docs/pool.md). */',
        "const note = 'DESIGN.md';",
        '// The contract (DESIGN.md "Agent runners").',
        ' * shapes users keep (REALWORLD.md), see docs/sandbox.md',
        '',
      ].join('\n'),
    );
    writeFileSync(join(root, 'README.md'), 'How it works: `shared/E2E.md`.\n');
    assert.deepEqual(deadCitations(root).sort(), [
      'README.md:1: cites E2E.md, which the repository lacks',
      'src/core/a.ts:3: cites DESIGN.md, which the repository lacks',
      'src/core/a.ts:4: cites REALWORLD.md, which the repository lacks',
      'src/core/a.ts:4: cites docs/sandbox.md, which the repository lacks',
    ]);
    writeFileSync(join(root, 'docs', 'sandbox.md'), '# Sandbox\n');
    assert.deepEqual(
      deadCitations(root).filter((line) => line.includes('sandbox')),
      [],
    );
    writeFileSync(join(root, 'src', 'core', 'a.ts'), '// Leases (docs/pool.md).\n');
    writeFileSync(join(root, 'README.md'), 'How it works: test/e2e/README.md.\n');
    assert.deepEqual(deadCitations(root), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
