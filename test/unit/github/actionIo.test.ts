// Issue 48: what a job of the GitHub Action reads from the runner (its inputs, INPUT_<NAME>) and
// writes to it (log lines, masks, outputs, the summary), as GitHub's workflow commands define them.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readInputs, workspaceOf } from '../../../src/github/action/inputs';
import { runnerIo } from '../../../src/github/action/runnerIo';

test("inputs: INPUT_<NAME> with hyphens kept, action.yml's defaults, a bad value named by its input", () => {
  const inputs = readInputs({
    'INPUT_GITHUB-TOKEN': ' ghs_abc ',
    'INPUT_ANTHROPIC-API-KEY': 'sk-ant-x',
    'INPUT_MAX-BUDGET-USD': '2.5',
    INPUT_LABEL: '',
    INPUT_CONFIG: '',
  });
  assert.deepEqual(inputs, {
    anthropicApiKey: 'sk-ant-x',
    githubToken: 'ghs_abc',
    label: 'orchestrator',
    config: '.claude/orchestrator.yaml',
    maxBudgetUsd: 2.5,
    mode: 'job',
  });
  assert.equal(workspaceOf('/w/shop', 'services/api/.claude/orchestrator.yaml'), '/w/shop/services/api');
  assert.equal(workspaceOf('/w/shop', '.claude/orchestrator.yaml'), '/w/shop');
  assert.throws(() => readInputs({ 'INPUT_GITHUB-TOKEN': '' }), /^Error: the input github-token is empty/);
  assert.equal(readInputs({ 'INPUT_GITHUB-TOKEN': 't', INPUT_MODE: 'ready-sandbox' }).mode, 'ready-sandbox');
  assert.throws(
    () => readInputs({ 'INPUT_GITHUB-TOKEN': 't', INPUT_MODE: 'sandbox' }),
    /the input mode is job \(the default\) or ready-sandbox/,
  );
  assert.throws(
    () => readInputs({ 'INPUT_GITHUB-TOKEN': 't', 'INPUT_MAX-BUDGET-USD': 'ten' }),
    /the input max-budget-usd is a number of US dollars above 0/,
  );
  assert.throws(
    () => readInputs({ 'INPUT_GITHUB-TOKEN': 't', INPUT_CONFIG: 'orchestrator.yml' }),
    /the input config names the file the engine reads/,
  );
  assert.throws(
    () => readInputs({ 'INPUT_GITHUB-TOKEN': 't', INPUT_CONFIG: '../other/.claude/orchestrator.yaml' }),
    /the input config is a path inside the checkout/,
  );
});

test('runner io: a secret masked then redacted from every line, no line starts a workflow command, outputs in delimited blocks, the error annotation escaped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'action-io-'));
  try {
    const [output, summary] = [join(dir, 'output'), join(dir, 'summary')];
    writeFileSync(output, '');
    let log = '';
    const io = runnerIo({ write: (text) => (log += text), outputFile: output, summaryFile: summary });
    io.mask('ghs_secret0123456789abcdefghijklmnopqr');
    io.log(
      'pushed with ghs_secret0123456789abcdefghijklmnopqr\n  ::set-env name=X::y\n::stop-commands::token\u001b[31mred',
    );
    io.output('status', 'completed');
    io.output('pull-request', 'https://github.example/acme/shop/pull/1');
    io.summary('### done with ghs_secret0123456789abcdefghijklmnopqr');
    io.error('100% failed\nsecond line');
    const lines = log.split('\n');
    assert.equal(lines[0], '::add-mask::ghs_secret0123456789abcdefghijklmnopqr');
    assert.ok(!lines.slice(1).join('\n').includes('ghs_secret0123456789'), 'redacted after the mask');
    assert.deepEqual(
      lines.slice(1).filter((line) => /^\s*::/.test(line)),
      ['::error::100%25 failed'],
      'only our own commands',
    );
    assert.ok(lines.includes('  : :set-env name=X::y') && lines.includes(': :stop-commands::token[31mred'));
    assert.match(
      readFileSync(output, 'utf8'),
      /^status<<(ghadelimiter_[0-9a-f]+)\ncompleted\n\1\npull-request<<(ghadelimiter_[0-9a-f]+)\nhttps:\/\/github\.example\/acme\/shop\/pull\/1\n\2\n$/,
    );
    assert.doesNotMatch(readFileSync(summary, 'utf8'), /ghs_secret/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
