import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BREAKING_EDIT, GREEN_EDIT, productAgents, withTests } from '../../support/drift';
import { buildCli, cliWorld, jsonOf } from '../../support/cli/cliKit';

buildCli();

test('cli: verify <specId> exits 0 on holds and changed, 1 with --strict on changed and on broken; --all prints one line per completed spec; --json the per-requirement result', async () => {
  const { shop, api, cli, close } = await cliWorld(productAgents(), { config: withTests });
  try {
    const run = jsonOf(await cli('feature', 'Add a Product entity with name and price', '--approve', '--json'));
    assert.equal(run.status, 'completed');
    const specId = String(run.specPath).split('/')[2]!;
    const calls = api.requests.length;

    const holds = await cli('verify', specId);
    assert.equal(holds.code, 0, holds.stderr);
    assert.match(
      holds.stdout,
      new RegExp(
        `^${specId}: Product entity — holds\\n  basis: commit [0-9a-f]{12}, completed \\S+ \\(completion record\\)`,
      ),
    );
    assert.match(holds.stdout, /\n {2}REQ-1 Create a product: holds\n/);
    assert.match(holds.stderr, /running node --test "server\/test\/\*\.test\.js"/);

    const module = 'server/entities/product.js';
    shop.write(module, GREEN_EDIT(shop.read(module)));
    const all = await cli('verify', '--all');
    assert.equal(all.code, 0, all.stderr);
    assert.equal(
      all.stdout,
      `changed  ${specId}  holds 0, changed 2, broken 0  Product entity\n1 completed spec(s): 0 hold, 1 changed, 0 broken\n`,
    );
    assert.equal((await cli('verify', '--all', '--strict')).code, 1);

    shop.write(module, BREAKING_EDIT(shop.read(module)));
    const broken = await cli('verify', specId, '--json');
    assert.equal(broken.code, 1);
    const report = jsonOf(broken) as {
      exitCode: number;
      specs: { status: string; requirements: { requirement: string; status: string; evidence: string[] }[] }[];
    };
    assert.equal(report.exitCode, 1);
    assert.deepEqual(
      report.specs[0]!.requirements.map((r) => [r.requirement, r.status]),
      [
        ['REQ-1', 'broken'],
        ['REQ-2', 'changed'],
      ],
    );
    assert.ok(
      report.specs[0]!.requirements[0]!.evidence.some((line) => /^test: node --test .* failed \(exit 1\)$/.test(line)),
    );
    assert.equal(api.requests.length, calls, 'verify made no model call');

    const usage = await cli('verify');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /verify needs <specId>, --all or --affected/);
    const notCompleted = await cli('verify', '2026-01-01-nothing');
    assert.equal(notCompleted.code, 2);
    assert.match(notCompleted.stderr, /no spec "2026-01-01-nothing"/);
  } finally {
    await close();
  }
});
