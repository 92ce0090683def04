// A run in its own worktree gives the project's commands the files the repository commits, deny list
// or not (a test key in `fixtures/`): the deny list keeps them from the model, not from the tests.
// What a failing command prints of them reaches the retry masked, and a file only the checkout has
// (the developer's gitignored `.env`) is named, with why the worktree lacks it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { say, specAnswer } from '../../support/engine/agentScript';
import { BROKEN_PRODUCT_MODULE, PRODUCT_API_SPEC, PRODUCT_MODULE } from '../../support/engine/fixtures';
import { harness } from '../../support/engine/harness';
import { worktreeConfig } from '../../support/engine/worktreeFeatures';

const MODULE = 'server/entities/product.js';
const KEY_LINE = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2ouKAcaB5p6Qx4M8TSMN6FZ4Cc';
// Reads the committed key (a run whose worktree lacks it fails every attempt); on a broken module it
// fails printing the key's line and what reading the developer's .env said.
const CHECK = `const fs = require('fs');
const key = fs.readFileSync('fixtures/signing.pem', 'utf8');
if (fs.readFileSync('${MODULE}', 'utf8').includes('function list( {')) {
  console.error('signature check failed with ' + key.split('\\n')[1]);
  try { fs.readFileSync('.env', 'utf8'); } catch (error) { console.error(error.message); }
  process.exit(1);
}
`;

test("worktree run: the committed deny-listed fixture is there for the project's commands; its value and the missing .env reach the retry as what they are", async () => {
  const h = await harness(
    {
      spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
      backend: ({ turn, attempt }) => {
        if (turn > 0) return say.done();
        return say.write({ [MODULE]: attempt === 1 ? BROKEN_PRODUCT_MODULE : PRODUCT_MODULE });
      },
      review: () => say.approve(),
    },
    {
      config: (yaml) =>
        worktreeConfig(yaml).replace(
          'validate: ["node scripts/check-server.js server"]',
          'validate: ["node scripts/check-fixture.js", "node scripts/check-server.js server"]',
        ),
      files: {
        'fixtures/signing.pem': `-----BEGIN PUBLIC KEY-----\n${KEY_LINE}\n-----END PUBLIC KEY-----\n`,
        'scripts/check-fixture.js': CHECK,
        '.gitignore': 'node_modules/\n.claude/runs/\n.env\n',
      },
    },
  );
  try {
    h.shop.write('.env', 'LOCAL_ONLY=developer-machine-value\n');
    const summary = await engine.runFeature('Add a Product entity to the API', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(summary.retries, { backend: 1 });
    const retry = h.callsOf('backend').find((c) => c.attempt === 2 && c.turn === 0)!;
    assert.match(retry.task, /signature check failed with \[REDACTED\]/);
    assert.ok(!retry.task.includes(KEY_LINE), 'the key never reaches the model');
    assert.match(
      retry.task,
      /\.env is in your checkout but not where this command ran: it is not committed and on the privacy deny list \("\.env"\)/,
    );
  } finally {
    await h.close();
  }
});
