import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { kitOf } from '../../realworld/kits';
import { proofPath } from '../../realworld/proofPaths';

// `npm run realworld`'s Python and Go fixes (test/realworld/kits.ts, pyTests.py, goTests.ts), on shapes of their own.
test('realworld driver: a Python fix’s changed test method is kept in its class with setUp, renamed by the criterion, its relative import made absolute, an unused import left out', () => {
  const ws = mkdtempSync(join(tmpdir(), 'rw-kit-'));
  try {
    writeFileSync(join(ws, 'pyproject.toml'), '[project]\nname = "p"\n');
    mkdirSync(join(ws, 'tests'));
    writeFileSync(join(ws, 'tests', '__init__.py'), '');
    const before = [
      'import unittest',
      'import yaml',
      'from .helpers import make',
      '',
      'class TestA(unittest.TestCase):',
      '    def setUp(self):',
      '        self.x = make()',
      '',
      '    def testOld(self):',
      '        self.assertTrue(yaml)',
      '',
      'def test_free():',
      '    assert make()',
      '',
    ].join('\n');
    const after = before.replace('def test_free():', 'def test_free():\n    assert make(1)');
    const changed = after.replace(
      '        self.assertTrue(yaml)\n',
      '        self.assertTrue(yaml)\n\n    def testNew(self):\n        self.assertEqual(self.x, 1)\n',
    );
    const kit = kitOf(ws, 'REQ-1.1');
    assert.equal(kit.isTest('tests/test_a.py'), true);
    assert.deepEqual(kit.added('tests/test_a.py', before, changed), [
      { name: 'TestA::testNew', submitted: 'test_REQ_1_1_New' },
      { name: 'test_free', submitted: 'test_REQ_1_1_free' },
    ]);
    const text = kit.proofFile(ws, 'tests/test_a.py', 'tests/acceptance/test_a.py', before, changed);
    assert.match(text, /^from tests\.helpers import make$/m);
    assert.doesNotMatch(text, /import yaml|testOld/);
    assert.match(text, /def setUp\(self\):[\s\S]*def test_REQ_1_1_New\(self\):[\s\S]*def test_REQ_1_1_free\(\):/);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test("realworld driver: a Go table test moved to a proof package of its own calls the package's exported names through its import", () => {
  const ws = mkdtempSync(join(tmpdir(), 'rw-kit-'));
  try {
    writeFileSync(join(ws, 'go.mod'), 'module example.com/v\n');
    writeFileSync(
      join(ws, 'v.go'),
      'package v\n\ntype Version struct{}\n\nfunc New(s string) *Version { return nil }\n',
    );
    const before =
      'package v\n\nimport (\n\t"strings"\n\t"testing"\n)\n\nfunc TestOld(t *testing.T) {\n\t_ = strings.ToUpper("a")\n}\n';
    const after = `${before}\nfunc TestNew(t *testing.T) {\n\tcases := []*Version{New("1"), nil}\n\tif len(cases) != 2 {\n\t\tt.Fatal("New")\n\t}\n}\n`;
    const kit = kitOf(ws, 'REQ-1.1');
    assert.deepEqual(kit.added('v_test.go', before, after), [{ name: 'TestNew', submitted: 'Test_REQ_1_1_New' }]);
    assert.equal(
      kit.proofFile(ws, 'v_test.go', 'acceptance/v_test.go', before, after),
      'package acceptance\n\nimport (\n\t"testing"\n\t"example.com/v"\n)\n\nfunc Test_REQ_1_1_New(t *testing.T) {\n\tcases := []*v.Version{v.New("1"), nil}\n\tif len(cases) != 2 {\n\t\tt.Fatal("New")\n\t}\n}\n',
    );
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test("realworld driver: a Go test written as a proof test of its own package (init's `{acceptance_*_test.go,…}`) goes beside the original, keeps its package clause and its unexported calls", () => {
  const ws = mkdtempSync(join(tmpdir(), 'rw-kit-'));
  try {
    writeFileSync(join(ws, 'go.mod'), 'module example.com/jwt\n');
    writeFileSync(join(ws, 'parser.go'), 'package jwt\n\nfunc splitToken(s string) []string { return nil }\n');
    const before = 'package jwt\n\nimport "testing"\n\nfunc TestOld(t *testing.T) {}\n';
    const after = `${before}\nfunc TestSplitToken(t *testing.T) {\n\tif splitToken("a.b.c") == nil {\n\t\tt.Fatal("nil")\n\t}\n}\n`;
    const kit = kitOf(ws, 'REQ-1.1');
    const globs = ['{acceptance_*_test.go,[^.]*/**/acceptance_*_test.go}'];
    assert.equal(proofPath(globs, 'parser_test.go', kit), 'acceptance_parser_test.go');
    assert.equal(proofPath(globs, 'request/request_test.go', kit), 'request/acceptance_request_test.go');
    assert.equal(proofPath(['api/**/acceptance_*_test.go'], 'api/v1/a_test.go', kit), 'api/v1/acceptance_a_test.go');
    assert.equal(
      kit.proofFile(ws, 'parser_test.go', 'acceptance_parser_test.go', before, after),
      'package jwt\n\nimport (\n\t"testing"\n)\n\nfunc Test_REQ_1_1_SplitToken(t *testing.T) {\n\tif splitToken("a.b.c") == nil {\n\t\tt.Fatal("nil")\n\t}\n}\n',
    );
    // The spec names what the fix's source adds: a test calling it fails to build on the base for want of it.
    const source = 'package jwt\n\nfunc (p *Parser) Parse() {\n}\n';
    assert.deepEqual(
      kit.addedNames!(
        source,
        `${source}\nfunc (p *Parser) more() {\n}\n\nfunc splitToken(s string) []string {\n\treturn nil\n}\n`,
      ),
      ['splitToken'],
    );
    // A black-box test of the same folder stays one (`package jwt_test`).
    const blackBox = after.replace('package jwt\n', 'package jwt_test\n');
    assert.match(
      kit.proofFile(ws, 'parser_test.go', 'acceptance_parser_test.go', before, blackBox),
      /^package jwt_test\n/,
    );
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});
