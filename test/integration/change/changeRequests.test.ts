import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import { say, type AgentScript } from '../../support/engine/agentScript';
import {
  BROKEN_PRODUCT_MODULE,
  PRODUCT_MIGRATION,
  PRODUCT_MODULE,
  PRODUCT_SCREEN,
  PRODUCT_SPEC,
} from '../../support/engine/fixtures';
import { harness, journalOf, type Harness } from '../../support/engine/harness';
import { withLimit } from '../../support/engine/shopWorkspace';

const SEARCH = `#### REQ-3: Search products by name
**Acceptance criteria**
- REQ-3.1: WHEN the Product module is asked to search with a name THE module SHALL return every product whose name contains it.

`;
const SEARCH_TASK = '\n4. [ ] Backend: server/entities/product.js search(name) (REQ-3)';
/** v2: search by name, a backend-only requirement. */
const WITH_SEARCH = PRODUCT_SPEC.replace('### API Contracts', `${SEARCH}### API Contracts`).replace(
  'listing products (REQ-2)',
  `listing products (REQ-2)${SEARCH_TASK}`,
);
/** v3: products can be archived (backend only). */
const WITH_ARCHIVE = WITH_SEARCH.replace(
  '### API Contracts',
  `#### REQ-4: Archive a product
**Acceptance criteria**
- REQ-4.1: WHEN the Product module archives a product THE module SHALL leave it out of list().

### API Contracts`,
).replace(SEARCH_TASK, `${SEARCH_TASK}\n5. [ ] Backend: server/entities/product.js archive(id) (REQ-4)`);
/** v4: the search ignores case (REQ-3.1 reworded). */
const CASE_BLIND = WITH_ARCHIVE.replace('whose name contains it.', 'whose name contains it, ignoring case.');

const SEARCH_MODULE = PRODUCT_MODULE.replace(
  'module.exports = { meta, validate, list, get, create };',
  'function search(name) {\n  return list().filter((p) => String(p.name).toLowerCase().includes(String(name).toLowerCase()));\n}\n\nmodule.exports = { meta, validate, list, get, create, search };',
);

const isAmendment = (task: string) => task.includes('CHANGE REQUEST (amendment to the approved spec)');
const isChangeFix = (task: string) => task.includes('FIX MODE: THE APPROVED SPEC WAS AMENDED');

function agents(
  h: () => Harness,
  options: { amendments: string[]; requests?: string[]; brokenFirst?: boolean },
): Record<string, AgentScript> {
  let amended = 0;
  return {
    spec: ({ task }) =>
      say.spec('Product entity', 'product-entity', isAmendment(task) ? options.amendments[amended++]! : PRODUCT_SPEC),
    database: ({ turn }) =>
      turn === 0 ? say.write({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }) : say.done(),
    backend: async ({ turn, task }) => {
      if (turn > 0) return say.done();
      if (isChangeFix(task)) return say.write({ 'server/entities/product.js': SEARCH_MODULE });
      // While the backend works (wave 1, beside the database), the human asks for changes.
      const runId = h().host.ofType('run.started')[0]!.runId;
      for (const request of options.requests ?? [])
        assert.equal((await engine.requestChange(runId, request, h().options())).status, 'queued');
      return say.write({ 'server/entities/product.js': options.brokenFirst ? BROKEN_PRODUCT_MODULE : PRODUCT_MODULE });
    },
    frontend: ({ turn }) => (turn === 0 ? say.write({ 'web/src/products.js': PRODUCT_SCREEN }) : say.done()),
    review: () => say.approve(),
  };
}

const startedModes = (h: Harness, runId: string, agent: string) =>
  journalOf(h.shop, runId)
    .filter((e) => e.type === 'agent.started' && e.agent === agent)
    .map((e) => e.mode);

test('a change request during IMPLEMENT: the amendment is approved between waves, the backend runs again in FIX mode, the finished database layer gets no new request, the frontend and review work from the amended spec', async () => {
  const h: Harness = await harness(
    agents(() => h, { amendments: [WITH_SEARCH], requests: ['Add a search by name to the Product module'] }),
  );
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(startedModes(h, summary.runId, 'database'), ['implement'], 'the database layer ran once');
    assert.deepEqual(startedModes(h, summary.runId, 'backend'), ['implement', 'fix']);
    const fix = h.callsOf('backend').find((c) => isChangeFix(c.task))!;
    assert.match(fix.task, /- v2: Add a search by name to the Product module \(requirements changed: REQ-3\)/);

    const journal = journalOf(h.shop, summary.runId);
    const types = journal.map((e) => e.type);
    const approved = journal.find((e) => e.type === 'change.approved')!;
    assert.deepEqual([approved.version, approved.requirements, approved.layers], [2, ['REQ-3'], ['backend']]);
    // Picked up after the first wave, before the frontend's.
    const waves = journal.filter((e) => e.type === 'wave.started').map((e) => e.seq);
    assert.ok(
      types.indexOf('change.requested') > 0 && journal.find((e) => e.type === 'change.requested')!.seq < waves[1]!,
      'picked up between the waves',
    );
    assert.ok(approved.seq < waves[1]!);
    assert.match(JSON.stringify(h.callsOf('frontend')[0]!.req.body.system), /REQ-3: Search products by name/);
    assert.match(h.callsOf('review')[0]!.task + JSON.stringify(h.callsOf('review')[0]!.req.body), /REQ-3\.1/);

    // The spec keeps every version: the approved text as spec.v1.md, a History section in spec.md.
    const spec = h.shop.read(summary.specPath!);
    assert.match(spec, /REQ-3: Search products by name/);
    assert.match(
      spec,
      /## History\n- v1 \([^)]+\): approved\n- v2 \([^)]+\): change requested: "Add a search by name to the Product module"; requirements changed: REQ-3; earlier text: spec\.v1\.md\n/,
    );
    const v1 = h.shop.read(summary.specPath!.replace('spec.md', 'spec.v1.md'));
    assert.doesNotMatch(v1, /REQ-3/);
    assert.match(v1, /REQ-1: Create a product/);
    assert.match(h.shop.read('server/entities/product.js'), /function search\(name\)/);

    // The matrix shows which requirement changed and when.
    const final = h.host.ofType('trace.updated').at(-1)!.matrix;
    assert.deepEqual(
      final.rows.map((r) => [r.criterion, r.changes]),
      [
        ['REQ-1.1', []],
        ['REQ-1.2', []],
        ['REQ-2.1', []],
        ['REQ-3.1', [`v2 ${approved.ts}`]],
      ],
    );
  } finally {
    await h.close();
  }
});

test('a change request after a stop: the run resumes with it, the backend fixes its work in FIX mode with the amendment, the database is kept, the run completes', async () => {
  const h: Harness = await harness(
    agents(() => h, { amendments: [WITH_SEARCH], brokenFirst: true }),
    { config: withLimit('maxRetries', 0) },
  );
  try {
    const stopped = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(stopped.status, 'stopped');
    assert.match(stopped.report!, /validation failed/i);

    const outcome = await engine.requestChange(
      stopped.runId,
      'Add a search by name to the Product module',
      h.options(),
    );
    assert.equal(outcome.status, 'resumed');
    assert.ok(outcome.status === 'resumed');
    assert.equal(outcome.summary.status, 'completed', outcome.summary.error);
    assert.deepEqual(startedModes(h, stopped.runId, 'database'), ['implement']);
    assert.deepEqual(startedModes(h, stopped.runId, 'backend'), ['implement', 'fix']);
    assert.match(h.shop.read('server/entities/product.js'), /function search\(name\)/);
    const journal = journalOf(h.shop, stopped.runId);
    assert.deepEqual(
      journal.filter((e) => e.type.startsWith('change.')).map((e) => e.type),
      ['change.requested', 'change.approved'],
    );

    // A completed run takes no more change requests.
    await assert.rejects(
      engine.requestChange(stopped.runId, 'Another one', h.options()),
      /completed: its spec is archived/,
    );
  } finally {
    await h.close();
  }
});

test('history across three amendments: each version kept (spec.v1–v3.md), one History line each, the backend fixes once for all three', async () => {
  const requests = ['Add a search by name', 'Products can be archived', 'The search ignores case'];
  const h: Harness = await harness(agents(() => h, { amendments: [WITH_SEARCH, WITH_ARCHIVE, CASE_BLIND], requests }));
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    const journal = journalOf(h.shop, summary.runId);
    const approvals = journal.filter((e) => e.type === 'change.approved');
    assert.deepEqual(
      approvals.map((e) => [e.version, e.requirements]),
      [
        [2, ['REQ-3']],
        [3, ['REQ-4']],
        [4, ['REQ-3']],
      ],
    );
    const dir = summary.specPath!.replace('/spec.md', '');
    assert.ok(['spec.v1.md', 'spec.v2.md', 'spec.v3.md'].every((f) => existsSync(join(h.shop.dir, dir, f))));
    assert.doesNotMatch(h.shop.read(`${dir}/spec.v1.md`), /REQ-3/);
    assert.match(h.shop.read(`${dir}/spec.v2.md`), /REQ-3[\s\S]*## History\n- v1 .*\n- v2 /);
    assert.doesNotMatch(h.shop.read(`${dir}/spec.v2.md`), /REQ-4/);
    assert.match(h.shop.read(`${dir}/spec.v3.md`), /REQ-4/);
    assert.doesNotMatch(h.shop.read(`${dir}/spec.v3.md`), /ignoring case/);
    const history = /## History\n([\s\S]*)$/.exec(h.shop.read(summary.specPath!))![1]!.trim().split('\n');
    assert.equal(history.length, 4);
    assert.match(
      history[3]!,
      /^- v4 \(.*\): change requested: "The search ignores case"; requirements changed: REQ-3; earlier text: spec\.v3\.md$/,
    );
    assert.deepEqual(startedModes(h, summary.runId, 'backend'), ['implement', 'fix']);
    assert.match(
      h.callsOf('backend').find((c) => isChangeFix(c.task))!.task,
      /- v2: Add a search by name[\s\S]*- v3: Products can be archived[\s\S]*- v4: The search ignores case/,
    );
    const final = h.host.ofType('trace.updated').at(-1)!.matrix;
    assert.equal(final.rows.find((r) => r.criterion === 'REQ-3.1')!.changes.length, 2);
  } finally {
    await h.close();
  }
});
