// init verifies on the repository's own files, in the sandbox a run's commands get: a committed
// deny-listed fixture (a test key, `.env.test`) is there for the project's tests; a gitignored `.env`
// is not, and the command missing it says which file and why; what the tests print of a committed
// secrets file is masked by value before it becomes a comment in the config.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { takeCensus } from '../../../src/core/census/census';
import { verifyCensus } from '../../../src/core/census/verify/verify';
import { commitAll, json, makeRepo } from '../../support/census';

const SEED = 'fixture-seed-0123456789abcdef';
const KEY =
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2ouKAcaB5p6Qx+4M8TSMN6FZ4Cc\n-----END PUBLIC KEY-----\n';

test('committed deny-listed fixtures are there for the tests; a gitignored .env is named as not committed; their values never shown', async () => {
  const read = (file: string) => `require('fs').readFileSync('${file}', 'utf8')`;
  const repo = await makeRepo({
    '.gitignore': '.env\n',
    'test/ec256-public.pem': KEY,
    '.env.test': `SIGNING_SEED=${SEED}\n`,
    'index.js': 'module.exports = 1;\n',
    'package.json': json({
      name: 'app',
      scripts: {
        // The suite reads its committed key and environment, as a Go or Node project's does.
        test: `node -e "${read('test/ec256-public.pem')}; ${read('.env.test')}"`,
        // A check that reads the developer's own .env, which the repository does not hold.
        lint: `node -e "${read('.env')}"`,
        // A check that fails printing a committed secrets file.
        typecheck: `node -e "console.error('error: bad seed in ' + ${read('.env.test')}); process.exit(1)"`,
      },
    }),
  });
  try {
    commitAll(repo.dir);
    writeFileSync(join(repo.dir, '.env'), 'LOCAL_ONLY=developer-machine-value\n');
    const census = await takeCensus(repo.dir);
    await verifyCensus(repo.dir, census, { trusted: true, timeoutSec: 30 });
    const layer = census.layers[0]!;
    const byCommand = Object.fromEntries(layer.validate.map((v, i) => [v.command, layer.verified![i]!]));

    assert.equal(byCommand['npm run test']!.status, 'passed', JSON.stringify(byCommand['npm run test']));

    const lint = byCommand['npm run lint']!;
    assert.equal(lint.status, 'failed');
    assert.match(
      lint.status === 'failed' ? (lint.fix ?? '') : '',
      /^\.env: it is not committed and on the privacy deny list \("\.env"\)/,
    );

    const typecheck = byCommand['npm run typecheck']!;
    assert.equal(typecheck.status, 'failed');
    const shown = typecheck.status === 'failed' ? typecheck.firstLines.join('\n') : '';
    assert.match(shown, /error: bad seed in .*\[REDACTED\]/);
    assert.ok(!shown.includes(SEED), shown);
  } finally {
    await repo.cleanup();
  }
});
