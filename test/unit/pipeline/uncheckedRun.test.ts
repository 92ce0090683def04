// Issue 70: `completed` means checked. A layer whose changed files no proof test and no validate
// command checked ends the run `unchecked` before COMPLETE (never `✓ validated`, never a skipped
// review); `--allow-unchecked` accepts it, naming the files; a check added before `resume` runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import { wordsOf } from '../../../src/core/catalogue';
import { reply } from '../../support/messagesApiServer';
import { say, specAnswer } from '../../support/engine/agentScript';
import { CUSTOMER_SPEC } from '../../support/engine/fixtures';
import { PRICING_NO_RANGE, PRICING_SPEC, PROOF_CONFIG, PROOF_FILE } from '../../support/engine/pricingProof';
import { harness, journalOf } from '../../support/engine/harness';

const BACKEND_VALIDATE = /\n(\s+)validate: \["node scripts\/check-server\.js server"\][^\n]*/;
const FILE = 'server/entities/customer.js';

/** The shop with no validate command for backend: nothing but a proof test could check its files. */
const uncheckedBackend = (yaml: string) => yaml.replace(BACKEND_VALIDATE, '');

/** The spec, backend's one-line edit of a known entity, and the review's approval. */
const SMALL_CHANGE = {
  spec: specAnswer('Trim customer names', 'trim-customer-names', CUSTOMER_SPEC),
  backend: ({ turn }: { turn: number }) =>
    turn === 0
      ? reply.toolUse('edit_file', {
          path: FILE,
          old_text: "errors.push('name is required')",
          new_text: "errors.push('name is required (not blank)')",
        })
      : say.done(),
  review: () => say.approve(),
};

const smallChange = () => harness(SMALL_CHANGE, { config: uncheckedBackend });

test('a layer whose change nothing checked ends the run unchecked before COMPLETE: reviewed, never "validated", the spec not archived', async () => {
  const h = await smallChange();
  try {
    assert.doesNotMatch(h.shop.read('.claude/orchestrator.yaml'), /check-server/);
    const summary = await engine.runFeature('Clearer validation message for Customer names', h.options());

    assert.equal(summary.status, 'unchecked', summary.error);
    assert.deepEqual(summary.unchecked, [{ layer: 'backend', files: [FILE] }]);
    assert.equal(summary.uncheckedAccepted, undefined);
    assert.match(summary.report!, /^## Run ended unchecked/);
    assert.match(summary.report!, /\*\*backend\*\*: `server\/entities\/customer\.js`/);
    assert.match(summary.report!, new RegExp(`orchestrator resume ${summary.runId} --allow-unchecked`));
    // One file, a known entity, no schema change: the skip rule would skip it, but nothing else checked it.
    assert.equal(summary.reviewRounds, 1);
    assert.equal(h.host.ofType('review.skipped').length, 0);
    // The spec is not archived: not completed.
    assert.equal(h.host.ofType('spec.completed').length, 0);
    assert.match(summary.specPath!, /^spec\/active\//);
    assert.match(h.shop.read(summary.specPath!), /status: stopped/);

    // Never "✓ backend validated": its validation ran no command and no proof test.
    const passed = h.host.ofType('validation.passed').find((e) => e.layer === 'backend')!;
    assert.deepEqual({ commands: passed.commands, proofTests: passed.proofTests }, { commands: 0, proofTests: 0 });
    const lines = h.host.events.map((e) => wordsOf(e).text);
    assert.ok(!lines.includes('✓ backend validated'), lines.join('\n'));
    assert.ok(lines.includes('· backend: no check ran (no validate command, no proof test due)'), lines.join('\n'));
    assert.ok(
      lines.includes('⚠ unchecked: backend: server/entities/customer.js (no proof test, no validate command)'),
      lines.join('\n'),
    );

    const journal = journalOf(h.shop, summary.runId);
    const stopped = journal.find((e) => e.type === 'run.stopped')!;
    assert.equal(stopped.reason, 'unchecked');
    assert.deepEqual(stopped.unchecked, [{ layer: 'backend', files: [FILE] }]);
    const runs = await engine.listRuns(h.shop.dir);
    assert.equal(runs.find((r) => r.runId === summary.runId)?.status, 'unchecked');

    // Accepted: `resume --allow-unchecked` completes it, and the summary still names what nothing checked.
    const accepted = await engine.resumeRun(summary.runId, h.options({ allowUnchecked: true }));
    assert.equal(accepted.status, 'completed', accepted.error);
    assert.deepEqual(accepted.unchecked, [{ layer: 'backend', files: [FILE] }]);
    assert.equal(accepted.uncheckedAccepted, true);
    assert.match(accepted.specPath!, /^spec\/completed\//);
    assert.equal(h.callsOf('backend').length, 2, 'the layer is not run again');
    const acceptedEvent = h.host.ofType('run.unchecked').at(-1)!;
    assert.equal(acceptedEvent.accepted, true);
  } finally {
    await h.close();
  }
});

test('a check added before resume runs, and the run completes checked', async () => {
  const h = await smallChange();
  try {
    const stopped = await engine.runFeature('Clearer validation message for Customer names', h.options());
    assert.equal(stopped.status, 'unchecked', stopped.error);
    // The user gives backend its validate command back, then resumes.
    const config = h.shop.read('.claude/orchestrator.yaml');
    h.shop.write(
      '.claude/orchestrator.yaml',
      config.replace(
        /(\n\s+backend:\n\s+owns: \["server\/\*\*"\])/,
        '$1\n    validate: ["node scripts/check-server.js server"]',
      ),
    );
    const resumed = await engine.resumeRun(stopped.runId, h.options());
    assert.equal(resumed.status, 'completed', resumed.error);
    assert.equal(resumed.unchecked, undefined);
    const validated = h.host
      .ofType('validation.passed')
      .filter((e) => e.layer === 'backend')
      .at(-1)!;
    assert.equal(validated.commands, 1);
    assert.ok(existsSync(join(h.shop.dir, resumed.specPath!)));
  } finally {
    await h.close();
  }
});

test('the config key allowUnchecked accepts a change nothing checked from the start', async () => {
  const h = await harness(SMALL_CHANGE, { config: (yaml) => `${uncheckedBackend(yaml)}\nallowUnchecked: true\n` });
  try {
    const summary = await engine.runFeature('Clearer validation message for Customer names', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(summary.unchecked, [{ layer: 'backend', files: [FILE] }]);
    assert.equal(summary.uncheckedAccepted, true);
  } finally {
    await h.close();
  }
});

test('a validate command that fails on the base too is set aside, run once there, never the layer’s retry: the layer ends unchecked', async () => {
  // The project's own check that fails before any change (a suite needing the network, a file of ours it reads):
  // beside backend's own check, which it shares a layer with.
  const h = await harness(SMALL_CHANGE, {
    config: (yaml) => yaml.replace(BACKEND_VALIDATE, '\n$1validate: ["node scripts/needs-network.js"]'),
    files: {
      'scripts/needs-network.js': "console.error('getaddrinfo ENOTFOUND registry.example.com'); process.exit(1);\n",
    },
  });
  try {
    const summary = await engine.runFeature('Clearer validation message for Customer names', h.options());
    assert.equal(summary.status, 'unchecked', summary.error);
    assert.deepEqual(summary.retries.backend, 0, 'never retried as the layer’s failure');
    assert.equal(h.callsOf('backend').length, 2, 'one agent run: its edit, then done');
    const aside = h.host.ofType('validation.setAside');
    assert.deepEqual(
      aside.map((e) => [e.layer, e.command, e.exitCode]),
      [['backend', 'node scripts/needs-network.js', 1]],
    );
    assert.match(aside[0]!.output, /ENOTFOUND/);
    // Run after the change, then once on the base; at COMPLETE it is not run again.
    const ran = h.host.ofType('command.ran').filter((e) => e.command === 'node scripts/needs-network.js');
    assert.equal(ran.length, 2);
    assert.equal(h.host.ofType('validation.failed').length, 0);
    const lines = h.host.events.map((e) => wordsOf(e).text);
    assert.ok(
      lines.includes(
        "⚠ backend: node scripts/needs-network.js fails on the base too (exit 1 before any change): not this layer's failure; set aside for this run",
      ),
      lines.join('\n'),
    );
    assert.deepEqual(summary.unchecked, [{ layer: 'backend', files: [FILE] }]);
  } finally {
    await h.close();
  }
});

test('a validate command that passes on the base and fails after the change is the layer’s failure, retried as before', async () => {
  const h = await harness({
    spec: specAnswer('Trim customer names', 'trim-customer-names', CUSTOMER_SPEC),
    backend: ({ turn, attempt }) =>
      turn === 0
        ? reply.toolUse('edit_file', {
            path: FILE,
            old_text: attempt === 1 ? "errors.push('name is required')" : 'errors.push(((',
            new_text: attempt === 1 ? 'errors.push(((' : "errors.push('name is required (not blank)')",
          })
        : say.done(),
    review: () => say.approve(),
  });
  try {
    const summary = await engine.runFeature('Clearer validation message for Customer names', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(summary.retries.backend, 1);
    assert.equal(h.host.ofType('validation.setAside').length, 0);
    assert.equal(h.host.ofType('validation.failed').length, 1);
    assert.equal(summary.unchecked, undefined);
  } finally {
    await h.close();
  }
});

test('a validate command that fails on the base another way (a file the change adds missing there) is the layer’s failure, retried', async () => {
  const CHECK = `const fs = require('fs');
const path = 'server/entities/notes.js';
if (!fs.existsSync(path)) { console.error('Error: cannot find ' + path); process.exit(1); }
if (fs.readFileSync(path, 'utf8').includes('TODO')) { console.error('notes.js is not finished: TODO left'); process.exit(1); }
`;
  const h = await harness(
    {
      spec: specAnswer('Trim customer names', 'trim-customer-names', CUSTOMER_SPEC),
      backend: ({ turn, attempt }) =>
        turn === 0
          ? say.write({ 'server/entities/notes.js': attempt === 1 ? '// TODO\n' : 'module.exports = {};\n' })
          : say.done(),
      review: () => say.approve(),
    },
    {
      config: (yaml) => yaml.replace(BACKEND_VALIDATE, '\n$1validate: ["node scripts/check-notes.js"]'),
      files: { 'scripts/check-notes.js': CHECK },
    },
  );
  try {
    const summary = await engine.runFeature('Clearer validation message for Customer names', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(summary.retries.backend, 1);
    assert.equal(h.host.ofType('validation.setAside').length, 0);
    const retry = h.callsOf('backend').find((c) => c.attempt === 2 && c.turn === 0)!;
    assert.match(retry.task, /TODO left/);
  } finally {
    await h.close();
  }
});

test('a criterion the proof could not prove (its tests broken on the base) leaves its layer unchecked, whatever its gates passed: the wrong fix never completes green', async () => {
  // The proof agent's test cannot run at all (it throws as it loads): broken at RED, every round.
  const BROKEN_TEST = `'use strict';\nconst test = require('node:test');\nthrow new Error('the test harness is not set up');\ntest('REQ-1.1 takes the percent off', () => {});\ntest('REQ-1.2 refuses a percent outside 0 to 100', () => {});\n`;
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', PRICING_SPEC),
      // Each round sent back rewrites it, and it stays broken.
      proof: ({ turn, attempt }) =>
        turn === 0
          ? say.write({ [PROOF_FILE]: `// round ${attempt}\n${BROKEN_TEST}` })
          : reply.toolUse('submit_proof', {
              tests: [
                { criterion: 'REQ-1.1', file: PROOF_FILE, name: 'REQ-1.1 takes the percent off' },
                { criterion: 'REQ-1.2', file: PROOF_FILE, name: 'REQ-1.2 refuses a percent outside 0 to 100' },
              ],
            }),
      backend: ({ turn }) => (turn === 0 ? say.write({ 'server/pricing.js': PRICING_NO_RANGE }) : say.done()),
      review: () => say.approve(),
    },
    { config: PROOF_CONFIG },
  );
  try {
    const summary = await engine.runFeature('Add percentage discounts', h.options());
    assert.equal(summary.status, 'unchecked', summary.error);
    const backend = summary.unchecked?.find((u) => u.layer === 'backend');
    assert.deepEqual(backend?.files, ['server/pricing.js']);
    assert.ok(
      backend?.unproven?.some((u) => /^REQ-1\.1: its proof tests could not run on the base \(broken\)$/.test(u)),
      JSON.stringify(summary.unchecked),
    );
    // Its gate passed: a layer checked only in style or build is not proven by it.
    assert.ok(h.host.ofType('validation.passed').some((e) => e.layer === 'backend' && e.commands === 1));
    assert.match(summary.report!, /not proven \(REQ-1\.1: its proof tests could not run on the base \(broken\)/);
    assert.equal(summary.reviewRounds, 1, 'reviewed, never skipped');
  } finally {
    await h.close();
  }
});

test('a layer whose only checks are of style (a linter, a formatter) ends unchecked: nothing ran the changed code', async () => {
  const h = await harness(SMALL_CHANGE, {
    config: (yaml) => yaml.replace(BACKEND_VALIDATE, '\n$1validate: ["node scripts/lint-server.js"]'),
    files: { 'scripts/lint-server.js': "console.log('0 problems');\n" },
  });
  try {
    const summary = await engine.runFeature('Clearer validation message for Customer names', h.options());
    assert.equal(summary.status, 'unchecked', summary.error);
    assert.deepEqual(summary.unchecked, [
      { layer: 'backend', files: [FILE], styleOnly: ['node scripts/lint-server.js'] },
    ]);
    const lines = h.host.events.map((e) => wordsOf(e).text);
    assert.ok(
      lines.includes(
        '⚠ unchecked: backend: server/entities/customer.js (only style checks ran: node scripts/lint-server.js)',
      ),
      lines.join('\n'),
    );
  } finally {
    await h.close();
  }
});
