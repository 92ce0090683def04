import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { proofOfRun } from '../../../src/core/trace';
import type { EngineEvent } from '../../../src/core/events';
import { reply } from '../../support/messagesApiServer';
import { type AgentScript, say, specAnswer } from '../../support/engine/agentScript';
import { harness, journalOf } from '../../support/engine/harness';
import { linkPackage, sandboxReadsSharedModules } from '../../support/jsRunnerProject';
import {
  PRICING,
  PRICING_NO_RANGE,
  PRICING_SPEC,
  PROOF_CONFIG,
  PROOF_FILE,
  proofFile,
  REQ_1_1,
  REQ_1_2,
} from '../../support/engine/pricingProof';

/** The backend's pricing module with a slip inside it: REQ-1.1's test fails in server/pricing.js. */
const PRICING_SLIP = PRICING.replace('return Math.round(', 'return round(');

/** Only the frontend's task cites REQ-1: the backend's validation runs no proof test (its REQ-2 is untestable). */
const SPEC = PRICING_SPEC.replace(
  '1. [ ] Backend: `server/pricing.js` exporting discount(price, percent) (REQ-1)',
  '1. [ ] Backend: `server/pricing.js` exporting discount(price, percent) (REQ-2)\n2. [ ] Frontend: `web/src/price.js` showing the discounted price (REQ-1)',
)
  .replace(
    '### Files to Create/Modify',
    '#### REQ-2: Readable pricing code\n**Acceptance criteria**\n- REQ-2.1: THE pricing module SHALL explain its rounding in a comment.\n\n### Files to Create/Modify',
  )
  .replace('#### Backend\n', '#### Frontend\n- [ ] `web/src/price.js`: the discounted price label\n\n#### Backend\n');

/** The proof agent writing `content` as REQ-1's test file and submitting its two tests. */
const provesBoth =
  (content: string): AgentScript =>
  ({ turn }) =>
    turn === 0
      ? say.write({ [PROOF_FILE]: content })
      : reply.toolUse('submit_proof', {
          tests: [
            { criterion: 'REQ-1.1', file: PROOF_FILE, name: 'REQ-1.1 takes the percent off and rounds to cents' },
            { criterion: 'REQ-1.2', file: PROOF_FILE, name: 'REQ-1.2 refuses a percent outside 0 to 100' },
          ],
        });

const PRICE_LABEL =
  '// The discounted price as shown.\nexport function priceLabel(price) {\n  return `$${price.toFixed(2)}`;\n}\n';

test('proof: a failing proof test blames the layer owning the code its output names; after the last wave that layer runs again in FIX mode, not the one whose validation ran it', async () => {
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', SPEC),
      proof: ({ turn }) =>
        turn === 0
          ? say.write({ [PROOF_FILE]: proofFile(REQ_1_1, REQ_1_2) })
          : reply.toolUse('submit_proof', {
              tests: [
                { criterion: 'REQ-1.1', file: PROOF_FILE, name: 'REQ-1.1 takes the percent off and rounds to cents' },
                { criterion: 'REQ-1.2', file: PROOF_FILE, name: 'REQ-1.2 refuses a percent outside 0 to 100' },
                { criterion: 'REQ-2.1', untestable: 'a comment is for the review to read' },
              ],
            }),
      backend: ({ turn, attempt }) =>
        turn === 0 ? say.write({ 'server/pricing.js': attempt === 1 ? PRICING_SLIP : PRICING }) : say.done(),
      frontend: ({ turn }) => (turn === 0 ? say.write({ 'web/src/price.js': PRICE_LABEL }) : say.done()),
      review: () => say.approve(),
    },
    { config: PROOF_CONFIG },
  );
  try {
    const summary = await engine.runFeature('Add percentage discounts', h.options());
    const journal = journalOf(h.shop, summary.runId) as unknown as EngineEvent[];
    assert.equal(
      summary.status,
      'completed',
      JSON.stringify(
        journal.filter((e) => e.type === 'tool.called' && e.isError).map((e) => (e as { result: string }).result),
      ),
    );
    const modes = (agent: string) =>
      journal.filter((e) => e.type === 'agent.started' && e.agent === agent).map((e) => (e as { mode: string }).mode);
    assert.deepEqual(modes('frontend'), ['implement'], "the frontend is never sent back for the backend's slip");
    assert.deepEqual(modes('backend'), ['implement', 'fix']);

    // The frontend's validation ran REQ-1's tests; REQ-1.1's failure named server/pricing.js.
    const blamed = journal.find((e) => e.type === 'proof.green' && e.green === 'failed') as Extract<
      EngineEvent,
      { type: 'proof.green' }
    >;
    assert.deepEqual([blamed.criterion, blamed.layer], ['REQ-1.1', 'backend']);
    assert.match(blamed.output!, /ReferenceError( \[Error\])?: round is not defined/);
    const fix = h.callsOf('backend').find((c) => c.turn === 0 && c.attempt === 2)!;
    assert.match(fix.task, /^## FIX MODE: A PROOF TEST FAILS ON YOUR LAYER'S WORK/);
    assert.match(fix.task, /Proof test failed: REQ-1\.1 — WHEN a percent between 0 and 100/);
    assert.match(fix.task, /server\/pricing\.js:\d+/);

    const proofs = proofOfRun(journal);
    assert.deepEqual([...proofs].map(([id, p]) => [id, p.status]).sort(), [
      ['REQ-1.1', 'proven'],
      ['REQ-1.2', 'proven'],
      ['REQ-2.1', 'unproven'],
    ]);
    assert.equal(proofs.get('REQ-2.1')!.untestable, 'a comment is for the review to read');
    assert.equal(h.shop.read('server/pricing.js'), PRICING);
  } finally {
    await h.close();
  }
});

test("proof: a validate command that runs the proof folder too and fails leads its retry with the failing proof test, naming the criterion (npm run realworld: AVA's npm test collects the proof folder init chose)", async () => {
  const VALIDATE = "node --test 'server/test/**/*.test.js'";
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', PRICING_SPEC),
      proof: provesBoth(proofFile(REQ_1_1, REQ_1_2)),
      backend: ({ turn, attempt }) =>
        turn === 0 ? say.write({ 'server/pricing.js': attempt === 1 ? PRICING_NO_RANGE : PRICING }) : say.done(),
      review: () => say.approve(),
    },
    { config: (yaml) => PROOF_CONFIG(yaml.replace('node scripts/check-server.js server', VALIDATE)) },
  );
  try {
    const summary = await engine.runFeature('Add percentage discounts', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    const journal = journalOf(h.shop, summary.runId) as unknown as EngineEvent[];
    const failed = journal.filter(
      (e): e is Extract<EngineEvent, { type: 'validation.failed' }> => e.type === 'validation.failed',
    );
    assert.deepEqual(
      failed.map((e) => [e.layer, e.command]),
      [['backend', VALIDATE]],
    );
    assert.match(failed[0]!.output, /^Proof test failed: REQ-1\.2 — IF the percent is outside 0 to 100/);
    assert.match(failed[0]!.output, new RegExp(`\n\n${VALIDATE.replace(/[*.]/g, '\\$&')} failed too:\n`));
    const retry = h.callsOf('backend').find((c) => c.turn === 0 && c.attempt === 2)!;
    assert.match(retry.task, /Proof test failed: REQ-1\.2/);
    assert.deepEqual(
      [...proofOfRun(journal)].map(([id, p]) => [id, p.status]),
      [
        ['REQ-1.1', 'proven'],
        ['REQ-1.2', 'proven'],
      ],
    );
  } finally {
    await h.close();
  }
});

test('proof: a proof command that does not end in GREEN stops the run at once, naming the criteria, the command, its limit and last output; the layer is not retried for it', async () => {
  // The module is right but leaves a timer running: node --test prints both tests passed, then
  // never ends, on every retry alike.
  const HANGS = `${PRICING}setInterval(() => {}, 1000);\n`;
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', PRICING_SPEC),
      proof: provesBoth(proofFile(REQ_1_1, REQ_1_2)),
      backend: ({ turn }) => (turn === 0 ? say.write({ 'server/pricing.js': HANGS }) : say.done()),
      review: () => say.approve(),
    },
    { config: (yaml) => `${PROOF_CONFIG(yaml)}  timeoutSec: 2\n` },
  );
  try {
    const summary = await engine.runFeature('Add percentage discounts', h.options());
    assert.equal(summary.status, 'stopped');
    assert.match(summary.error!, /^proof of REQ-1\.1, REQ-1\.2 stopped: `node --test .*` did not end within 2 s$/);
    assert.match(summary.report!, /^## Pipeline stopped: a proof command did not end\n- REQ-1\.1: WHEN a percent/);
    assert.match(summary.report!, /\(stopped after 2 s, its limit: `proof\.timeoutSec`\)/);
    const journal = journalOf(h.shop, summary.runId) as unknown as EngineEvent[];
    assert.equal(journal.filter((e) => e.type === 'retry').length, 0, 'a retry would wait the same');
    assert.deepEqual(
      h
        .callsOf('backend')
        .filter((c) => c.turn === 0)
        .map((c) => c.attempt),
      [1],
    );
    assert.deepEqual(
      journal.filter((e) => e.type === 'proof.green').map((e) => (e as { green: string }).green),
      ['failed', 'failed'],
    );
  } finally {
    await h.close();
  }
});

const PRETTIER = 'node_modules/.bin/prettier';
// What a model writes: right, but not as Prettier would (no semicolons, tabs).
const UNSTYLED = proofFile(REQ_1_1, REQ_1_2)
  .replace(/;\n/g, '\n')
  .replace(/\n {2}/g, '\n\t');

/** A feature whose proof agent writes UNSTYLED, in a project with Prettier installed and `ownTest` as its own test. */
async function styledRun(ownTest: string, validate: string) {
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', PRICING_SPEC),
      proof: provesBoth(UNSTYLED),
      backend: ({ turn }) => (turn === 0 ? say.write({ 'server/pricing.js': PRICING }) : say.done()),
      review: () => say.approve(),
    },
    {
      config: (yaml) => PROOF_CONFIG(yaml.replace('node scripts/check-server.js server', validate)),
      files: { 'server/test/health.test.js': ownTest },
    },
  );
  // Prettier installed as a user's is (node_modules/.bin/prettier), as XO and others bring it too.
  linkPackage(h.shop.dir, 'prettier');
  const restorePath = sandboxReadsSharedModules();
  try {
    const summary = await engine.runFeature('Add percentage discounts', h.options());
    const journal = journalOf(h.shop, summary.runId) as unknown as EngineEvent[];
    const ran = journal.filter((e) => e.type === 'command.ran').map((e) => (e as { command: string }).command);
    return { summary, journal, ran, proof: h.shop.read(PROOF_FILE) };
  } finally {
    restorePath();
    await h.close();
  }
}

test("proof: the proof tests are written in the project's style by its own formatter before RED (a validate that checks formatting, as path-to-regexp's npm test does, would fail on a frozen test every retry)", async () => {
  const own =
    'const test = require("node:test");\n\ntest("health", () => {\n  if (1 + 1 !== 2) throw new Error("math");\n});\n';
  const { summary, journal, ran, proof } = await styledRun(
    own,
    `${PRETTIER} --check server/test && node scripts/check-server.js server`,
  );
  assert.equal(summary.status, 'completed', summary.error);
  assert.ok(ran.includes(`${PRETTIER} --check server/test/health.test.js`), ran.join('\n'));
  assert.ok(ran.includes(`${PRETTIER} --write ${PROOF_FILE}`), ran.join('\n'));
  assert.equal(journal.filter((e) => e.type === 'validation.failed').length, 0);
  // Prettier's own defaults (no config here): semicolons back, two spaces for the tabs.
  assert.match(
    proof,
    /^"use strict";\nconst test = require\("node:test"\);\n[\s\S]*\n {2}assert\.equal\(pricing\(\)\.discount\(19\.99, 15\), 16\.99\);\n/,
  );
  assert.deepEqual(
    [...proofOfRun(journal)].map(([id, p]) => [id, p.status]),
    [
      ['REQ-1.1', 'proven'],
      ['REQ-1.2', 'proven'],
    ],
  );
});

test("proof: Prettier installed but not the project's style (its own tests in tabs, as XO writes them) leaves the proof tests as written (p-map: Prettier's spaces failed XO inside npm test)", async () => {
  const own =
    "const test = require('node:test');\n\ntest('health', () => {\n\tif (1 + 1 !== 2) throw new Error('math')\n})\n";
  const { summary, ran, proof } = await styledRun(own, 'node scripts/check-server.js server');
  assert.equal(summary.status, 'completed', summary.error);
  assert.ok(ran.includes(`${PRETTIER} --check server/test/health.test.js`), ran.join('\n'));
  // The proof tests stay as written (our own files, the spec and the trace, are formatted: issue 70).
  assert.ok(!ran.some((c) => c.includes('--write') && c.includes(PROOF_FILE)), ran.join('\n'));
  assert.equal(proof, UNSTYLED);
});

test('proof: advisory fails a layer on a failing proof test as required does (issue 70: the wrong fix completed green); the run says advisory in one line', async () => {
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', PRICING_SPEC),
      proof: provesBoth(proofFile(REQ_1_1, REQ_1_2)),
      // The first attempt is the wrong fix (no range check): REQ-1.2's test fails at GREEN.
      backend: ({ turn, attempt }) =>
        turn === 0 ? say.write({ 'server/pricing.js': attempt === 1 ? PRICING_NO_RANGE : PRICING }) : say.done(),
      review: () => say.approve(),
    },
    { config: (yaml) => PROOF_CONFIG(yaml).replace('proof:\n', 'proof:\n  mode: advisory\n') },
  );
  try {
    const summary = await engine.runFeature('Add percentage discounts', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(summary.retries.backend, 1, 'the wrong fix went back to the layer');
    const journal = journalOf(h.shop, summary.runId) as unknown as EngineEvent[];
    const failed = journal.filter(
      (e): e is Extract<EngineEvent, { type: 'validation.failed' }> => e.type === 'validation.failed',
    );
    assert.match(failed[0]!.output, /^Proof test failed: REQ-1\.2/);
    assert.ok(
      journal.some((e) => e.type === 'log' && /proof per criterion is advisory/.test(e.message)),
      'advisory said in one line',
    );
    assert.deepEqual(
      [...proofOfRun(journal)].map(([id, p]) => [id, p.status]),
      [
        ['REQ-1.1', 'proven'],
        ['REQ-1.2', 'proven'],
      ],
    );
  } finally {
    await h.close();
  }
});
