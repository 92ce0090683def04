// `specs` on a workspace holding Kiro and Spec Kit folders: a user's first command lists them
// (never "(none)"), each whole with its state and the approve command; --json adds `foreign`
// to each such row and keeps every field it had; a folder without tasks.md is refused by
// approve with the same words, before any model call.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeShop } from '../../support/engine/shopWorkspace';
import * as F from '../../support/foreignSpecFolders';
import { buildCli, runCli } from '../../support/cli/cliKit';

before(() => buildCli());

test('cli: `specs` and `specs --json` list the Kiro and Spec Kit folders not imported yet; a hostile title is shown as escapes; approve of a folder without tasks.md exits 2 saying why', async () => {
  const shop = makeShop({
    git: false,
    files: { ...F.kiroCart(), ...F.kiroNoTasks(), ...F.specKitOrders(), ...F.specKitNoTasks(), ...F.hostileTitle() },
  });
  try {
    const cli = (...args: string[]) => runCli(args, { cwd: shop.dir, apiKey: null });
    const specs = await cli('specs');
    assert.equal(specs.code, 0, specs.stderr);
    assert.doesNotMatch(specs.stdout, /\(none\)/);
    assert.match(specs.stdout, /^id\s+kind\s+status\s+title\n/);
    assert.match(specs.stdout, /\n\.kiro\/specs\/cart\s+feature\s+Kiro · ready to approve\s+Shopping cart\n/);
    assert.match(specs.stdout, /\nspecs\/003-coupons\s+feature\s+Spec Kit · no tasks\.md yet\s+Coupons\n/);
    assert.match(
      specs.stdout,
      /\n\.kiro\/specs\/hostile\s+feature\s+Kiro · ready to approve\s+Cart \\x1b\[2J\\x1b\]0;pwned\\x07 export\n/,
    );
    assert.ok(!specs.stdout.includes('\u001b'), 'no ESC byte reaches the terminal');
    const section =
      specs.stdout.split(
        '\nKiro and Spec Kit folders not imported yet (approve imports one and implements it):\n',
      )[1] ?? '';
    assert.deepEqual(section.trimEnd().split('\n'), [
      '  .kiro/specs/cart  Kiro · ready to approve · 2 requirements, 3 tasks (1 done)',
      '      next: orchestrator approve .kiro/specs/cart',
      '  .kiro/specs/hostile  Kiro · ready to approve · 1 requirement, 1 task',
      '      next: orchestrator approve .kiro/specs/hostile',
      '  .kiro/specs/wishlist  Kiro · no tasks.md yet · 1 requirement',
      '      next: let Kiro write the task list (or write it), then: orchestrator approve .kiro/specs/wishlist',
      '  specs/002-order-history  Spec Kit · ready to approve · 2 requirements, 2 tasks (1 done)',
      '      next: orchestrator approve specs/002-order-history',
      '  specs/003-coupons  Spec Kit · no tasks.md yet · 1 requirement',
      '      next: run /speckit.tasks (or write tasks.md), then: orchestrator approve specs/003-coupons',
    ]);

    const json = await cli('specs', '--json');
    assert.equal(json.code, 0, json.stderr);
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    const cart = rows.find((r) => r.id === F.CART)!;
    // The fields every row had (docs/cli.md: id, title, kind, status, path, created), then `foreign`.
    assert.deepEqual(Object.keys(cart), ['id', 'title', 'kind', 'status', 'path', 'created', 'foreign']);
    assert.deepEqual(cart.foreign, {
      format: 'kiro',
      files: ['requirements.md', 'design.md', 'tasks.md'],
      state: 'ready',
      requirements: 2,
      tasks: 3,
      doneTasks: 1,
      next: 'orchestrator approve .kiro/specs/cart',
      warnings: [],
    });
    assert.equal(
      rows.find((r) => r.id === F.HOSTILE)!.title,
      F.HOSTILE_TITLE,
      'the JSON parses to the title as written',
    );
    assert.equal((rows.find((r) => r.id === F.COUPONS)!.foreign as { state: string }).state, 'no-tasks');

    const refused = await cli('approve', F.COUPONS, '--yes');
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      /specs\/003-coupons has no tasks\.md yet: run \/speckit\.tasks \(or write tasks\.md\), then approve the folder/,
    );
  } finally {
    shop.cleanup();
  }
});
