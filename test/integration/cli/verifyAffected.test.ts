// `verify --affected base..head` (issue 74): of twenty completed specs, only the two whose
// recorded files the range's change touches are verified, each named with the files it was
// touched through; a range naming no commit is a usage error (exit 2) that says which end.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { makeShop } from '../../support/engine/shopWorkspace';
import { buildCli, CLI } from '../../support/cli/cliKit';

buildCli();

const specId = (n: number) => `2026-10-${String(n).padStart(2, '0')}-module-${n}`;
const moduleOf = (n: number) => `server/lib/module${n}.js`;

/** A completed spec recording one requirement of the backend over module n, as COMPLETE writes it. */
function completedSpec(n: number, blob: string): Record<string, string> {
  const dir = `.claude/spec/completed/${specId(n)}`;
  const spec = [
    '---',
    `id: ${specId(n)}`,
    `title: Module ${n}`,
    'kind: feature',
    'status: completed',
    'layers:',
    '  - backend',
    `created: 2026-10-${String(n).padStart(2, '0')}T09:00:00.000Z`,
    '---',
    '',
    `## Spec: Module ${n}`,
    '',
    '### Requirements',
    `- REQ-1: module ${n} answers`,
    `  - REQ-1.1: module ${n} exports its name`,
    '',
  ].join('\n');
  const record = {
    version: 1,
    specId: specId(n),
    completed: '2026-10-20T10:00:00.000Z',
    commit: null,
    runIds: [],
    files: { [moduleOf(n)]: blob },
    requirements: [
      {
        id: 'REQ-1',
        title: `module ${n} answers`,
        criteria: [{ id: 'REQ-1.1', text: `module ${n} exports its name` }],
        layers: ['backend'],
        files: [moduleOf(n)],
        tests: [],
      },
    ],
  };
  return { [`${dir}/spec.md`]: spec, [`${dir}/completion.json`]: `${JSON.stringify(record, null, 2)}\n` };
}

test('cli: verify --affected base..head verifies the 2 of 20 completed specs whose files the change touches, naming those files', () => {
  const modules = Object.fromEntries(
    Array.from({ length: 20 }, (_, i) => [moduleOf(i + 1), `module.exports = { name: 'module ${i + 1}' };\n`]),
  );
  const shop = makeShop({ files: modules });
  try {
    const blob = (path: string) => shop.git('hash-object', path).trim();
    for (let n = 1; n <= 20; n++)
      for (const [path, text] of Object.entries(completedSpec(n, blob(moduleOf(n))))) shop.write(path, text);
    shop.git('add', '-A');
    shop.git('commit', '-q', '-m', 'twenty completed specs');
    const base = shop.git('rev-parse', 'HEAD').trim();
    for (const n of [3, 17]) shop.write(moduleOf(n), `module.exports = { name: 'module ${n}', more: true };\n`);
    shop.write('README.md', 'a change no spec recorded\n');
    shop.git('commit', '-q', '-am', 'two modules and the readme');

    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, ...args, '--workspace', shop.dir], { encoding: 'utf8' });
    const run = cli('verify', '--affected', `${base}..HEAD`, '--json');
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      affected: { changed: number; specs: { specId: string; files: string[] }[]; untouched: number };
      specs: { specId: string; status: string }[];
    };
    // In `orchestrator specs`' order, the newest first.
    assert.deepEqual(report.affected.specs, [
      { specId: specId(17), files: [moduleOf(17)] },
      { specId: specId(3), files: [moduleOf(3)] },
    ]);
    assert.equal(report.affected.changed, 3);
    assert.equal(report.affected.untouched, 18);
    assert.deepEqual(
      report.specs.map((s) => [s.specId, s.status]),
      [
        [specId(17), 'changed'],
        [specId(3), 'changed'],
      ],
    );

    const text = cli('verify', '--affected', `${base}..HEAD`);
    assert.equal(text.status, 0, text.stderr);
    assert.match(
      text.stdout,
      new RegExp(`^${base}\\.\\.HEAD: 3 path\\(s\\) changed; 2 completed spec\\(s\\) touched, 18 not\\n`),
    );
    assert.match(text.stdout, new RegExp(`\\n {2}${specId(17)}: ${moduleOf(17).replace(/\./g, '\\.')}\\n`));

    const wrong = cli('verify', '--affected', 'no-such-branch..HEAD');
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /"no-such-branch" names no commit of the repository/);
    assert.equal(cli('verify', specId(3), '--affected', `${base}..HEAD`).status, 2);
  } finally {
    shop.cleanup();
  }
});
