// Which `__init__.py` files PROVE writes beside a Python proof test
// (proofTests/proofPackages.ts): only inside a proof folder wholly ours, only where the project's
// tests are no packages, never a file that is there.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proofPackageFiles } from '../../../src/core/proofTests';

const there =
  (...files: string[]) =>
  (file: string) =>
    files.includes(file);

test('a proof folder under plain test folders becomes a package, down to each test', () => {
  assert.deepEqual(proofPackageFiles(['tests/acceptance/**'], ['tests/acceptance/test_linkify.py'], there()), [
    'tests/acceptance/__init__.py',
  ]);
  assert.deepEqual(
    proofPackageFiles(
      ['tests/acceptance/**'],
      ['tests/acceptance/web/test_a.py'],
      there('tests/acceptance/__init__.py'),
    ),
    ['tests/acceptance/web/__init__.py'],
  );
});

test("the project's own folders, a tests folder that is a package, and other languages are left as they are", () => {
  // unittest's flat place names files of the project's own folder.
  assert.deepEqual(proofPackageFiles(['tests/test_acceptance_*.py'], ['tests/test_acceptance_a.py'], there()), []);
  assert.deepEqual(
    proofPackageFiles(['tests/acceptance/**'], ['tests/acceptance/test_a.py'], there('tests/__init__.py')),
    [],
  );
  assert.deepEqual(proofPackageFiles(['test/acceptance/**'], ['test/acceptance/a.test.ts'], there()), []);
  assert.deepEqual(proofPackageFiles(['tests/acceptance/**'], ['other/test_a.py'], there()), []);
});
