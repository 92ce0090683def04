// STRENGTH after GREEN when the mutation engine cannot load in the project (issue 70): a project
// whose Babel config names a Babel 7 plugin makes StrykerJS's instrumenter (Babel 8) fail to load,
// as it did on a real repository run from its folder (the CLI's working directory). Proof and
// validation passed: the run completes, and the strength is said to be not measured, with the
// reason, in the journal, the CLI's line, the trace and the report; under `required` it is said
// plainly and not counted as strong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { wordsOf } from '../../../src/core/catalogue';
import { engine } from '../../../src/core/engine';
import type { EngineEvent } from '../../../src/core/events';
import { strengthLine, strengthPercent, strengthTotal } from '../../../src/core/text/proofWords';
import type { TraceMatrix } from '../../../src/core/trace';
import { reply } from '../../support/messagesApiServer';
import { say, specAnswer } from '../../support/engine/agentScript';
import { harness, journalOf } from '../../support/engine/harness';
import { PRICING, PRICING_SPEC, PROOF_CONFIG, PROOF_FILE, proofFile, REQ_1_1 } from '../../support/engine/pricingProof';
import { SHARED_NODE_MODULES } from '../../support/jsRunnerProject';

const BABEL_7 = /Requires Babel "\^7\.0\.0-0", but was loaded with "8\.\d+\.\d+"/;

test('strength: required: StrykerJS cannot load in a project with a Babel 7 config: the run completes, the strength not measured with the reason, not counted as strong', async () => {
  const config = (yaml: string) =>
    PROOF_CONFIG(yaml)
      .replace('strength: off', 'strength: required\n  maxMutants: 3')
      .replace('skipIfFilesChangedAtMost: 3', 'skipIfFilesChangedAtMost: 0');
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', PRICING_SPEC),
      proof: ({ turn }) =>
        turn === 0
          ? say.write({ [PROOF_FILE]: proofFile(REQ_1_1) })
          : reply.toolUse('submit_proof', {
              tests: [
                { criterion: 'REQ-1.1', file: PROOF_FILE, name: 'REQ-1.1 takes the percent off and rounds to cents' },
                { criterion: 'REQ-1.2', untestable: 'checked by hand here' },
              ],
            }),
      backend: ({ turn }) => (turn === 0 ? say.write({ 'server/pricing.js': PRICING }) : say.done()),
      review: () => say.approve(),
    },
    {
      config,
      // The project's Babel config, as a Babel 7 project has it: a real Babel 7 plugin, installed.
      files: { 'babel.config.json': '{ "plugins": ["@babel/plugin-syntax-class-properties"] }\n' },
    },
  );
  mkdirSync(join(h.shop.dir, 'node_modules/@babel'), { recursive: true });
  symlinkSync(
    join(SHARED_NODE_MODULES, '@babel/plugin-syntax-class-properties'),
    join(h.shop.dir, 'node_modules/@babel/plugin-syntax-class-properties'),
  );
  // The CLI runs in the project's folder: Babel finds the project's config from there.
  const cwd = process.cwd();
  process.chdir(h.shop.dir);
  try {
    const summary = await engine.runFeature('Add percentage discounts', h.options());
    const journal = journalOf(h.shop, summary.runId) as unknown as EngineEvent[];
    assert.equal(
      summary.status,
      'completed',
      summary.report ?? JSON.stringify(journal.filter((e) => e.type === 'log')),
    );
    const strength = journal.find((e) => e.type === 'proof.strength') as Extract<
      EngineEvent,
      { type: 'proof.strength' }
    >;
    assert.ok(strength, 'the step ran');
    assert.deepEqual([strength.criterion, strength.tried, strength.killed, strength.survived], ['REQ-1.1', 0, 0, 0]);
    assert.match(strength.error ?? '', /^StrykerJS could not load in this project: \[BABEL\]/);
    assert.match(strength.error ?? '', BABEL_7);
    // The CLI's line says it, with the reason.
    const words = wordsOf(strength as EngineEvent);
    assert.equal(words.level, 'warn');
    assert.match(words.text, /^· REQ-1\.1 strength not measured: StrykerJS could not load in this project: \[BABEL\]/);
    assert.match(words.text, BABEL_7);
    // Under `required`: said plainly, not counted as strong, and no round of added tests.
    const said = journal.filter(
      (e) => e.type === 'log' && e.level === 'warn' && e.message.startsWith('strength: not measured: REQ-1.1 ('),
    );
    assert.equal(said.length, 1, JSON.stringify(journal.filter((e) => e.type === 'log')));
    assert.match((said[0] as { message: string }).message, /not counted as strong/);
    assert.ok(!journal.some((e) => e.type === 'proof.strengthen'));
    // The trace and the report (the pull request's body and the chat count the same way).
    const trace = JSON.parse(
      readFileSync(join(h.shop.dir, `.claude/runs/${summary.runId}/trace.json`), 'utf8'),
    ) as TraceMatrix;
    const row = trace.rows.find((r) => r.criterion === 'REQ-1.1');
    assert.equal(strengthPercent(row?.proof?.strength), 'not measured');
    const total = strengthLine(strengthTotal(trace.rows.map((r) => r.proof?.strength)));
    assert.match(total, /^not measured \(StrykerJS could not load in this project: \[BABEL\]/);
  } finally {
    process.chdir(cwd);
    await h.close();
  }
});
