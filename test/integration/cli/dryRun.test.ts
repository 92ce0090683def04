// Issue 71: `feature --dry-run` / `bugfix --dry-run` show what a run would do on one's own
// repository — layers, gates, proof folders, waves, phases, who runs each agent — with no model
// call (the scripted Messages API server counts every request) and nothing written (git status
// stays clean, no run folder), with or without a key.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli, cliWorld, jsonOf, runCli } from '../../support/cli/cliKit';

before(() => buildCli());

const noAgents = {
  spec: () => {
    throw new Error('a dry run makes no model call');
  },
};

test('feature --dry-run with no key: the plan from the config, the key it lacks and every way in; no request, nothing written', async () => {
  const w = await cliWorld(noAgents);
  try {
    const result = await runCli(['feature', 'Add a Product entity', '--dry-run'], {
      cwd: w.shop.dir,
      baseURL: w.api.url,
      apiKey: null,
    });
    assert.equal(result.code, 0, result.stderr);
    const out = result.stdout;
    assert.match(out, /^Dry run: a feature in .* — no model call was made and nothing was written\.\n/);
    assert.match(out, /\nLayers from \.claude\/orchestrator\.yaml\n/);
    assert.match(
      out,
      /\n {2}backend — wave 1; our agent on claude-sonnet-5-5 \(models\.default\)\n {4}owns: server\/\*\*\n {4}validate: node scripts\/check-server\.js server\n/,
    );
    assert.match(out, /\n {2}frontend — wave 2, after backend; /);
    assert.match(out, /\nWaves: 1\. database ∥ backend {2}→ {2}2\. frontend\n/);
    assert.match(out, /\n {2}SPEC {8}Write the spec and wait for a decision — gate: human\n {2}CHECKPOINT/);
    assert.match(out, /\n {2}spec: our agent on claude-opus-5-5 \(models\.agents\.spec\)\n/);
    // The shop's config was written by hand: none of its commands has a record of passing at init.
    assert.match(
      out,
      /\nUnverified:\n {2}- \d+ commands of the config with no record of passing at `init` \(node scripts/,
    );
    assert.match(
      out,
      /\nA run would stop before its first model call:\n {2}- No Anthropic API key \(ANTHROPIC_API_KEY\)/,
    );
    assert.match(out, /\n {2}- a local OpenAI-compatible server, no key: Ollama or LM Studio/);
    assert.match(out, /\n {2}- no key and no model: `orchestrator demo`/);
    assert.equal(w.api.requests.length, 0, 'no model call');
    assert.equal(w.shop.git('status', '--porcelain', '--ignored'), '', 'nothing written');
    assert.ok(!existsSync(join(w.shop.dir, '.claude/runs')));
  } finally {
    await w.close();
  }
});

test('feature --dry-run --json without a config: the census in memory, its commands unverified; bugfix --dry-run: DIAGNOSE and FIX, no review', async () => {
  const w = await cliWorld(noAgents);
  try {
    rmSync(join(w.shop.dir, '.claude/orchestrator.yaml'));
    w.shop.git('commit', '-q', '-am', 'no config yet');
    const result = await w.cli('feature', 'Add a Product entity', '--dry-run', '--json');
    assert.equal(result.code, 0, result.stderr);
    const plan = jsonOf(result) as {
      status: string;
      config: string;
      census: { files: number };
      layers: { name: string; validate: string[]; checkedBy: string[]; runner: string; model: string }[];
      waves: string[][];
      phases: { name: string }[];
      agents: { agent: string }[];
      unverified: string[];
      blockers: string[];
    };
    assert.equal(plan.status, 'dry-run');
    assert.equal(plan.config, 'census');
    assert.ok(plan.census.files > 0);
    assert.ok(plan.layers.length > 0);
    assert.ok(plan.layers.every((l) => l.runner === 'agent' && l.model === 'claude-sonnet-5-5'));
    assert.deepEqual(plan.waves.flat().sort(), plan.layers.map((l) => l.name).sort());
    assert.match(plan.unverified[0]!, /^\d+ proposed commands? never run here: the census read/);
    // A key is set (the test's): nothing would stop it.
    assert.deepEqual(plan.blockers, []);
    assert.deepEqual(
      plan.agents.map((a) => a.agent),
      ['spec', 'review'],
    );

    const bugfix = jsonOf(await w.cli('bugfix', 'Totals are NaN', '--dry-run', '--json')) as typeof plan;
    assert.deepEqual(
      bugfix.phases.map((p) => p.name),
      ['SYNC', 'UNDERSTAND', 'DIAGNOSE', 'SPEC', 'CHECKPOINT', 'FIX', 'COMPLETE'],
    );
    assert.deepEqual(
      bugfix.agents.map((a) => a.agent),
      ['diagnose', 'spec'],
    );
    assert.equal(w.api.requests.length, 0, 'no model call');
    assert.equal(w.shop.git('status', '--porcelain', '--ignored'), '', 'nothing written');
  } finally {
    await w.close();
  }
});
