// `specs` lists Mustard's spec folders with Mustard's stage and outcome; `approve` refuses a
// finished one with why, before any model call.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeShop } from '../../support/engine/shopWorkspace';
import { OPEN_SLUG, openWavePlan, otherFolders } from '../../support/mustardSpecFolders';
import { buildCli, runCli } from '../../support/cli/cliKit';

before(() => buildCli());

test('cli: `specs` shows Mustard folders with stage and outcome; `approve` of a completed folder exits 2 saying why', async () => {
  const shop = makeShop({ git: false, files: { ...openWavePlan(), ...otherFolders() } });
  try {
    const cli = (...args: string[]) => runCli(args, { cwd: shop.dir, apiKey: null });
    const specs = await cli('specs');
    assert.equal(specs.code, 0, specs.stderr);
    assert.match(
      specs.stdout,
      new RegExp(`\\.claude/spec/${OPEN_SLUG}\\s+feature\\s+Mustard Execute · Active\\s+Catálogo de produtos`),
    );
    assert.match(specs.stdout, /\.claude\/spec\/2026-06-10-login\s+feature\s+Mustard Close · Completed\s+Login/);
    assert.match(specs.stdout, /\.claude\/spec\/cancelled-export\s+feature\s+Mustard Plan · Cancelled\s+Export/);
    // Only the unfinished folders are offered, each whole (the table cuts long ids).
    const offered =
      specs.stdout.split(
        '\nMustard spec folders not finished (implement one with: orchestrator approve <folder>):\n',
      )[1] ?? '';
    assert.deepEqual(
      offered.trimEnd().split('\n').sort(),
      [`  .claude/spec/${OPEN_SLUG}`, '  .claude/spec/broken-meta', '  .claude/spec/older-plan'],
      specs.stdout,
    );
    const json = JSON.parse((await cli('specs', '--json')).stdout) as {
      id: string;
      mustard?: { stage?: string; outcome?: string };
    }[];
    assert.deepEqual(json.find((s) => s.id === `.claude/spec/${OPEN_SLUG}`)?.mustard, {
      stage: 'Execute',
      outcome: 'Active',
      waves: 3,
      completedWaves: 0,
      approvedByUser: true,
    });

    const refused = await cli('approve', '.claude/spec/2026-06-10-login', '--yes');
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      /\.claude\/spec\/2026-06-10-login is finished in Mustard \(stage Close, outcome Completed\); there is nothing to implement\. Start a new feature instead\./,
    );
  } finally {
    shop.cleanup();
  }
});
