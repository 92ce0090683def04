import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeCheck } from '../../../src/core/census/commands/checkCommands';
import { censusOf, workflowRunning } from '../../support/census';

// A GNOME app's shape: one Meson project (`project(…)` at the root, `subdir()` folders of Vala and C), GitLab CI
// whose jobs come from an included template, a wrap under subprojects/.
const gnomeApp: Record<string, string> = {
  'meson.build':
    "project('calculator', ['c', 'vala'],\n  version: '1.0',\n)\nsubdir('lib')\nsubdir('src')\nsubdir('tests')\n",
  'meson_options.txt': "option('development', type: 'boolean', value: false)\n",
  'lib/meson.build': "libcalc = static_library('calc', sources)\n",
  'lib/equation.vala': 'public class Equation {}',
  'lib/parser.vala': 'public class Parser {}',
  'lib/mpfr-glue.c': 'int glue(void) { return 0; }',
  'src/meson.build': "executable('calculator', sources)\n",
  'src/main.vala': 'int main() { return 0; }',
  'tests/meson.build': "test('equation', executable('test-equation', 'test-equation.vala'))\n",
  'tests/test-equation.vala': 'int main() { return 0; }',
  'subprojects/compiler/meson.build': "project('compiler')\n",
  '.gitlab-ci.yml':
    "include:\n  - project: 'gnome/citemplates'\n    file: 'flatpak/flatpak_ci_initiative.yml'\nflatpak:\n  extends: '.flatpak'\n",
};

test("a Meson project (meson.build calling project()) is one project: its folders' meson.build are its parts, subprojects/ its dependencies; it is checked by meson setup and meson test in a build folder", async () => {
  const census = await censusOf(gnomeApp);
  assert.equal(census.layers.length, 1, JSON.stringify(census.layers.map((l) => [l.name, l.owns])));
  const [layer] = census.layers;
  assert.deepEqual(
    layer!.validate.map((v) => v.command),
    ['meson setup builddir && meson test -C builddir'],
  );
  assert.equal(layer!.remainder, undefined);
});

test("CI's build folder is the one checked: `meson test -C _build` keeps the setup of _build before it; `meson compile` builds, `meson setup` alone checks nothing", async () => {
  assert.deepEqual(normalizeCheck('meson test -C _build --print-errorlogs'), {
    command: 'meson setup _build && meson test -C _build --print-errorlogs',
    kind: 'test',
  });
  assert.equal(normalizeCheck('meson compile -C build')?.kind, 'build');
  assert.equal(normalizeCheck('meson setup _build -Dtests=true'), undefined);
  const census = await censusOf({
    ...gnomeApp,
    '.github/workflows/ci.yml': workflowRunning('meson setup _build', 'meson test -C _build'),
  });
  assert.deepEqual(
    census.layers.flatMap((l) => l.validate.map((v) => v.command)),
    ['meson setup _build && meson test -C _build'],
  );
});
