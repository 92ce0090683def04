import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readGrainModel } from '../../../src/core/mustard';
import { largeGrainModel } from '../../support/grainModel';
import { inTempWorkspace } from '../../support/tempWorkspace';

const read = (content: string | undefined) =>
  inTempWorkspace(content === undefined ? {} : { '.claude/grain.model.json': content }, readGrainModel);

const EMPTY_CENSUS = {
  root: '/home/ana/empty',
  languages: [],
  manifests: [],
  frameworks: [],
  skeleton: [],
  modules: [],
  graph: { nodes: 0, edges: [], cyclic: false, top_fan_in: [] },
  roles: [],
  conventions: [],
  coverage: { top_dirs: [], skipped_build_dirs: [], unsupported_exts: [] },
  projects: [],
  shared_contracts: [],
  detected_stacks: [],
};

test('an all-empty census loads as an empty model, without warnings', async () => {
  const result = await read(JSON.stringify(EMPTY_CENSUS));
  assert.deepEqual(result.warnings, []);
  assert.equal(result.model?.root, '/home/ana/empty');
  assert.deepEqual(result.model?.projects, []);
  assert.deepEqual(result.model?.modules, []);
  assert.deepEqual(result.model?.roles, []);
});

test('no file: no model and no warning', async () => {
  assert.deepEqual(await read(undefined), { warnings: [] });
});

test('every field missing: an empty model', async () => {
  const result = await read('{}');
  assert.deepEqual(result.warnings, []);
  assert.equal(result.model?.root, undefined);
  assert.deepEqual(result.model?.projects, []);
  assert.deepEqual(result.model?.frameworks, []);
});

test('a Linux model: projects, roles, conventions and modules in our shape', async () => {
  const result = await read(
    JSON.stringify({
      root: '/home/ana/shop',
      languages: [{ language: 'rust', files: 40, loc: 9000 }],
      manifests: [{ path: 'apps/rt/Cargo.toml', kind: 'cargo', dependencies: ['tokio'], scripts: [], name: 'rt' }],
      frameworks: ['axum'],
      skeleton: [{ dir: 'apps/rt/src', role: 'source', files: 40 }],
      modules: [
        { path: 'apps/rt/src/main.rs', language: 'rust', loc: 120, imports: ['apps/rt/src/lib.rs'] },
        // Less regular entries: imports as objects, a count written as text.
        {
          path: 'apps/rt/src/lib.rs',
          language: 'rust',
          loc: '80',
          imports: [{ path: 'apps/rt/src/util.rs', kind: 'mod' }, ['apps/rt/src/db.rs', 2]],
        },
      ],
      graph: { nodes: 1, edges: [], cyclic: false, top_fan_in: [{ path: 'apps/rt/src/lib.rs', fan_in: 12 }] },
      roles: [
        {
          affix: 'Service',
          kind: 'suffix',
          count: 14,
          common_dir: 'apps/rt/src/services',
          dirs: ['apps/rt/src/services'],
        },
      ],
      conventions: [{ name: 'services', roles: ['Service'], entities: ['Order'] }],
      projects: [
        { name: 'shop', dir: '', kind: 'cargo', code_files: 2, frameworks: [], dependencies: [] },
        { name: 'rt', dir: 'apps/rt', kind: 'cargo', code_files: 40, frameworks: ['axum'], dependencies: ['tokio'] },
        {
          name: 'dashboard-native',
          dir: '/home/ana/shop/apps/dashboard/src-tauri/',
          kind: 'cargo',
          code_files: 5,
          frameworks: ['tauri'],
        },
      ],
      detected_stacks: ['rust'],
      extra_section_from_a_newer_mustard: { anything: true },
    }),
  );
  assert.deepEqual(result.warnings, []);
  const model = result.model;
  assert.ok(model);
  assert.deepEqual(model.projects, [
    { name: 'shop', dir: '', kind: 'cargo', codeFiles: 2, frameworks: [], dependencies: [] },
    { name: 'rt', dir: 'apps/rt', kind: 'cargo', codeFiles: 40, frameworks: ['axum'], dependencies: ['tokio'] },
    {
      name: 'dashboard-native',
      dir: 'apps/dashboard/src-tauri',
      kind: 'cargo',
      codeFiles: 5,
      frameworks: ['tauri'],
      dependencies: [],
    },
  ]);
  assert.deepEqual(model.roles, [
    { affix: 'Service', kind: 'suffix', count: 14, commonDir: 'apps/rt/src/services', dirs: ['apps/rt/src/services'] },
  ]);
  assert.deepEqual(model.conventions, [{ name: 'services', roles: ['Service'], entities: ['Order'] }]);
  assert.deepEqual(model.topFanIn, ['apps/rt/src/lib.rs']);
  assert.deepEqual(model.modules, [
    { path: 'apps/rt/src/main.rs', language: 'rust', loc: 120, imports: ['apps/rt/src/lib.rs'] },
    { path: 'apps/rt/src/lib.rs', language: 'rust', imports: ['apps/rt/src/util.rs', 'apps/rt/src/db.rs'] },
  ]);
});

test('a Windows model (\\\\?\\C:\\…): absolute paths become workspace-relative with slashes', async () => {
  const result = await read(
    JSON.stringify({
      root: '\\\\?\\C:\\Users\\ana\\shop',
      modules: [
        { path: 'C:\\Users\\ana\\shop\\apps\\web\\src\\App.tsx', language: 'typescript', loc: 10, imports: [] },
      ],
      skeleton: [{ dir: 'apps\\web\\src', role: 'source', files: 3 }],
      projects: [
        {
          name: 'web',
          dir: '\\\\?\\c:\\users\\ana\\shop\\apps\\web',
          kind: 'npm',
          code_files: 3,
          frameworks: ['react'],
        },
      ],
    }),
  );
  assert.deepEqual(result.warnings, []);
  assert.equal(result.model?.root, '\\\\?\\C:\\Users\\ana\\shop');
  assert.equal(result.model?.modules[0]?.path, 'apps/web/src/App.tsx');
  assert.equal(result.model?.skeleton[0]?.dir, 'apps/web/src');
  assert.equal(result.model?.projects[0]?.dir, 'apps/web');
});

test('unreadable entries are skipped and counted; a section of the wrong kind is a warning', async () => {
  const result = await read(
    JSON.stringify({
      projects: [{ name: 'ok', dir: 'apps/ok' }, { name: 'no dir' }, 42],
      roles: { affix: 'Service' },
    }),
  );
  assert.deepEqual(
    result.model?.projects.map((p) => p.dir),
    ['apps/ok'],
  );
  assert.deepEqual(result.warnings, [
    '.claude/grain.model.json: roles is a mapping, not a list; ignored',
    '.claude/grain.model.json: 2 of 3 projects entries could not be read; skipped',
  ]);
});

test('broken JSON is a warning naming file:line:col', async () => {
  const result = await read('{\n  "projects": [\n    {"dir": "a",}\n  ]\n}');
  assert.equal(result.model, undefined);
  assert.match(result.warnings[0] ?? '', /^\.claude\/grain\.model\.json:3:17 JSON syntax error/);
});

test('a 2.4 MB model loads completely', async () => {
  const text = largeGrainModel(2.4 * 2 ** 20);
  assert.ok(text.length >= 2.4 * 2 ** 20);
  const result = await read(text);
  assert.deepEqual(result.warnings, []);
  const modules = (JSON.parse(text) as { modules: unknown[] }).modules.length;
  assert.ok(modules > 1000);
  assert.equal(result.model?.modules.length, modules);
  assert.deepEqual(
    result.model?.projects.map((p) => p.dir),
    ['', 'apps/rt', 'apps/web'],
  );
  assert.equal(result.model?.roles.length, 6);
});
