// Issue 37 point 5: the packages the design card names (its "Dependencies by role") are
// either dependencies the README's table explains, or the README says in one line why not, with
// the figure that decided it (simple-git's 50 ms per silent command was once in the README and
// was lost in a rewrite).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '../../..');
/** The design card's packages, as the card names them. */
const CARD = [
  '@anthropic-ai/sdk',
  'zod',
  'yaml',
  'simple-git',
  '@vscode/test-electron',
  '@types/vscode',
  '@vscode/webview-ui-toolkit',
];

test("every package of the design card is a dependency the README's table names, or the README says in one line why not, with a figure", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const installed = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Dependencies, and why each is there'));
  const table = section.split('\n').filter((line) => line.startsWith('| `'));
  const notUsed = section
    .slice(section.indexOf('Named by the design card but not dependencies:'))
    .split('\n\n')[0]!
    .split('\n')
    .filter((line) => line.startsWith('- `'));
  const missing: string[] = [];
  for (const name of CARD) {
    const why = notUsed.find((line) => line.startsWith(`- \`${name}\`:`));
    if (installed.has(name)) {
      if (!table.some((row) => row.split('|')[1]!.includes(`\`${name}\``)))
        missing.push(`${name}: a dependency the table does not name`);
      if (why) missing.push(`${name}: a dependency, yet listed as not used`);
    } else if (!why) missing.push(`${name}: not a dependency, and no line says why`);
    else if (!/\d/.test(why.slice(`- \`${name}\`:`.length))) missing.push(`${name}: its reason has no figure`);
  }
  assert.deepEqual(missing, []);
  assert.ok(notUsed.length >= 2, 'simple-git and the webview UI toolkit are not dependencies');
});
