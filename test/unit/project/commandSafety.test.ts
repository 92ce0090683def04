// Validation you can trust (issue 8, point 1): a validate/sync command whose program lies
// inside some layer's owns is a configuration error naming file, line, key and the glob.
import assert from 'node:assert/strict';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { executedFiles } from '../../../src/core/project/commands/commandPrograms';
import { commandFiles } from '../../../src/core/project/commands/commandSafety';
import { loadConfig } from '../../../src/core/project/config/config';
import { ProjectFileError } from '../../../src/core/project/sources/errors';
import { SHOP } from '../../support/engine/shopWorkspace';
import { tempWorkspace } from '../../support/tempWorkspace';

const scripts: Record<string, Record<string, string>> = {
  'package.json': {
    pretest: 'bash ./tools/pre.sh',
    test: 'node --test && tsx scripts/t.ts',
    check: 'cd web && npm run lint',
  },
  'web/package.json': { lint: 'tsc --noEmit && node lint.js' },
};
const run = (command: string) => executedFiles(command, (p) => scripts[p]).map((f) => f.path);

test('executed files: the program or script a command runs, never the data it is given', () => {
  const cases: [string, string[]][] = [
    ['node scripts/check-js.mjs server', ['scripts/check-js.mjs']],
    ['node --experimental-vm-modules --no-warnings web/typecheck.js', ['web/typecheck.js']],
    ['node -r ./server/hook.js scripts/a.js server/x.js', ['server/hook.js', 'scripts/a.js']],
    ['FOO=1 node "server/a b.js"', ['server/a b.js']],
    ['bash -c "node server/x.js && ./server/y.sh"', ['server/x.js', 'server/y.sh']],
    ['sh server/build.sh', ['server/build.sh']],
    ['./server/build.sh --flag', ['server/build.sh']],
    ['python3 -m server.build', ['server/build.py', 'server/build/__main__.py', 'server/build/__init__.py']],
    ['python manage.py test', ['manage.py']],
    ['npx tsx server/gen.ts', ['server/gen.ts']],
    ['npx --yes tsc -p server', []],
    ['npm test', ['package.json', 'tools/pre.sh', 'scripts/t.ts']],
    ['npm run check', ['package.json', 'web/package.json', 'web/lint.js']],
    ['cd server && node build.js', ['server/build.js']],
    ['make -C server', ['server/GNUmakefile', 'server/makefile', 'server/Makefile']],
    ['echo `node server/z.js`', ['server/z.js']],
    ['env NODE_ENV=x node server/e.js', ['server/e.js']],
    ['node server/a.js > server/out.txt', ['server/a.js']],
    ['/usr/bin/env node server/b.js', ['server/b.js']],
    ['tsc --noEmit -p web', []],
    ['node /opt/tools/check.js server', []],
    ['node ../outside.js', []],
  ];
  for (const [command, expected] of cases) assert.deepEqual(run(command), expected, command);
});

const config = (validate: string, extra = '') => `version: 1
layers:
  database: { owns: ["db/**"] }
  backend:
    owns: ["server/**"]
    validate: [${JSON.stringify(validate)}]
${extra}`;

async function configError(
  files: Record<string, string>,
  setup?: (dir: string) => Promise<void>,
): Promise<ProjectFileError> {
  const ws = await tempWorkspace(files);
  try {
    await setup?.(ws.dir);
    const error = await loadConfig(ws.dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ProjectFileError, `expected a ProjectFileError, got ${String(error)}`);
    return error;
  } finally {
    await ws.cleanup();
  }
}

test('a validate command running a file inside its own owns is a config error: file, line, key, both globs', async () => {
  const error = await configError({
    '.claude/orchestrator.yaml': config('node server/build.js'),
    'server/build.js': '',
  });
  assert.equal(error.file, '.claude/orchestrator.yaml');
  assert.equal(error.line, 6);
  assert.equal(error.key, 'layers.backend.validate[0]');
  assert.match(
    error.message,
    /^\.claude\/orchestrator\.yaml:6:\d+ layers\.backend\.validate\[0\]: "node server\/build\.js" executes server\/build\.js/,
  );
  assert.match(error.message, /matches layers\.backend\.owns\[0\] "server\/\*\*"/);
});

test("a command naming another layer's file, a symlink into owns, or a sync program in owns is refused too", async () => {
  const other = await configError({ '.claude/orchestrator.yaml': config('node db/check.js') });
  assert.match(other.message, /executes db\/check\.js .*layers\.database\.owns\[0\] "db\/\*\*"/);

  const linked = await configError(
    { '.claude/orchestrator.yaml': config('node scripts/check.js server'), 'server/check.js': 'process.exit(0)' },
    async (dir) => {
      await (await import('node:fs/promises')).mkdir(join(dir, 'scripts'));
      await symlink(join(dir, 'server/check.js'), join(dir, 'scripts/check.js'));
    },
  );
  assert.match(linked.message, /scripts\/check\.js \(a symlink to server\/check\.js\)/);

  const sync = await configError({
    '.claude/orchestrator.yaml': `${config('node scripts/ok.js')}sync: ["node server/sync.js"]\n`,
  });
  assert.equal(sync.key, 'sync[0]');
  assert.equal(sync.line, 7);

  const caseTrick = await configError({ '.claude/orchestrator.yaml': config('node SERVER/build.js') });
  assert.match(caseTrick.message, /executes SERVER\/build\.js/);
});

test('manifests, task files and tool configs may be owned: what they run is guarded (asks first at run time), not refused', async () => {
  const cases: Record<string, string>[] = [
    {
      '.claude/orchestrator.yaml': config('npm test'),
      'package.json': JSON.stringify({ scripts: { test: 'node server/test-runner.js' } }),
    },
    {
      '.claude/orchestrator.yaml': `version: 1\nlayers:\n  tooling: { owns: ["package.json", "tools/**"] }\n  backend: { owns: ["server/**"], validate: ["npm run build"] }\n`,
      'package.json': JSON.stringify({ scripts: { build: 'tsc' } }),
    },
    { '.claude/orchestrator.yaml': config('cd server && npx eslint .') },
    { '.claude/orchestrator.yaml': config('make -C server test') },
  ];
  for (const files of cases) {
    const ws = await tempWorkspace(files);
    try {
      await loadConfig(ws.dir);
    } finally {
      await ws.cleanup();
    }
  }
  const guarded = executedFiles('npm test', (p) => (p === 'package.json' ? { test: 'node server/t.js' } : undefined));
  assert.deepEqual(
    guarded.map((f) => [f.path, f.guarded]),
    [
      ['package.json', true],
      ['server/t.js', true],
    ],
  );
  assert.deepEqual(
    executedFiles('node server/t.js', () => undefined).map((f) => f.guarded),
    [undefined],
    'a program the command names itself is not guarded: it must stay out of owns',
  );
});

test('one command, one meaning: cd DIR && pnpm lint, pnpm -C DIR lint, pnpm --filter NAME lint, npm -w, yarn workspace run the same script', async () => {
  const ws = await tempWorkspace({
    'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['apps/*'] }),
    'pnpm-workspace.yaml': 'packages: ["apps/*"]\n',
    'apps/web/package.json': JSON.stringify({ name: 'web', scripts: { lint: 'eslint . && node tools/lint-extra.js' } }),
  });
  try {
    const layers = (validate: string) =>
      `version: 1\nlayers:\n  web: { owns: ["apps/web/**"], validate: [${JSON.stringify(validate)}] }\n`;
    const spellings = [
      'cd apps/web && pnpm lint',
      'pnpm -C apps/web lint',
      'pnpm --filter web lint',
      'pnpm --filter=web lint',
      'pnpm -F ./apps/web lint',
      'npm run lint -w apps/web',
      'npm run lint --workspace=web',
      'yarn workspace web lint',
    ];
    const { writeFile, mkdir } = await import('node:fs/promises');
    await mkdir(join(ws.dir, '.claude'));
    const seen = new Set<string>();
    for (const command of spellings) {
      await writeFile(join(ws.dir, '.claude/orchestrator.yaml'), layers(command));
      await loadConfig(ws.dir); // the same verdict for every spelling: accepted, its files guarded
      const files = commandFiles(ws.dir, command)
        .filter((f) => !f.path.includes('eslint.config') && !f.path.includes('.eslintrc'))
        .map((f) => f.path);
      seen.add(JSON.stringify(files));
    }
    assert.deepEqual(
      [...seen],
      [JSON.stringify(['apps/web/package.json', 'apps/web/tools/lint-extra.js'])],
      'every spelling executes the same script',
    );
  } finally {
    await ws.cleanup();
  }
});

test('paths passed as data are fine, and the shipped example loads', async () => {
  const ws = await tempWorkspace({
    '.claude/orchestrator.yaml': config('node scripts/check.js server && npx tsc -p server && npx eslint server'),
  });
  try {
    const loaded = await loadConfig(ws.dir);
    assert.deepEqual(loaded.layers.backend?.validate, [
      'node scripts/check.js server && npx tsc -p server && npx eslint server',
    ]);
  } finally {
    await ws.cleanup();
  }
  const shop = await loadConfig(SHOP);
  assert.deepEqual(
    Object.values(shop.layers).map((l) => l.validate[0]?.split(' ').find((w) => w.startsWith('scripts/'))),
    ['scripts/check-migrations.js', 'scripts/check-server.js', 'scripts/check-web.mjs'],
  );
});

test('a workspace whose scripts fan out to every package, which run the root again, is followed once per script', () => {
  // 20 packages whose `lint` runs the root's `lint:all`, which runs `lint` in every package (pnpm -r):
  // followed path by path, that is 20^4 visits before the depth limit; once per script it is immediate.
  const dirs = Array.from({ length: 20 }, (_, i) => `packages/p${i}`);
  const reader = Object.assign(
    (p: string): Record<string, string> | undefined =>
      p === 'package.json'
        ? { lint: 'pnpm -r lint', 'lint:all': 'pnpm -r lint' }
        : dirs.includes(p.replace('/package.json', ''))
          ? { lint: `pnpm -w lint:all && node tools/lint-${p.split('/')[1]}.js` }
          : undefined,
    { packageDirs: () => dirs },
  );
  const started = performance.now();
  const files = executedFiles('pnpm lint', reader).map((f) => f.path);
  // Linear, not exponential: an exponential walk takes minutes; a loaded machine, some hundreds of ms.
  assert.ok(performance.now() - started < 3000, `took ${Math.round(performance.now() - started)} ms`);
  assert.deepEqual(
    files.filter((f) => f.endsWith('.js')).sort(),
    dirs.map((d) => `${d}/tools/lint-${d.split('/')[1]}.js`).sort(),
  );
});
