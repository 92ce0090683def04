// Runs node:test files (or those under the given folders) on a Node >= engines.node: this one
// when new enough, else the e2e installer's Node 24 (see scripts/setup.mjs). Node 20's --test
// does not expand globs, so the files are listed here. Arguments starting with `--` go to node,
// except these two:
//   --provider=openai  the engine tests run against the OpenAI-compatible test server instead of
//                      the Messages-API one (ORCH_TEST_PROVIDER, test/support/modelServer.ts)
//   --shards=N         N processes, each running its share of the files one after another in
//                      itself (node's --test-isolation=none), instead of one process per file.
//                      Loading the engine costs a process about a second of CPU, which a tier
//                      of 200 short files paid 200 times; with shards it pays it N times. The
//                      shards' TAP files are merged into the one asked for, and the ten slowest
//                      tests are said once for all of them.
//   --postgres         one PostgreSQL server for all the files (test/support/postgresTier.ts),
//                      each file and world given a database of its own on it, instead of a
//                      server each (initdb and a start: seconds of CPU, forty times a tier)
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MIN_NODE, envWithNode, projectNode } from './setup.mjs';
import { slowestLines } from './slowestReporter.mjs';

const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ours = (a) => a.startsWith('--provider=') || a.startsWith('--shards=') || a === '--postgres';
const roots = args.filter((a) => !a.startsWith('--'));
const provider = option('provider');
const shards = Number(option('shards') ?? 0);
const passThrough = args.filter((a) => a.startsWith('--') && !ours(a));
const files = [];
const walk = (dir) => {
  if (!statSync(dir).isDirectory()) {
    files.push(dir);
    return;
  }
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (name.endsWith('.test.ts')) files.push(full);
  }
};
roots.forEach(walk);
if (files.length === 0) {
  console.error(`no test files under ${roots.join(', ')}`);
  process.exit(1);
}
const node = projectNode();
if (!node) {
  console.error(`the tests need Node ${MIN_NODE.range} (this is ${process.version}): run \`npm test\`, or \`npm run e2e:install\` for the cached Node 24`);
  process.exit(1);
}
// The repositories' data folders (queue databases, approval journals) of every test workspace: a throwaway folder, not the user's.
const dataDir = process.env.ORCHESTRATOR_DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), 'orch-test-data-'));
const baseEnv = {
  ...(node === process.execPath ? process.env : envWithNode(node)),
  ...(provider ? { ORCH_TEST_PROVIDER: provider } : {}),
  ...(dataDir ? { ORCHESTRATOR_DATA_DIR: dataDir } : {}),
};
const postgres = args.includes('--postgres') ? await startTierPostgres() : undefined;
const env = { ...baseEnv, ...(postgres ? { ORCH_TEST_PG_URL: postgres.url } : {}) };
// A test that hangs fails by name after 10 minutes (the slowest take about one on a loaded machine) instead of holding the tier.
const common = ['--import', 'tsx', '--test', '--test-timeout=600000'];

const code = shards > 1 ? await runShards() : spawnSync(node, [...common, '--test-concurrency=2', ...passThrough, ...files], { stdio: 'inherit', env }).status ?? 1;
await postgres?.stop();
if (dataDir) rmSync(dataDir, { recursive: true, force: true });
process.exit(code);

/** The tier's PostgreSQL server, as a process of its own that stops it when its stdin closes. */
async function startTierPostgres() {
  const child = spawn(node, ['--import', 'tsx', 'test/support/postgresTier.ts'], { env: baseEnv, stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((resolve) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('close', () => resolve(undefined));
  });
  if (!line) {
    console.error("run-node-tests: the tier's PostgreSQL server did not start");
    process.exit(1);
  }
  const closed = new Promise((resolve) => child.once('close', resolve));
  return {
    url: JSON.parse(line).url,
    stop: () => {
      child.stdin.end();
      return closed;
    },
  };
}

async function runShards() {
  const work = mkdtempSync(join(tmpdir(), 'orch-shards-'));
  // Node 22.13 knows the flag only by its experimental name.
  const isolation = spawnSync(node, ['--test-isolation=none', '-e', '0']).status === 0 ? '--test-isolation=none' : '--experimental-test-isolation=none';
  // Every reporter that writes a file writes one per shard, merged below; --test-concurrency means nothing in one process.
  const destinations = passThrough.filter((a) => a.startsWith('--test-reporter-destination=') && !/=(stdout|stderr)$/.test(a)).map((a) => a.split('=')[1]);
  const shardArgs = (k) => passThrough.filter((a) => !a.startsWith('--test-concurrency=')).map((a) => (destinations.includes(a.split('=')[1] ?? '') ? `${a}.shard${k}` : a));
  const times = join(work, 'times.jsonl');
  // Round robin over the sorted list: each shard gets some of every folder, so the slow folders spread out.
  const shares = Array.from({ length: shards }, (_, k) => files.filter((_, i) => i % shards === k)).filter((s) => s.length > 0);
  const codes = await Promise.all(
    shares.map(
      (share, k) =>
        new Promise((resolve) => {
          const child = spawn(node, [...common, isolation, '--test-force-exit', ...shardArgs(k), ...share], {
            env: { ...env, ORCH_TEST_TIMES: times, ORCH_TEST_SLOWEST_SILENT: '1' },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          // Whole lines only, so two shards' output never mixes within a line.
          createInterface({ input: child.stdout }).on('line', (l) => process.stdout.write(`${l}\n`));
          createInterface({ input: child.stderr }).on('line', (l) => process.stderr.write(`${l}\n`));
          child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
        }),
    ),
  );
  for (const dest of destinations) mergeTap(dest, shares.map((_, k) => `${dest}.shard${k}`));
  const all = readLines(times).map((l) => JSON.parse(l));
  if (process.env.ORCH_TEST_TIMES) appendFileSync(process.env.ORCH_TEST_TIMES, all.map((t) => `${JSON.stringify(t)}\n`).join(''));
  process.stdout.write(slowestLines(all).join(''));
  rmSync(work, { recursive: true, force: true });
  return codes.some((c) => c !== 0) ? 1 : 0;
}

/** The shards' TAP reports one after another, then the counts summed, as one run's closing lines. */
function mergeTap(dest, parts) {
  const texts = parts.map((p) => {
    const text = readLines(p).join('\n');
    rmSync(p, { force: true });
    return text;
  });
  const sum = (key) => texts.reduce((n, t) => n + ([...t.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))].map((m) => Number(m[1])).at(-1) ?? 0), 0);
  const closing = ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo'].map((key) => `# ${key} ${sum(key)}`);
  writeFileSync(dest, `${texts.join('\n')}\n${closing.join('\n')}\n`);
}

function readLines(file) {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  } catch {
    return [];
  }
}
