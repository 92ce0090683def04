// `npm test`: every test tier, on a fresh clone as on a developer's machine. Node built-ins
// only (nothing is installed yet on a fresh clone):
//
//   1. setup (scripts/setup.mjs): the idempotent installer steps (Chromium, Node 24 and
//      code-server through scripts/e2e/install.sh, as `npm start` uses), then `npm ci` when
//      node_modules is missing or stale; all on a Node >= engines.node (this one when new
//      enough, else the installer's Node 24)
//   2. build (dist/)
//   3. the tiers: unit and integration (node:test), unit-openai (the engine's tests against the
//      Chat Completions server), extension (mocha in code-server's extension host), ui
//      (playwright-core through the workbench)
//
// Then one line per tier and the closing line `total: N passed, M failed`. A tier that could
// not run (its installer step, the build or the runner failed, or it ran no test) counts as
// failed, so the total never reads "0 failed" for a tier that did not pass. Exit 0 only when
// nothing failed.
//
//   npm test                     # all tiers
//   npm test -- unit ui          # some tiers (the setup runs all the same)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INSTALLERS, envWithNode, root, setup } from './setup.mjs';
import { failuresOf, tierResult, totalLine } from './tierResult.mjs';

/** Report files of the node:test tiers: a TAP copy of what the spec reporter prints, and the ten slowest tests after it. */
const reports = mkdtempSync(join(tmpdir(), 'orch-test-'));
const tap = (name) => [
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/slowestReporter.mjs',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${join(reports, `${name}.tap`)}`,
];

/**
 * Each tier: the installer steps it `needs` (names from scripts/setup.mjs; `npm` = the npm
 * packages), its commands in order (the Node is prepended), and how its counts are read.
 * Tests live by what they need: test/unit has no database, no browser, no CLI agent, no process of
 * ours (the CLI, serve, a worker) and no kill, so it runs in minutes; test/integration has them, and
 * since much of its time is spent waiting on those processes it runs more files at once. The node
 * tiers run in shards (processes running their files one after another, scripts/run-node-tests.mjs):
 * a process per file spent more CPU loading the engine than many files spent testing it. The
 * shards are dealt by each file's time (test/weights/, scripts/test-weights.mjs) so they end together.
 */
const TIERS = [
  {
    name: 'unit',
    needs: ['npm', 'sandbox'],
    commands: [
      ['scripts/run-node-tests.mjs', '--shards=3', '--weights=test/weights/unit.json', 'test/unit', ...tap('unit')],
    ],
    counts: 'tap',
  },
  {
    name: 'integration',
    needs: ['npm', 'postgres', 'sandbox', 'python', 'package-managers'],
    commands: [
      [
        'scripts/run-node-tests.mjs',
        '--shards=4',
        '--weights=test/weights/integration.json',
        '--postgres',
        'test/integration',
        ...tap('integration'),
      ],
    ],
    counts: 'tap',
  },
  // The engine suite again, against the OpenAI-compatible (Chat Completions) test server.
  {
    name: 'unit-openai',
    needs: ['npm', 'sandbox'],
    commands: [
      [
        'scripts/run-node-tests.mjs',
        '--shards=3',
        '--weights=test/weights/unit-openai.json',
        '--provider=openai',
        ...tap('unit-openai'),
      ],
    ],
    counts: 'tap',
  },
  {
    name: 'extension',
    needs: ['npm', 'e2e', 'sandbox'],
    commands: [['scripts/e2e/build-tests.mjs'], ['--import', 'tsx', 'test/e2e/run-extension-tests.ts']],
    counts: 'extension',
  },
  {
    name: 'ui',
    needs: ['npm', 'e2e', 'postgres', 'sandbox'],
    commands: [['scripts/e2e/run-ui-tests.mjs', ...tap('ui')]],
    counts: 'tap',
  },
];

const say = (s) => process.stdout.write(`[test] ${s}\n`);
const elapsed = (t) => {
  const s = Math.round((Date.now() - t) / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
};

/** Runs a command with its output shown as it comes; resolves with the exit code and the output's tail. */
function run(node, args, env) {
  return new Promise((resolve) => {
    let tail = '';
    const keep = (chunk, out) => {
      out.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-200_000);
    };
    const child = spawn(node, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c) => keep(c, process.stdout));
    child.stderr.on('data', (c) => keep(c, process.stderr));
    child.on('error', (e) => resolve({ code: 1, tail: `${tail}\n${e.message}` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), tail }));
  });
}

/** passed/failed of a finished tier, or undefined when it printed none. */
function countsOf(tier, tail) {
  if (tier.counts === 'tap') {
    let text;
    try {
      text = readFileSync(join(reports, `${tier.name}.tap`), 'utf8');
    } catch {
      return undefined;
    }
    const last = (key) => [...text.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))].map((m) => Number(m[1])).at(-1);
    const passed = last('pass');
    if (passed === undefined) return undefined;
    return { passed, failed: (last('fail') ?? 0) + (last('cancelled') ?? 0) };
  }
  const m = [...tail.matchAll(/^extension \(.*\): (\d+) passed, (\d+) failed/gm)].at(-1);
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : undefined;
}

function failedTests(tier, tail) {
  // The extension runner names its failures itself (`[e2e] FAILED: [session] suite test: error`).
  if (tier.counts !== 'tap')
    return [...tail.matchAll(/^\[e2e\] FAILED: (.*)$/gm)].map((m) => ({
      name: m[1].slice(0, 300),
      location: '',
      error: '',
    }));
  try {
    return failuresOf(readFileSync(join(reports, `${tier.name}.tap`), 'utf8'));
  } catch {
    return [];
  }
}

async function main() {
  const t0 = Date.now();
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !TIERS.some((t) => t.name === w));
  if (unknown.length > 0) {
    say(`unknown tier(s) ${unknown.join(', ')}; the tiers are ${TIERS.map((t) => t.name).join(', ')}`);
    return 2;
  }
  const tiers = TIERS.filter((t) => wanted.length === 0 || wanted.includes(t.name));

  say('setup: installer steps and npm packages');
  // Only the installer steps the chosen tiers need (all of them for a plain `npm test`).
  const { node, failed: setupFailed } = setup({
    installers: INSTALLERS.filter((step) => tiers.some((t) => t.needs.includes(step.name))),
  });
  const results = [];
  let buildFailure;
  if (node && !setupFailed.npm) {
    say('build: dist/');
    const build = await run(node, ['scripts/build.mjs'], envWithNode(node));
    if (build.code !== 0) buildFailure = `the build failed (exit ${build.code})`;
  }

  for (const tier of tiers) {
    const t = Date.now();
    const missing = tier.needs.filter((step) => setupFailed[step]);
    const cannot = !node
      ? setupFailed.node
      : missing.length > 0
        ? `${missing.map((s) => `${s}: ${setupFailed[s]}`).join('; ')}`
        : buildFailure;
    if (cannot) {
      results.push({ tier: tier.name, ...tierResult({ code: 1, cannot }) });
      continue;
    }
    say(`tier ${tier.name}`);
    let code = 0;
    let tail = '';
    for (const args of tier.commands) {
      ({ code, tail } = await run(node, args, envWithNode(node)));
      if (code !== 0) break;
    }
    const result = {
      tier: tier.name,
      ...tierResult({ code, counts: countsOf(tier, tail) }),
      time: elapsed(t),
      failures: failedTests(tier, tail),
    };
    results.push(result);
    say(`tier ${tier.name}: ${result.passed} passed, ${result.failed} failed in ${result.time}`);
  }
  rmSync(reports, { recursive: true, force: true });

  for (const [step, why] of Object.entries(setupFailed)) say(`setup step ${step} FAILED: ${why}`);
  for (const r of results)
    say(
      `${r.tier}: ${r.passed} passed, ${r.failed} failed${r.time ? ` in ${r.time}` : ''}${r.note ? ` (${r.note})` : ''}`,
    );
  for (const r of results)
    for (const f of r.failures ?? [])
      say(`FAILED ${r.tier}: ${f.name}${f.location ? ` (${f.location})` : ''}${f.error ? ` ${f.error}` : ''}`);
  say(`all tiers in ${elapsed(t0)}`);
  process.stdout.write(`${totalLine(results)}\n`);
  return results.some((r) => r.failed > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`[test] ${e instanceof Error ? e.stack : String(e)}\n`);
    process.stdout.write('total: 0 passed, 1 failed\n');
    process.exit(1);
  },
);
