import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiKeyOf, reply } from '../../support/messagesApiServer';
import {
  type AgentScript,
  productAgents as productFeatureAgents,
  say,
  specAnswer,
  writesThenDone,
} from '../../support/engine/agentScript';
import { BROKEN_PRODUCT_MODULE, PRODUCT_API_SPEC, PRODUCT_MODULE, PRODUCT_SCREEN } from '../../support/engine/fixtures';
import type { ShopWorkspace } from '../../support/engine/shopWorkspace';
import { buildCli, cliWorld, FAKE_KEY, journalTypes, jsonOf, runCli, startCli } from '../../support/cli/cliKit';

before(() => buildCli());
// The runners' record goes to the data folder (the test runner gives one; a lone run of this file gets its own).
process.env.ORCHESTRATOR_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'orch-cli-data-'));

const productAgents = (overrides: Record<string, AgentScript> = {}): Record<string, AgentScript> => ({
  ...productFeatureAgents(),
  ...overrides,
});

function runIdsOf(shop: ShopWorkspace): string[] {
  const dir = join(shop.dir, '.claude', 'runs');
  return existsSync(dir) ? readdirSync(dir).filter((name) => !name.startsWith('.')) : [];
}

/** The first test's world and completed run, which the rollback test undoes (a whole run of its own costs seconds). */
let first: Awaited<ReturnType<typeof cliWorld>> | undefined;
let completed: { runId: string; customer: string } | undefined;
after(() => first?.close());

test('cli: feature --approve --yes --json runs the whole pipeline and prints one JSON summary (exit 0)', async () => {
  const w = (first = await cliWorld(productAgents()));
  const customer = w.shop.read('server/entities/customer.js');
  const result = await w.cli('feature', 'Add a Product entity with name and price', '--approve', '--yes', '--json');
  assert.equal(result.code, 0, result.stderr);
  const summary = jsonOf(result);
  assert.equal(summary.status, 'completed');
  assert.match(String(summary.runId), /^\d{8}-\d{6}-[0-9a-f]{4}$/);
  assert.match(String(summary.specPath), /^spec\/completed\/\d{4}-\d{2}-\d{2}-product-entity\/spec\.md$/);
  assert.deepEqual(
    (summary.phases as { name: string }[]).map((p) => p.name),
    ['SYNC', 'UNDERSTAND', 'SPEC', 'CHECKPOINT', 'IMPLEMENT', 'REVIEW', 'COMPLETE'],
  );
  assert.deepEqual(Object.keys(summary.usage as object).sort(), ['cacheRead', 'cacheWrite', 'input', 'output']);
  assert.ok((summary.costUsd as number) > 0);
  assert.deepEqual(summary.filesChanged, [
    'db/migrations/003_create_product.sql',
    'server/entities/product.js',
    'web/src/products.js',
  ]);
  assert.deepEqual(summary.retries, { database: 0, backend: 0, frontend: 0 });
  assert.equal(summary.reviewRounds, 1);
  assert.match(result.stderr, /▶ IMPLEMENT/);
  assert.match(result.stderr, /wave 1\/2: database, backend/);
  for (const text of [result.stdout, result.stderr, w.shop.read(`.claude/runs/${summary.runId}/events.jsonl`)]) {
    assert.ok(!text.includes(FAKE_KEY), 'the API key is never printed or journaled');
  }
  assert.ok(
    w.api.requests.every((r) => apiKeyOf(r) === FAKE_KEY),
    'every call carried the key from ANTHROPIC_API_KEY',
  );

  // The run's end wrote the runners' record (issue 47): `runners stats` prints it whole through a pipe, as the journal tells it.
  const stats = await w.cli('runners', 'stats');
  assert.equal(stats.code, 0, stats.stderr);
  const [head, ...rows] = stats.stdout.trimEnd().split('\n');
  assert.match(head!, /^layer +runs +at once +first try +retries +proof +approved +cost +time +runner$/);
  assert.deepEqual(
    rows.map((row) => row.split(/ {2,}/)),
    ['backend', 'database', 'frontend'].map((layer) => {
      const cost = (summary.costByAgent as Record<string, number>)[layer]!;
      return [
        layer,
        '1',
        '100 %',
        '100 %',
        '0.0',
        '–',
        '100 %',
        `$${cost.toFixed(2)}`,
        rows.find((row) => row.startsWith(layer))!.split(/ {2,}/)[8]!,
        'agent:claude-sonnet-5-5',
      ];
    }),
  );
  const backend = JSON.parse((await w.cli('runners', 'stats', '--layer', 'backend', '--json')).stdout) as Record<
    string,
    unknown
  >[];
  assert.equal(backend.length, 1);
  assert.ok(
    Math.abs(Number(backend[0]!.meanCostUsd) - (summary.costByAgent as Record<string, number>).backend!) < 1e-9,
  );
  assert.deepEqual(
    { ...backend[0], meanCostUsd: 0, meanDurationMs: 0 },
    {
      layer: 'backend',
      runner: 'agent',
      model: 'claude-sonnet-5-5',
      runs: 1,
      firstTryRate: 1,
      passRate: 1,
      meanRetries: 0,
      approvedRate: 1,
      meanCostUsd: 0,
      meanDurationMs: 0,
    },
  );
  completed = { runId: summary.runId as string, customer };
});

test('cli: retries exhausted → the seed report and exit 1', async () => {
  const w = await cliWorld({
    spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
    backend: writesThenDone({ 'server/entities/product.js': BROKEN_PRODUCT_MODULE }),
  });
  try {
    const result = await w.cli('feature', 'Add a Product entity to the API', '--approve', '--yes');
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /run \S+: stopped/);
    assert.match(
      result.stdout,
      /## Pipeline stopped: validation failed\n### Agent: backend\n- Retries exhausted: 2\/2/,
    );
    assert.match(result.stderr, /✗ backend: node scripts\/check-server\.js server \(exit 1\)/);
    assert.match(result.stderr, /↻ backend retry 2\/2/);
  } finally {
    await w.close();
  }
});

test('cli: feature without --approve saves the spec (exit 0); specs lists it; approve <id> implements it, the schema change its spec names confirmed by the approval, without --yes', async () => {
  const w = await cliWorld(productAgents());
  try {
    const saved = await w.cli('feature', 'Add a Product entity with name and price', '--json');
    assert.equal(saved.code, 0, saved.stderr);
    assert.equal(jsonOf(saved).status, 'spec-saved');
    assert.match(saved.stderr, /approve with: orchestrator approve \d{4}-\d{2}-\d{2}-product-entity/);

    const specs = JSON.parse((await w.cli('specs', '--json')).stdout) as { id: string; status: string }[];
    assert.equal(specs.length, 1);
    assert.equal(specs[0]!.status, 'saved');

    const approved = await w.cli('approve', specs[0]!.id, '--json');
    assert.equal(approved.code, 0, approved.stderr);
    assert.equal(jsonOf(approved).status, 'completed');
    // No human and no --yes, but the approved spec names the migration: its approval is the confirmation (issue 44).
    assert.match(
      approved.stderr,
      /The database agent will change the schema: db\/migrations\/003_create_product\.sql, named in the approved spec \d{4}-\d{2}-\d{2}-product-entity/,
    );
    assert.doesNotMatch(approved.stderr, /→ no/);
    assert.ok(existsSync(join(w.shop.dir, 'db/migrations/003_create_product.sql')));
    assert.equal(w.shop.read('server/entities/product.js'), PRODUCT_MODULE);

    const runs = JSON.parse((await w.cli('runs', '--json')).stdout) as { runId: string; status: string }[];
    assert.deepEqual(runs.map((r) => r.status).sort(), ['completed', 'spec-saved']);
    const again = await w.cli('approve', specs[0]!.id);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already completed/);
  } finally {
    await w.close();
  }
});

test('cli: configuration and usage errors exit 2 with file:line, before any model call', async () => {
  const w = await cliWorld({});
  try {
    w.shop.write(
      '.claude/orchestrator.yaml',
      w.shop.read('.claude/orchestrator.yaml').replace('concurrency: 3', 'concurrency: lots'),
    );
    const broken = await w.cli('feature', 'anything', '--approve');
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^orchestrator: \.claude\/orchestrator\.yaml:\d+:\d+ limits\.concurrency: /m);

    const json = await w.cli('feature', 'anything', '--json');
    assert.equal(json.code, 2);
    assert.match(String(jsonOf(json).error), /limits\.concurrency/);

    assert.equal((await w.cli('feature')).code, 2);
    assert.equal((await w.cli('launch', 'x')).code, 2);
    assert.equal((await w.cli('resume')).code, 2);
    w.shop.write(
      '.claude/orchestrator.yaml',
      w.shop.read('.claude/orchestrator.yaml').replace('concurrency: lots', 'concurrency: 3'),
    );
    const noKey = await runCli(['feature', 'anything'], { cwd: w.shop.dir, baseURL: w.api.url, apiKey: null });
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /No Anthropic API key: set ANTHROPIC_API_KEY/);
    // Issue 71: the ways in besides a key, a local server and the demo among them.
    assert.match(noKey.stderr, /\n {2}- a local OpenAI-compatible server, no key: Ollama or LM Studio/);
    assert.match(noKey.stderr, /\n {2}- no key and no model: `orchestrator demo`/);
    assert.match(
      noKey.stderr,
      /the database, backend, frontend, spec, review agents \(/,
      'a feature names its own agents, not the audit roles',
    );
    const noKeyAudit = await runCli(['audit', 'server', '--dimension', 'backend'], {
      cwd: w.shop.dir,
      baseURL: w.api.url,
      apiKey: null,
    });
    assert.equal(noKeyAudit.code, 2);
    assert.match(noKeyAudit.stderr, /the database, backend, frontend, audit, fix, enhance, documentation agents \(/);
    assert.equal(w.api.requests.length, 0);
  } finally {
    await w.close();
  }
});

test("cli: the editor's models (vscode-lm:) are refused before any model call, naming the agent and the config key (exit 2)", async () => {
  const w = await cliWorld({});
  try {
    w.shop.write(
      '.claude/orchestrator.yaml',
      w.shop
        .read('.claude/orchestrator.yaml')
        .replace(/^(\s+)spec: claude-opus-5-5$/m, '$1spec: claude-opus-5-5\n$1backend: "vscode-lm:copilot/gpt-4o"'),
    );
    const result = await w.cli('feature', 'anything', '--approve');
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr,
      /"vscode-lm:copilot\/gpt-4o", the model of the backend agent \(models\.agents\.backend\)/,
    );
    assert.match(result.stderr, /available inside VS Code only\. No model call was made\./);
    assert.equal(w.api.requests.length, 0);
  } finally {
    await w.close();
  }
});

test('cli: kill -9 during IMPLEMENT, then resume finishes without calling a finished layer again', async () => {
  let backendHeld = false;
  const w = await cliWorld(
    productAgents({
      backend: ({ turn }) => {
        if (turn === 0 && !backendHeld) {
          backendHeld = true;
          return reply.slow(say.write({ 'server/entities/product.js': PRODUCT_MODULE }), { beforeMs: 120_000 });
        }
        return turn === 0 ? say.write({ 'server/entities/product.js': PRODUCT_MODULE }) : say.done();
      },
    }),
  );
  try {
    const run = startCli(['feature', 'Add a Product entity with name and price', '--approve', '--yes', '--json'], {
      cwd: w.shop.dir,
      baseURL: w.api.url,
    });
    let runId: string | undefined;
    for (let i = 0; i < 600; i++) {
      runId = runIdsOf(w.shop)[0];
      const events = runId ? journalTypes(w.shop.dir, runId) : [];
      const databaseDone = events.some((e) => e.type === 'validation.passed' && e.layer === 'database');
      const backendInFlight =
        events.some((e) => e.type === 'agent.started' && e.agent === 'backend') && w.callsOf('backend').length === 1;
      if (databaseDone && backendInFlight) break;
      await sleep(25);
    }
    assert.ok(runId, 'the run journal exists');
    run.child.kill('SIGKILL');
    const killed = await run.done;
    assert.equal(killed.signal, 'SIGKILL');
    const journal = journalTypes(w.shop.dir, runId);
    assert.ok(journal.some((e) => e.type === 'validation.passed' && e.layer === 'database'));
    assert.ok(!journal.some((e) => e.type === 'run.completed' || e.type === 'run.stopped'));
    const databaseRequests = w.callsOf('database').length;

    const listed = JSON.parse((await w.cli('runs', '--json')).stdout) as { runId: string; status: string }[];
    assert.deepEqual(
      listed.map((r) => [r.runId, r.status]),
      [[runId, 'interrupted']],
    );

    const resumed = await w.cli('resume', '--yes', '--json');
    assert.equal(resumed.code, 0, resumed.stderr);
    const summary = jsonOf(resumed);
    assert.equal(summary.runId, runId);
    assert.equal(summary.status, 'completed');
    assert.equal(w.callsOf('database').length, databaseRequests, 'the server never saw another database request');
    assert.equal(w.callsOf('spec').length, 1);
    assert.deepEqual(summary.filesChanged, [
      'db/migrations/003_create_product.sql',
      'server/entities/product.js',
      'web/src/products.js',
    ]);
    assert.equal(w.shop.read('web/src/products.js'), PRODUCT_SCREEN);
  } finally {
    await w.close();
  }
});

test('cli: SIGINT cancels with exit 130 and leaves the run resumable', async () => {
  let asked: () => void = () => {};
  const specAsked = new Promise<void>((resolve) => (asked = resolve));
  const w = await cliWorld({
    spec: () => {
      asked();
      return reply.slow(say.spec('Product API', 'product-api', PRODUCT_API_SPEC), { beforeMs: 120_000 });
    },
  });
  try {
    const run = startCli(['feature', 'Add a Product entity to the API', '--json'], {
      cwd: w.shop.dir,
      baseURL: w.api.url,
    });
    await specAsked;
    run.child.kill('SIGINT');
    const result = await run.done;
    assert.equal(result.code, 130, result.stderr);
    assert.equal(jsonOf(result).status, 'cancelled');
    const runs = JSON.parse((await w.cli('runs', '--json')).stdout) as { status: string }[];
    assert.equal(runs[0]!.status, 'interrupted');
  } finally {
    await w.close();
  }
});

test('cli: rollback <runId> undoes the run; init scaffolds .claude/ without overwriting', async () => {
  assert.ok(first && completed, "the first test's run completed");
  const w = first;
  const { runId, customer } = completed;
  const empty = mkdtempSync(join(tmpdir(), 'orch-init-'));
  try {
    const rolled = await w.cli('rollback', runId, '--json');
    assert.equal(rolled.code, 0, rolled.stderr);
    assert.deepEqual(jsonOf(rolled), {
      restored: [],
      removed: ['db/migrations/003_create_product.sql', 'server/entities/product.js', 'web/src/products.js'],
    });
    assert.ok(!existsSync(join(w.shop.dir, 'server/entities/product.js')));
    assert.equal(w.shop.read('server/entities/customer.js'), customer);

    const init = await runCli(['init', '--workspace', empty], { cwd: tmpdir() });
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /created \.claude\/orchestrator\.yaml/);
    assert.ok(readFileSync(join(empty, '.claude/entity-registry.json'), 'utf8').includes('_patterns'));
    const again = await runCli(['init', '--workspace', empty], { cwd: tmpdir() });
    assert.match(again.stdout, /\.claude\/orchestrator\.yaml exists and was kept/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('cli: --version and -v print the package name, version and the commit built from (exit 0), --json as JSON; a usage error under --json is JSON', async () => {
  const { name, version } = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const head = spawnSync('git', ['rev-parse', 'HEAD'], {
    cwd: join(__dirname, '../../..'),
    encoding: 'utf8',
  }).stdout.trim();
  const dir = mkdtempSync(join(tmpdir(), 'orch-version-'));
  try {
    for (const flag of ['--version', '-v']) {
      const result = await runCli([flag], { cwd: dir });
      assert.equal(result.code, 0, result.stderr);
      const commit = new RegExp(
        `^${name} ${version.replace(/\./g, '\\.')} \\(commit ([0-9a-f]{7,})(-dirty)?\\)\n$`,
      ).exec(result.stdout);
      assert.ok(commit && head.startsWith(commit[1]!), `${result.stdout} (HEAD ${head})`);
    }
    const json = jsonOf(await runCli(['--version', '--json'], { cwd: dir })) as {
      name: string;
      version: string;
      commit: string;
    };
    assert.deepEqual(
      [json.name, json.version, head.startsWith(json.commit.replace(/-dirty$/, ''))],
      [name, version, true],
    );
    // A usage error under --json is one JSON object on stdout (exit 2), even when --json comes after the mistake.
    for (const argv of [
      ['feature', 'x', '--attempts', '9', '--json'],
      ['audit', 'x', '--attemps', '2', '--json'],
    ]) {
      const usage = await runCli(argv, { cwd: dir });
      assert.equal(usage.code, 2, usage.stderr);
      const error = JSON.parse(usage.stdout) as { status: string; error: string; usage: string[] };
      assert.equal(error.status, 'error');
      assert.match(error.error, /--attempts needs a whole number from 1 to 8|unknown option --attemps/);
      assert.match(error.usage[0]!, /^orchestrator (feature|audit) /);
    }
    assert.match((await runCli(['--help'], { cwd: dir })).stdout, /--version, -v\s+print the version/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
