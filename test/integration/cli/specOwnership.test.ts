// A spec a human edited to hold work no layer owns: `specs` shows it with its lines, and
// `approve` refuses without --yes, saying why (issue 7).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMessagesApiServer } from '../../support/messagesApiServer';
import { pipelineScript, productAgents } from '../../support/engine/agentScript';
import { makeShop } from '../../support/engine/shopWorkspace';
import { buildCli, jsonOf, runCli } from '../../support/cli/cliKit';

before(() => buildCli());

test('cli: `specs` lists unowned work with spec.md lines; `approve` refuses it without --yes (exit 2) and implements it with --yes', async () => {
  const shop = makeShop();
  const scripted = pipelineScript(productAgents());
  const api = await startMessagesApiServer(scripted.script);
  const cli = (...args: string[]) => runCli(args, { cwd: shop.dir, baseURL: api.url });
  try {
    const saved = jsonOf(await cli('feature', 'Add a Product entity with name and price', '--json'));
    assert.equal(saved.status, 'spec-saved');
    const specPath = String(saved.specPath);
    const specId = specPath.split('/')[2]!;
    // The human adds a task that names no layer and no file to the Tasks list.
    const edited = shop
      .read(specPath)
      .replace(
        '3. [ ] Frontend: web/src/products.js listing products (REQ-2)',
        '3. [ ] Frontend: web/src/products.js listing products (REQ-2)\n4. [ ] Create the product table',
      );
    shop.write(specPath, edited);
    const line = edited.split('\n').indexOf('4. [ ] Create the product table') + 1;

    const specs = await cli('specs');
    assert.equal(specs.code, 0, specs.stderr);
    assert.match(specs.stdout, new RegExp(`${specId}\\s+feature\\s+saved\\s+Product entity\\s+1 unowned`));
    assert.ok(specs.stdout.includes(`${specPath}:${line}: task "Create the product table"`), specs.stdout);
    const json = JSON.parse((await cli('specs', '--json')).stdout) as { unowned?: unknown }[];
    assert.deepEqual(json[0]!.unowned, [{ kind: 'task', line, text: 'Create the product table' }]);

    const before = scripted.calls.length;
    const refused = await cli('approve', specId);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      new RegExp(`Spec ${specId} was not approved: ${specPath} has work that no configured layer owns`),
    );
    assert.match(refused.stderr, new RegExp(`- line ${line}: task "Create the product table"`));
    assert.match(refused.stderr, /approve it as it is with --yes/);
    assert.equal(scripted.calls.length, before, 'no model call');

    const approved = await cli('approve', specId, '--yes', '--json');
    assert.equal(approved.code, 0, approved.stderr);
    assert.equal(jsonOf(approved).status, 'completed');
    assert.match(
      approved.stderr,
      /confirm: Spec .* has an item that no layer owns; no agent will do it\. Approve it anyway\? → yes/,
    );
  } finally {
    await api.close();
    shop.cleanup();
  }
});
