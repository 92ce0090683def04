import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import { ProjectFileError } from '../../../src/core/project/sources/errors';
import { say, specAnswer } from '../../support/engine/agentScript';
import { PRODUCT_API_SPEC } from '../../support/engine/fixtures';
import { harness } from '../../support/engine/harness';
import { untrustedRun } from '../../support/engine/untrustedRun';

const noAgents = {
  spec: () => {
    throw new Error('no model call may be made');
  },
};

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

test('a broken config stops before any model call with file:line and key', async () => {
  const h = await harness(noAgents, { config: (yaml) => yaml.replace('maxRetries: 2', 'maxRetries: two') });
  try {
    const line = lineOf(h.shop.read('.claude/orchestrator.yaml'), 'maxRetries: two');
    await assert.rejects(engine.runFeature('Add a Product entity', h.options()), (error: unknown) => {
      assert.ok(error instanceof ProjectFileError);
      assert.match(error.message, new RegExp(`^\\.claude/orchestrator\\.yaml:${line}:\\d+ limits\\.maxRetries: `));
      return true;
    });
    assert.equal(h.api.requests.length, 0);
  } finally {
    await h.close();
  }
});

test('a registry that is not JSON stops before any model call with file:line:col', async () => {
  const h = await harness(noAgents);
  try {
    const text = h.shop
      .read('.claude/entity-registry.json')
      .replace('"refs": [\n        "Customer"\n      ]', '"refs": [\n        "Customer",\n      ]');
    h.shop.write('.claude/entity-registry.json', text);
    const line = lineOf(text, '"Customer",') + 1;
    await assert.rejects(engine.runFeature('Add a Product entity', h.options()), (error: unknown) => {
      assert.ok(error instanceof ProjectFileError);
      assert.match(error.message, new RegExp(`^\\.claude/entity-registry\\.json:${line}:\\d+ JSON syntax error: `));
      return true;
    });
    assert.equal(h.api.requests.length, 0);
  } finally {
    await h.close();
  }
});

test('registry and memory content we cannot use is a warning with file:line; the run goes on', async () => {
  const h = await harness({ spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC) });
  try {
    h.shop.write(
      '.claude/entity-registry.json',
      h.shop.read('.claude/entity-registry.json').replace('"Customer"\n      ]', '"Customer",\n        42\n      ]'),
    );
    h.shop.write('.claude/memory.jsonl', `${h.shop.read('.claude/memory.jsonl')}\nthis line is not JSON\n`);
    const saved = await engine.runFeature('Add a Product entity to the API', h.options({ autoApprove: false }));
    assert.equal(saved.status, 'spec-saved', saved.error);
    const warnings = h.host
      .ofType('log')
      .filter((e) => e.level === 'warn')
      .map((e) => e.message);
    assert.ok(
      warnings.some((m) =>
        /^\.claude\/entity-registry\.json:\d+:\d+ e\.Order\.refs\[1\]: expected a name, got a number \(42\); ignored$/.test(
          m,
        ),
      ),
      warnings.join('\n'),
    );
    assert.ok(
      warnings.some((m) => /^\.claude\/memory\.jsonl:\d+ not a JSON line, skipped: this line is not JSON$/.test(m)),
      warnings.join('\n'),
    );
  } finally {
    await h.close();
  }
});

test('a broken spec file: approve and specs name file, line and key', async () => {
  const h = await harness({
    spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
    review: () => say.approve(),
  });
  try {
    const saved = await engine.runFeature('Add a Product entity to the API', h.options({ autoApprove: false }));
    assert.equal(saved.status, 'spec-saved');
    const text = h.shop.read(saved.specPath!).replace('kind: feature', 'kind: feature-ish');
    h.shop.write(saved.specPath!, text);
    const line = lineOf(text, 'kind: feature-ish');
    const specId = saved.specPath!.split('/')[2]!;
    const located = new RegExp(`^spec/active/${specId}/spec\\.md:${line}:\\d+ kind: `);
    const before = h.api.requests.length;
    await assert.rejects(
      engine.approveSpec(specId, h.options()),
      (error: unknown) => error instanceof ProjectFileError && located.test(error.message),
    );
    await assert.rejects(
      engine.listSpecs(h.shop.dir),
      (error: unknown) => error instanceof ProjectFileError && located.test(error.message),
    );
    assert.equal(h.api.requests.length, before);
  } finally {
    await h.close();
  }
});

test('no API key: a configuration error before any call, the key never printed', async () => {
  const h = await harness(noAgents);
  try {
    h.host.dropKeys();
    await assert.rejects(engine.runFeature('Add a Product entity', h.options()), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'E_CONFIG');
      assert.match(error.message, new RegExp(h.keyVariable));
      // Only the agents a feature starts: no diagnose, no audit roles.
      assert.match(
        error.message,
        /the database, backend, frontend, spec, review agents \(models\.default, models\.agents\.spec, models\.agents\.review\)\. No model call was made\.\nWays to run the agents:\n/,
      );
      // Issue 71: every way in, the keyless ones too.
      const ways = error.message.split('\n').slice(1);
      assert.match(ways[1]!, /a key: ANTHROPIC_API_KEY .* OPENAI_API_KEY .*Orchestrator: Set API Key/);
      assert.match(ways[2]!, /VS Code's own models .*Language Model API, models\.default: vscode-lm:/);
      assert.match(
        ways[3]!,
        /a local OpenAI-compatible server, no key: Ollama or LM Studio, with providers\.openai\.baseURL: .*openai:<model>/,
      );
      assert.match(ways[4]!, /`orchestrator demo` .*`orchestrator feature --dry-run "<request>"`/);
      return true;
    });
    assert.equal(h.api.requests.length, 0);
  } finally {
    await h.close();
  }
});

test('a model without a known price is a configuration error before any call', async () => {
  const h = await harness(noAgents, {
    config: (yaml) => yaml.replace('review: claude-opus-5-5', 'review: acme-large-1'),
  });
  try {
    await assert.rejects(
      engine.runFeature('Add a Product entity', h.options()),
      (error: Error & { code?: string }) =>
        error.code === 'E_CONFIG' && /acme-large-1.*review agent/s.test(error.message),
    );
    assert.equal(h.api.requests.length, 0);
  } finally {
    await h.close();
  }
});

test('an untrusted workspace runs no sync and no validation: the run stops before any layer writes', async () => {
  const h = await harness({
    spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
    backend: () => {
      throw new Error('no layer may run in an untrusted workspace');
    },
  });
  try {
    h.host.trusted = false;
    const summary = await untrustedRun(
      () => engine.runFeature('Add a Product entity to the API', h.options()),
      () => h.calls.length,
    );
    if (summary) {
      assert.equal(summary.status, 'stopped');
      assert.match(summary.report!, /^## Pipeline stopped: workspace not trusted/);
      assert.ok(h.host.ofType('log').some((e) => /not trusted: SYNC did not run the sync commands/.test(e.message)));
      assert.deepEqual(
        summary.phases.map((p) => p.name),
        ['SYNC', 'UNDERSTAND', 'SPEC'],
      );
    }
    assert.equal(h.callsOf('backend').length, 0);
  } finally {
    await h.close();
  }
});

test('two runs on one workspace at once: the second is refused with a clear message', async () => {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let asked: () => void = () => {};
  const specAsked = new Promise<void>((resolve) => (asked = resolve));
  const h = await harness({
    spec: async () => {
      asked();
      await held;
      return say.spec('Product API', 'product-api', PRODUCT_API_SPEC);
    },
  });
  try {
    const first = engine.runFeature('Add a Product entity to the API', h.options({ autoApprove: false }));
    await specAsked;
    await assert.rejects(
      engine.runFeature('Something else', h.options()),
      /Another Orchestrator run \(runId \d{8}-\d{6}-[0-9a-f]+, pid \d+\) is active on this workspace/,
    );
    release();
    assert.equal((await first).status, 'spec-saved');
  } finally {
    release();
    await h.close();
  }
});

test('a failing SYNC command stops the run with its output, before any model call', async () => {
  const h = await harness(noAgents, {
    files: { 'server/entities/broken.js': 'module.exports = { meta: { name: "Broken", pattern: "weird" } };\n' },
  });
  try {
    const summary = await engine.runFeature('Add a Product entity', h.options());
    assert.equal(summary.status, 'stopped');
    assert.match(
      summary.report!,
      /^## Pipeline stopped: SYNC failed\n- Command: `node \.claude\/scripts\/sync-registry\.js` \(exit 1\)\n- Output:\n```\nserver\/entities\/broken\.js:1: pattern "weird" is not in _patterns/,
    );
    assert.deepEqual(summary.phases, []);
    assert.equal(h.api.requests.length, 0);
  } finally {
    await h.close();
  }
});

test('demo:scripted outside the bundled sample shop says what it is before any call, not "agent did not finish" (issue 71)', async () => {
  const h = await harness(noAgents);
  try {
    h.shop.write(
      '.claude/orchestrator.yaml',
      h.shop
        .read('.claude/orchestrator.yaml')
        .replace(/\nmodels:\n(?: {2}.*\n)+/, '\nmodels:\n  default: demo:scripted\n'),
    );
    // One's own repository: not the shop the scripted model knows.
    rmSync(join(h.shop.dir, 'server/entities/customer.js'));
    await assert.rejects(engine.runFeature('Add a Product entity', h.options()), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'E_CONFIG');
      assert.match(
        error.message,
        /^demo:scripted is the demo's scripted model: it only knows the bundled sample shop \(`orchestrator demo`, VS Code's Try the Demo\), not this repository — the model of the database, backend, frontend, spec, review agents \(models\.default\)\. [^\n]*No model call was made\.\nWays to run the agents:\n/,
      );
      assert.doesNotMatch(error.message, /orchestrator resume/);
      return true;
    });
    assert.equal(h.api.requests.length, 0);
  } finally {
    await h.close();
  }
});
