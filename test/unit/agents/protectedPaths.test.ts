// Protected paths (issue 8, point 2): whatever owns says, agents never write .git/**,
// .claude/**, .vscode/** or .gitignore, in any spelling a file system would open as them;
// an owns glob that can match one is a config error; bidi controls in paths are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { parseConfig } from '../../../src/core/project/config/config';
import { ProjectFileError } from '../../../src/core/project/sources/errors';
import { link, snapshotTree, useToolSandbox } from '../../support/agents/agentTestKit';

// The widest owns a guard can be given (the config refuses it; the guard must hold anyway).
const OWNS = ['**'];
const tools = useToolSandbox(
  {
    '.claude/orchestrator.yaml': 'version: 1\n',
    '.vscode/settings.json': '{}\n',
    '.gitignore': 'node_modules/\n',
    'server/.gitignore': 'dist/\n',
    'server/index.ts': 'export {};\n',
  },
  OWNS,
  {
    prepare: async (box) => {
      await link(join(box.ws, '.claude'), join(box.ws, 'server', 'cfg'));
    },
  },
);

const write = (path: string) => tools.call('write_file', { path, content: 'x' });

test('writes into protected paths are refused in every spelling, and nothing changes', async () => {
  const before = await snapshotTree(tools.box.ws);
  const attempts = [
    '.claude/orchestrator.yaml',
    '.claude/runs/r/events.jsonl',
    '.CLAUDE/orchestrator.yaml',
    '.Claude./orchestrator.yaml',
    'CLAUDE~1/orchestrator.yaml',
    '.claude::$INDEX_ALLOCATION/x',
    '．ｃｌａｕｄｅ/x',
    '.vscode/settings.json',
    '.VSCode/tasks.json',
    'VSCODE~1/settings.json',
    '.gitignore',
    '.GITIGNORE',
    '.gitignore ',
    '.gıtignore',
    'GITIGN~1',
    'server/.gitignore',
    'web/.gitignore',
    '.git/hooks/pre-commit',
    'web/.claude/x',
    'server/cfg/orchestrator.yaml',
  ];
  for (const path of attempts) {
    const out = await write(path);
    assert.equal(out.isError, true, `${JSON.stringify(path)} was written`);
    assert.match(out.content, /^refused: /, path);
  }
  assert.match(
    (await write('.claude/orchestrator.yaml')).content,
    /is under \.claude\/\*\*, which agents never write whatever their owns say/,
  );
  assert.match(
    (await write('server/cfg/orchestrator.yaml')).content,
    /through a symlink to "\.claude\/orchestrator\.yaml"/,
  );
  for (const tool of ['edit_file', 'delete_file']) {
    const out = await tools.call(tool, { path: '.vscode/settings.json', old_text: '{}', new_text: '{"x":1}' });
    assert.match(out.content, /^refused: .*\.vscode\/\*\*/, tool);
  }
  // Installed packages run as the project's tools (npx tsc → node_modules/.bin/tsc).
  for (const path of ['server/node_modules/.bin/tsc', 'node_modules/typescript/bin/tsc', 'Node_Modules/x.js']) {
    assert.match((await write(path)).content, /^refused: .*node_modules/, path);
  }
  assert.deepEqual(await snapshotTree(tools.box.ws), before);
  assert.equal((await write('server/ok.ts')).isError, false, 'an ordinary owned path is still writable');
});

test('paths with bidi or invisible control characters are refused, for reads and writes, and shown escaped', async () => {
  for (const path of [
    'server/\u202Egnp.ts',
    'server/a\u2066b.ts',
    'server/\u200Bindex.ts',
    'server/x\u061C.ts',
    'server/\uFEFFa.ts',
  ]) {
    for (const out of [await write(path), await tools.call('read_file', { path })]) {
      assert.equal(out.isError, true, path);
      assert.match(out.content, /control character U\+[0-9A-F]{4}/);
      assert.doesNotMatch(
        out.content,
        /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u061C\uFEFF]/,
        'the refusal repeats the character',
      );
    }
  }
});

test('an owns glob that can match a protected path is a config error naming the key and both globs', () => {
  const cases: [string, string][] = [
    ['**', '.git/**'],
    ['*/**', '.git/**'],
    ['**/*.ts', '.git/**'],
    ['.claude/**', '.claude/**'],
    ['.Claude/context/*.md', '.claude/**'],
    ['.c*/**', '.claude/**'],
    ['{src,.vscode}/**', '.vscode/**'],
    ['.gitignore', '.gitignore'],
    ['*', '.gitignore'],
    ['[.]claude/**', '.claude/**'],
  ];
  for (const [glob, protectedGlob] of cases) {
    const text = `version: 1\nlayers:\n  backend: { owns: ["server/**"] }\n  everything:\n    owns: ["src/**", ${JSON.stringify(glob)}]\n`;
    assert.throws(
      () => parseConfig(text),
      (error: unknown) => {
        assert.ok(error instanceof ProjectFileError);
        assert.equal(error.key, 'layers.everything.owns[1]', glob);
        assert.equal(error.line, 5);
        assert.ok(
          error.message.includes(
            `owns glob ${JSON.stringify(glob)} can match the protected path ${JSON.stringify(protectedGlob)}`,
          ),
          error.message,
        );
        return true;
      },
    );
  }
  for (const glob of ['server/**', 'src/**/*.ts', '.github/**', 'web/.eslintrc']) {
    parseConfig(`version: 1\nlayers:\n  x: { owns: [${JSON.stringify(glob)}] }\n`);
  }
});

test('nested .gitattributes, .gitmodules and every other .git* file are protected like .gitignore; .github/ folders are not', async () => {
  const before = await snapshotTree(tools.box.ws);
  for (const path of [
    'server/.gitattributes',
    '.gitattributes',
    'server/.gitmodules',
    'web/x/.GITATTRIBUTES',
    'server/.gitkeep',
    'server/.gitattributes.',
    'server/GITATT~1',
  ]) {
    const out = await write(path);
    assert.equal(out.isError, true, `${JSON.stringify(path)} was written`);
    assert.match(out.content, /^refused: .*\.git\*/, path);
  }
  assert.deepEqual(await snapshotTree(tools.box.ws), before);
  assert.equal(
    (await write('server/.github/workflows/ci.yml')).isError,
    false,
    'a folder named .github is an ordinary folder',
  );
  assert.equal((await write('server/gitattributes.md')).isError, false);
});
