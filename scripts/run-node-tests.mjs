// Runs node:test files (or those under the given folders) on a Node >= engines.node: this one
// when new enough, else the e2e installer's Node 24 (see scripts/setup.mjs). Node 20's --test
// does not expand globs, so the files are listed here. Arguments starting with `--` go to node,
// except these two:
//   --provider=openai  the engine tests run against the OpenAI-compatible test server instead of
//                      the Messages-API one (ORCH_TEST_PROVIDER, test/support/modelServer.ts);
//                      with no files named, the engine suite (scripts/testSuites.mjs)
//   --shards=N         N processes, each running its share of the files one after another in
//                      itself (node's --test-isolation=none), instead of one process per file.
//                      Loading the engine costs a process about a second of CPU, which a tier
//                      of 200 short files paid 200 times; with shards it pays it N times. Each
//                      file runs in a suite of its own (test/support/testShard.ts), so its hooks
//                      run around its tests only; a process that dies fails the file it was in
//                      and the rest of its share goes on in a new one. The shards' TAP files
//                      are merged into the one asked for, and the ten slowest tests are said
//                      once for all of them.
//   --weights=<file>   with --shards: a JSON file of each file's expected time ({ "path from
//                      here": seconds }; scripts/test-weights.mjs makes it from a tier's TAP).
//                      The files are dealt heaviest first, each to the shard with the least time
//                      so far (a file not named weighs the median), so the shards end together;
//                      without it, round robin over the sorted list.
//   --postgres         one PostgreSQL server for all the files (test/support/postgresTier.ts),
//                      each file and world given a database of its own on it, instead of a
//                      server each (initdb and a start: seconds of CPU, forty times a tier)
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { clearInterval, setInterval } from 'node:timers';
import { MIN_NODE, envWithNode, projectNode } from './setup.mjs';
import { slowestLines } from './slowestReporter.mjs';
import { OPENAI_SUITE } from './testSuites.mjs';

const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ours = (a) =>
  a.startsWith('--provider=') || a.startsWith('--shards=') || a.startsWith('--weights=') || a === '--postgres';
const provider = option('provider');
const named = args.filter((a) => !a.startsWith('--'));
const roots = named.length === 0 && provider === 'openai' ? OPENAI_SUITE : named;
const shards = Number(option('shards') ?? 0);
const weights = option('weights') === undefined ? undefined : readWeights(option('weights'));
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
  console.error(
    `the tests need Node ${MIN_NODE.range} (this is ${process.version}): run \`npm test\`, or \`npm run e2e:install\` for the cached Node 24`,
  );
  process.exit(1);
}
// The repositories' data folders (queue databases, approval journals) of every test workspace: a throwaway folder, not the user's.
const dataDir = process.env.ORCHESTRATOR_DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), 'orch-test-data-'));
// V8's code cache (Node >= 22.1) for every Node the tier starts: the test processes, and the CLI,
// serve, workers, npm and scripts the tests start, hundreds of fresh Nodes compiling the same
// code. The tier's own folder, gone with it. Agents and project commands never see it: they get
// a minimal environment (commandEnvironment, cliEnvironment).
const compileCache = mkdtempSync(join(tmpdir(), 'orch-compile-cache-'));
// A run started by a test in a shard (tempCleanup, testShards) would inherit the shard's own
// variables: its files, progress and times files are the outer run's, not this one's.
const SHARD_VARIABLES = ['ORCH_SHARD_FILES', 'ORCH_SHARD_PROGRESS', 'ORCH_TEST_SLOWEST_SILENT', 'ORCH_TEST_TIMES'];
const inShard = process.env.ORCH_SHARD_FILES !== undefined;
const inherited = node === process.execPath ? process.env : envWithNode(node);
const baseEnv = {
  ...(!inShard
    ? inherited
    : Object.fromEntries(Object.entries(inherited).filter(([k]) => !SHARD_VARIABLES.includes(k)))),
  ...(provider ? { ORCH_TEST_PROVIDER: provider } : {}),
  ...(dataDir ? { ORCHESTRATOR_DATA_DIR: dataDir } : {}),
  NODE_COMPILE_CACHE: compileCache,
};
const postgres = args.includes('--postgres') ? await startTierPostgres() : undefined;
const env = { ...baseEnv, ...(postgres ? { ORCH_TEST_PG_URL: postgres.url } : {}) };
// A test that hangs fails by name after 10 minutes (the slowest take about one on a loaded machine) instead of holding the tier.
const TIMEOUT_MS = 600_000;
const common = ['--import', 'tsx', '--test', `--test-timeout=${TIMEOUT_MS}`];

const code =
  shards > 0
    ? await runShards()
    : (spawnSync(node, [...common, '--test-concurrency=2', ...passThrough, ...files], { stdio: 'inherit', env })
        .status ?? 1);
await postgres?.stop();
if (dataDir) rmSync(dataDir, { recursive: true, force: true });
rmSync(compileCache, { recursive: true, force: true });
process.exit(code);

/** The tier's PostgreSQL server, as a process of its own that stops it when its stdin closes. */
async function startTierPostgres() {
  const child = spawn(node, ['--import', 'tsx', 'test/support/postgresTier.ts'], {
    env: baseEnv,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
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
  const isolation =
    spawnSync(node, ['--test-isolation=none', '-e', '0']).status === 0
      ? '--test-isolation=none'
      : '--experimental-test-isolation=none';
  // Every reporter that writes a file writes one per shard process, merged below; --test-concurrency means nothing in one process.
  const destinations = passThrough
    .filter((a) => a.startsWith('--test-reporter-destination=') && !/=(stdout|stderr)$/.test(a))
    .map((a) => a.split('=')[1]);
  const shardArgs = (id) =>
    passThrough
      .filter((a) => !a.startsWith('--test-concurrency='))
      .map((a) => (destinations.includes(a.split('=')[1] ?? '') ? `${a}.shard${id}` : a));
  const times = join(work, 'times.jsonl');
  const parts = [];
  const deaths = [];

  /** One process running `share` (test/support/testShard.ts loads each file in a suite of its own); resolves with how it ended. */
  const runProcess = (share, id, progress) =>
    new Promise((resolve) => {
      const child = spawn(
        node,
        [...common, isolation, '--test-force-exit', ...shardArgs(id), 'test/support/testShard.ts'],
        {
          env: {
            ...env,
            ORCH_TEST_TIMES: times,
            ORCH_TEST_SLOWEST_SILENT: '1',
            ORCH_SHARD_FILES: JSON.stringify(share),
            ORCH_SHARD_PROGRESS: progress,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      parts.push(id);
      // Whole lines only, so two shards' output never mixes within a line.
      createInterface({ input: child.stdout }).on('line', (l) => process.stdout.write(`${l}\n`));
      createInterface({ input: child.stderr }).on('line', (l) => process.stderr.write(`${l}\n`));
      // A file gets the time a process of its own would (its tests and hooks time out alone, but a
      // synchronous hang or a stuck load would hold the shard): past it the process is killed.
      let current = '';
      let since = Date.now();
      let overtime = false;
      const watchdog = setInterval(() => {
        const last = readLines(progress).at(-1) ?? '';
        if (last !== current) [current, since] = [last, Date.now()];
        else if (Date.now() - since > TIMEOUT_MS) {
          overtime = true;
          child.kill('SIGKILL');
        }
      }, 5000);
      child.on('close', (code, signal) => {
        clearInterval(watchdog);
        resolve({ code, signal, overtime });
      });
    });

  /**
   * The files of shard k, in as many processes as it takes: a process that dies (a signal, an
   * exit of its own, the watchdog) fails the file it was in, by name, and the files it had not
   * run yet go on in a new process.
   */
  const runShare = async (share, k) => {
    let failed = false;
    for (let left = share, n = 0; left.length > 0; n++) {
      const progress = join(work, `progress${k}.${n}`);
      const { code, signal, overtime } = await runProcess(left, `${k}.${n}`, progress);
      const marks = readLines(progress).map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]);
      const ran = new Set(marks.filter(([what]) => what === 'run').map(([, file]) => file));
      const ended = overtime
        ? `killed after ${TIMEOUT_MS / 1000} s in one file`
        : signal
          ? `signal ${signal}`
          : `exit code ${code}`;
      failed ||= code !== 0;
      // node --test ends with 0 or 1 once every file has run; anything else is a death.
      if ((code === 0 || code === 1) && left.every((f) => ran.has(f))) break;
      const culprit = marks.at(-1)?.[1] ?? left[0];
      left = left.filter((f) => !ran.has(f) && f !== culprit);
      deaths.push({ file: culprit, why: `the test process running it ended (${ended}) before its tests did` });
      process.stderr.write(
        `run-node-tests: shard ${k} ended (${ended}) in ${culprit}: it fails${left.length ? `, the ${left.length} files it had not run go on in a new process` : ''}\n`,
      );
      failed = true;
    }
    return failed ? 1 : 0;
  };

  const codes = await Promise.all(shareOut(files, shards).map(runShare));
  for (const dest of destinations)
    mergeTap(
      dest,
      parts.map((id) => `${dest}.shard${id}`),
      deaths,
    );
  const all = readLines(times).map((l) => JSON.parse(l));
  if (process.env.ORCH_TEST_TIMES && !inShard)
    appendFileSync(process.env.ORCH_TEST_TIMES, all.map((t) => `${JSON.stringify(t)}\n`).join(''));
  process.stdout.write(slowestLines(all).join(''));
  rmSync(work, { recursive: true, force: true });
  return codes.some((c) => c !== 0) ? 1 : 0;
}

/**
 * The files in `n` shares: by weight when given (heaviest first, each to the lightest share), else
 * round robin over the sorted list, so each shard gets some of every folder and the slow folders spread out.
 */
function shareOut(list, n) {
  if (!weights)
    return Array.from({ length: n }, (_, k) => list.filter((_, i) => i % n === k)).filter((s) => s.length > 0);
  const known = Object.values(weights).sort((a, b) => a - b);
  const weight = (f) => weights[relative(process.cwd(), f)] ?? known[Math.floor(known.length / 2)] ?? 1;
  const shares = Array.from({ length: n }, () => ({ files: [], total: 0 }));
  for (const f of [...list].sort((a, b) => weight(b) - weight(a))) {
    const lightest = shares.reduce((min, s) => (s.total < min.total ? s : min));
    lightest.files.push(f);
    lightest.total += weight(f);
  }
  return shares.map((s) => s.files).filter((s) => s.length > 0);
}

/**
 * The shards' TAP reports one after another, each file a suite of its own (test/support/testShard.ts),
 * then the counts summed as one run's closing lines, without those suites: as a run without shards
 * counts. A process that died left no closing lines: its tests are counted from its lines. Each
 * death is one more failed test, named by its file.
 */
function mergeTap(dest, parts, deaths) {
  const counts = { tests: 0, suites: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
  const texts = parts.map((p) => {
    const text = readLines(p).join('\n');
    rmSync(p, { force: true });
    const closing = (key) => [...text.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))].map((m) => Number(m[1])).at(-1);
    const own =
      closing('pass') === undefined
        ? countTap(text)
        : Object.fromEntries(Object.keys(counts).map((key) => [key, closing(key) ?? 0]));
    const fileSuites = text.match(/^(?:not )?ok \d+ - /gm)?.length ?? 0;
    for (const key of Object.keys(counts)) counts[key] += own[key] - (key === 'suites' ? fileSuites : 0);
    return text;
  });
  const died = deaths.map(
    ({ file, why }, i) =>
      `not ok ${i + 1} - ${file}\n  ---\n  type: 'test'\n  location: '${file}:1:1'\n  failureType: 'processDied'\n  error: '${why}'\n  ...`,
  );
  counts.tests += deaths.length;
  counts.fail += deaths.length;
  writeFileSync(
    dest,
    `${[...texts, ...died].filter((t) => t.length > 0).join('\n')}\n${Object.entries(counts)
      .map(([key, n]) => `# ${key} ${n}`)
      .join('\n')}\n`,
  );
}

/** The counts of a TAP report cut short: its tests (not suites) by how they ended, as node counts them. */
function countTap(text) {
  const counts = { tests: 0, suites: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const m = /^\s*(ok|not ok) \d+ - .*?(?: # (SKIP|TODO)\b.*)?$/.exec(line);
    if (!m) return;
    // Its YAML block, up to the next test's line.
    const block = [];
    for (let j = i + 1; j < lines.length && !/^\s*(?:ok|not ok) \d+ |^\s*# Subtest:/.test(lines[j]); j++)
      block.push(lines[j]);
    const field = (name) => block.map((l) => new RegExp(`^\\s*${name}: '(\\w+)'`).exec(l)?.[1]).find(Boolean);
    if (field('type') === 'suite') return void counts.suites++;
    counts.tests++;
    const key =
      m[2] === 'SKIP'
        ? 'skipped'
        : m[2] === 'TODO'
          ? 'todo'
          : m[1] === 'ok'
            ? 'pass'
            : /^(cancelledByParent|testTimeoutFailure)$/.test(field('failureType') ?? '')
              ? 'cancelled'
              : 'fail';
    counts[key]++;
  });
  return counts;
}

/** The weights file, or a clear error naming it. */
function readWeights(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    process.stderr.write(`run-node-tests: --weights=${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
}

function readLines(file) {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0);
  } catch {
    return [];
  }
}
