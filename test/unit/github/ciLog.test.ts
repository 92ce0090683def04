import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../src/core/engineBundle';
import { filesNamed, logTail, owningLayer } from '../../../src/github/ciLog';
import { makeShop } from '../../support/engine/shopWorkspace';
import { TOKEN } from '../../support/github/githubKit';

// A failing CI job's log (issue 39 part 4): what of it goes to the agent, and which layer it is about.

test("a CI log's tail: GitHub's timestamps dropped, the last lines kept, the token and credential-shaped values masked", () => {
  const lines = Array.from({ length: 500 }, (_, i) => `2026-11-24T10:00:00.${String(i).padStart(7, '0')}Z line ${i}`);
  const log = [
    ...lines,
    `2026-11-24T10:00:01.0000000Z token ${TOKEN}`,
    '2026-11-24T10:00:01.1000000Z AWS key AKIAIOSFODNN7EXAMPLE',
    '2026-11-24T10:00:02.0000000Z ##[error]Process completed with exit code 1.',
    '',
    '',
  ].join('\r\n');
  const tail = logTail(log, [TOKEN]);
  assert.match(tail, /^… \(the end of the log\)\n/);
  assert.match(tail, /\n##\[error\]Process completed with exit code 1\.$/);
  assert.doesNotMatch(tail, /2026-11-24T/);
  assert.doesNotMatch(tail, /line 100\n/, 'the head left out');
  assert.match(tail, /\nline 499\n/);
  assert.ok(!tail.includes(TOKEN) && !tail.includes('AKIAIOSFODNN7EXAMPLE'));
  assert.ok(tail.length <= 8_100);
  // A short log is kept whole, without the mark.
  assert.equal(logTail('2026-11-24T10:00:00Z ok\nnot ok 1', []), 'ok\nnot ok 1');
});

test('the layer a CI log is about: the one owning the files of the commit it names most (wherever CI checked them out), the last named on a tie; else the one whose validate command it shows; else none', async () => {
  const shop = makeShop();
  try {
    const head = shop.git('rev-parse', 'HEAD').trim();
    const config = await loadConfig(shop.dir);
    const log = [
      'npm ERR! at /home/runner/work/shop/shop/node_modules/left-pad/index.js:3:1',
      '  at Object.<anonymous> (/home/runner/work/shop/shop/server/entities/customer.js:14:3)',
      '  at ./web/src/main.js:2',
      'FAIL server/entities/customer.js',
      'see https://example.com/docs/page.html and scripts/check-server.js',
    ].join('\n');
    const files = await filesNamed(shop.dir, head, log);
    assert.deepEqual(
      files.filter((f) => !f.startsWith('scripts/')),
      ['server/entities/customer.js', 'web/src/main.js', 'server/entities/customer.js'],
      'only files of the commit: not node_modules, not a URL',
    );
    assert.deepEqual(owningLayer(config, files, log, 'test'), {
      layer: 'backend',
      why: 'it owns server/entities/customer.js, which the log names',
    });
    // A tie: the layer named last.
    assert.equal(
      owningLayer(config, ['server/entities/customer.js', 'web/src/main.js'], '', 'test')?.layer,
      'frontend',
    );
    // No file a layer owns: the validate command in the log, or in the job's name.
    assert.deepEqual(
      owningLayer(config, ['scripts/check-server.js'], 'Run node scripts/check-migrations.js db\nexit 1', 'lint'),
      { layer: 'database', why: 'the log runs its validate command `node scripts/check-migrations.js db`' },
    );
    assert.equal(owningLayer(config, [], 'exit 1', 'node scripts/check-server.js server')?.layer, 'backend');
    assert.equal(owningLayer(config, [], 'Error: out of memory', 'build'), undefined);
  } finally {
    shop.cleanup();
  }
});
