import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { startMessagesApiServer } from '../../support/messagesApiServer';
import { pipelineScript, productLayers, say, specAnswer } from '../../support/engine/agentScript';
import { PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { makeShop } from '../../support/engine/shopWorkspace';
import { addTrips, tripAgents } from '../../support/engine/tripInvitations';
import { buildCli, cliWorld, jsonOf, runCli } from '../../support/cli/cliKit';

buildCli();

const layers = productLayers();

test('cli: trace <specId> prints the Markdown matrix, --json the matrix, --xlsx/--md write the files; events prints CloudEvents lines', async () => {
  const { shop, cli, close } = await cliWorld({
    spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
    ...layers,
  });
  try {
    const run = jsonOf(await cli('feature', 'Add a Product entity with name and price', '--approve', '--json'));
    assert.equal(run.status, 'completed');
    const specId = String(run.specPath).split('/')[2]!;

    const md = await cli('trace', specId);
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /^# Traceability: Product entity\n/);
    assert.match(
      md.stdout,
      /\| Requirement \| Criterion \| Tasks \| Files \| Validation \| Review \| Tests \| Proof \| Red on base \| Green after \| Strength \| Gaps \|/,
    );
    assert.match(md.stderr, /criteria with no test: REQ-1\.1, REQ-1\.2, REQ-2\.1/);

    const json = jsonOf(await cli('trace', specId, '--json')) as {
      rows: { criterion: string; review: string; proof: unknown }[];
    };
    assert.deepEqual(
      json.rows.map((r) => [r.criterion, r.review]),
      [
        ['REQ-1.1', 'met'],
        ['REQ-1.2', 'met'],
        ['REQ-2.1', 'met'],
      ],
    );
    // The shop names no proof command: every criterion's proof says so (docs/proof.md).
    assert.deepEqual(
      json.rows.map((r) => r.proof),
      Array(3).fill({ green: 'not-run', status: 'unproven' }),
    );

    const files = await cli('trace', specId, '--xlsx', 'out/matrix.xlsx', '--md', 'out/matrix.md');
    assert.equal(files.code, 0, files.stderr);
    assert.match(files.stdout, /wrote out\/matrix\.xlsx \(sheet Traceability, 3 rows\)\nwrote out\/matrix\.md/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(shop.dir, 'out/matrix.xlsx'));
    assert.equal(
      String(book.getWorksheet('Traceability')!.getRow(4).getCell(2).value),
      'REQ-2.1: WHEN the products screen loads THE web app SHALL list every product with its name and price.',
    );

    const events = await cli('events', String(run.runId), '--format', 'cloudevents');
    assert.equal(events.code, 0, events.stderr);
    const types = events.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { type: string }).type);
    assert.deepEqual([types[0], types.at(-1)], ['project.created', 'project.completed']);

    const usage = await cli('trace', specId, '--format', 'cloudevents');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--format belongs to events/);
    const missing = await cli('trace', '2026-01-01-nothing');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no spec "2026-01-01-nothing"/);
  } finally {
    await close();
  }
});

test('cli: approve <Spec Kit folder> converts it, names the task no layer owns and how to assign it (--yes too), and implements it once assigned', async () => {
  const shop = makeShop();
  cpSync(
    resolve(__dirname, '../../fixtures/specs/speckit/001-product-list'),
    join(shop.dir, 'specs/001-product-list'),
    { recursive: true },
  );
  shop.git('add', '-A');
  shop.git('commit', '-q', '-m', 'spec kit');
  // The approval gate asks the model once about T020; it finds no layer for it either.
  const scripted = pipelineScript({
    ...layers,
    layers: () => say.layers([{ task: 'T020', layer: 'none', reason: 'the registry is generated' }]),
  });
  const api = await startMessagesApiServer(scripted.script);
  const cli = (...args: string[]) => runCli(args, { cwd: shop.dir, baseURL: api.url });
  try {
    const refused = await cli('approve', 'specs/001-product-list');
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      /Imported specs\/001-product-list \(Spec Kit\) as spec\/active\/.+-product-list\/spec\.md: 4 requirement\(s\), 5 task\(s\)/,
    );
    assert.match(
      refused.stderr,
      /- line \d+: task "T020 Update the registry entry for Product \(FR-002\) \(FR-002\) — no layer \(pick one when approving\) — the model found none: the registry is generated"/,
    );
    assert.deepEqual(
      scripted.calls.map((c) => c.agent),
      ['layers'],
      'nothing implemented without a yes; the model asked once',
    );

    const [spec] = JSON.parse((await cli('specs', '--json')).stdout) as { id: string; path: string }[];
    // A pick for a layer the config does not have, or a task the spec does not have, is refused before anything runs.
    const badLayer = await cli('approve', spec!.id, '--assign', 'T020=marketing', '--yes');
    assert.equal(badLayer.code, 2, badLayer.stderr);
    assert.match(
      badLayer.stderr,
      /--assign T020=marketing: no layer "marketing" \(layers: database, backend, frontend\)/,
    );
    const badTask = await cli('approve', spec!.id, '--assign=T999=backend', '--yes');
    assert.match(badTask.stderr, /the spec has no task T999 \(tasks: T001, T010, T011, T012, T020\)/);
    assert.match(
      (await cli('approve', spec!.id, '--assign', 'T020')).stderr,
      /--assign needs <task id>=<layer>, such as "3\.2=backend" \(got "T020"\)/,
    );
    assert.equal(scripted.calls.length, 1);
    // T020 names no file and nothing tells its layer: --yes does not approve it — found now, not at COMPLETE.
    const stopped = await cli('approve', spec!.id, '--yes', '--json');
    assert.equal(stopped.code, 2, stopped.stderr);
    assert.match(stopped.stderr, /nothing ran: task T020 names no file and no layer could be told for it/);
    assert.match(stopped.stderr, new RegExp(`orchestrator approve ${spec!.id} --assign "T020=<layer>"`));
    assert.equal(scripted.calls.length, 1, 'the model is not asked again');

    const done = await cli('approve', spec!.id, '--assign', 'T020=backend', '--yes', '--json');
    assert.equal(jsonOf(done).status, 'completed', done.stderr);
    assert.equal(shop.read('web/src/products.js'), PRODUCT_SCREEN);
    assert.ok(
      shop
        .read(`spec/completed/${spec!.id}/spec.md`)
        .includes(
          'T020 Update the registry entry for Product (FR-002) (FR-002) — layer: backend (chosen when approving)',
        ),
    );
  } finally {
    await api.close();
    shop.cleanup();
  }
});

test("cli: feature naming a Spec Kit folder runs that folder: the gate prints the model's placement of its tasks naming no file; approve --yes accepts it and completes, printing where each went", async () => {
  const shop = makeShop();
  addTrips(shop.dir, shop.git);
  const scripted = pipelineScript(tripAgents());
  const api = await startMessagesApiServer(scripted.script);
  const cli = (...args: string[]) => runCli(args, { cwd: shop.dir, baseURL: api.url });
  try {
    const saved = await cli('feature', 'Implement specs/004-trip-invitations');
    assert.equal(saved.code, 0, saved.stderr);
    const specId = /spec saved: spec\/active\/(\S+)\/spec\.md/.exec(saved.stderr)?.[1];
    assert.ok(specId, saved.stderr);
    assert.match(
      saved.stderr,
      /\n {2}T020 → backend \(proposed by the model: the invitation queries live in the server\)\n {2}T021 → not-implementable \(proposed by the model: a newsletter to people, not code\)\n {2}accept with: orchestrator approve \S+ --yes; or change any: --assign "<task>=<layer>"/,
    );
    assert.deepEqual(
      scripted.calls.map((c) => c.agent),
      ['layers'],
      'no spec agent: the folder is the spec',
    );
    const done = await cli('approve', specId!, '--yes', '--json');
    assert.equal(jsonOf(done).status, 'completed', done.stderr);
    assert.match(
      done.stderr,
      /tasks naming no file: T011 → backend \(design\), T012 → frontend \(design\), T020 → backend \(model\), T021 not implementable/,
    );
  } finally {
    await api.close();
    shop.cleanup();
  }
});
