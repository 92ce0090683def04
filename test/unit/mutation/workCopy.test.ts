// The mutants' copy of the work tree (issue 61): git's folder left out, each package of
// node_modules linked (read as installed), and what a test tool writes into node_modules (Vite's
// and Vitest's caches, found by a Vitest project's strength run) lands in the copy, never in the
// run's work tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkTree } from '../../../src/core/mutation/workCopy';
import { hashTree, tempDir, write } from '../../support/gitFixture';

test('work copy: packages linked, caches written into node_modules stay in the copy, the work tree untouched', async () => {
  const tree = tempDir('orch-copy-');
  write(tree, 'src/price.js', 'export const price = 1;\n');
  write(tree, '.git/HEAD', 'ref: refs/heads/main\n');
  write(tree, 'node_modules/vitest/package.json', '{"name":"vitest"}');
  write(tree, 'node_modules/@scope/lib/index.js', 'module.exports = 1;\n');
  write(tree, 'node_modules/.bin/vitest', '#!/bin/sh\n');
  write(tree, 'node_modules/.vite/vitest/results.json', '{}');
  write(tree, 'web/node_modules/react/package.json', '{"name":"react"}');
  const before = hashTree(tree);
  const copy = await copyWorkTree(tree);
  try {
    assert.equal(readFileSync(join(copy.path, 'src/price.js'), 'utf8'), 'export const price = 1;\n');
    assert.equal(existsSync(join(copy.path, '.git')), false);
    for (const entry of ['node_modules/vitest', 'node_modules/@scope', 'node_modules/.bin', 'web/node_modules/react']) {
      assert.ok(lstatSync(join(copy.path, entry)).isSymbolicLink(), entry);
    }
    assert.equal(readFileSync(join(copy.path, 'node_modules/vitest/package.json'), 'utf8'), '{"name":"vitest"}');
    assert.ok(!lstatSync(join(copy.path, 'node_modules')).isSymbolicLink(), 'a folder of its own');
    assert.equal(existsSync(join(copy.path, 'node_modules/.vite')), false, "the work tree's cache is not the copy's");
    assert.deepEqual(copy.linked.sort(), [join(tree, 'node_modules'), join(tree, 'web/node_modules')]);
    // What Vite and Vitest write while the mutants run.
    write(copy.path, 'node_modules/.vite/vitest/results.json', '{"mutant":true}');
    write(copy.path, 'node_modules/.vitest-cache/abc', 'transformed mutant');
    assert.deepEqual(hashTree(tree), before, "the run's work tree is untouched");
  } finally {
    await copy.dispose();
  }
  assert.equal(existsSync(copy.path), false);
});
