import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../../src/core/project/config/config';
import { contextPathFor, loadAgentContext } from '../../../src/core/project/context/context';
import { inTempWorkspace } from '../../support/tempWorkspace';

const config = parseConfig(`layers:
  backend: { owns: [server/**] }
  web: { owns: [web/**], context: docs/agents/web.context.md }
`);

test('context path: the layer setting, else .claude/context/{agent}.context.md', () => {
  assert.equal(contextPathFor(config, 'backend'), '.claude/context/backend.context.md');
  assert.equal(contextPathFor(config, 'review'), '.claude/context/review.context.md');
  assert.equal(contextPathFor(config, 'web'), 'docs/agents/web.context.md');
  assert.throws(() => contextPathFor(config, '../secrets'), /invalid agent name/);
});

test('reads the compiled context file, never the .core.md source', async () => {
  await inTempWorkspace(
    {
      '.claude/context/backend.core.md': 'SOURCE — must not be used',
      '.claude/context/backend.context.md': '# Backend\ncompiled',
      'docs/agents/web.context.md': '# Web',
    },
    async (dir) => {
      assert.deepEqual(await loadAgentContext(dir, config, 'backend'), {
        path: '.claude/context/backend.context.md',
        content: '# Backend\ncompiled',
      });
      assert.equal((await loadAgentContext(dir, config, 'web')).content, '# Web');
    },
  );
});

test('a missing context file gives undefined content and a warning', async () => {
  await inTempWorkspace({ '.claude/context/review.core.md': 'source only' }, async (dir) => {
    const context = await loadAgentContext(dir, config, 'review');
    assert.equal(context.content, undefined);
    assert.match(context.warning ?? '', /no context file for "review" at \.claude\/context\/review\.context\.md/);
  });
});

test('a hand-built config pointing at a .core.md source is refused with a warning', async () => {
  await inTempWorkspace({ 'x.core.md': 'source' }, async (dir) => {
    const bad = {
      ...config,
      layers: { ...config.layers, api: { owns: ['api/**'], validate: [], after: [], context: 'x.core.md' } },
    };
    const context = await loadAgentContext(dir, bad, 'api');
    assert.equal(context.content, undefined);
    assert.match(context.warning ?? '', /only compiled \.context\.md/);
  });
});

// Mustard keeps sources per agent and compiles them (docs/configuration.md); a fresh clone has no compiled file.
const SOURCES = {
  '.claude/context/shared/conventions.md': '# Shared conventions\nUTC everywhere.\n',
  '.claude/context/shared/README.md': 'How this folder works: not content.',
  '.claude/context/backend/routes.md': '# Routes\nOne router per module.\n\n\n\nNo default exports.\n',
  '.claude/context/backend/backend.core.md': '# Backend core\nServices never import controllers.\n',
  '.claude/context/backend/README.md': 'not content',
  '.claude/context/backend/notes.txt': 'not markdown',
};

test('no compiled file: the sources are compiled in memory (shared first, .core.md first, READMEs left out), with a warning', async () => {
  await inTempWorkspace(SOURCES, async (dir) => {
    const context = await loadAgentContext(dir, config, 'backend');
    assert.equal(
      context.content,
      [
        '<!-- compiled in memory by Orchestrator from: .claude/context/shared/conventions.md, .claude/context/backend/backend.core.md, .claude/context/backend/routes.md -->',
        '# Backend Compiled Context',
        '',
        '## Shared Context',
        '',
        'UTC everywhere.',
        '',
        '## Backend Context',
        '',
        'Services never import controllers.',
        '',
        'One router per module.',
        '',
        'No default exports.',
      ].join('\n'),
    );
    assert.deepEqual(context.compiledFrom, [
      '.claude/context/shared/conventions.md',
      '.claude/context/backend/backend.core.md',
      '.claude/context/backend/routes.md',
    ]);
    assert.match(
      context.warning ?? '',
      /^\.claude\/context\/backend\.context\.md does not exist: "backend" uses its 3 source files compiled in memory \(.*\); run the project's sync \(sync-compile\) to write it$/,
    );
    // An agent with no folder of its own still gets the shared sources.
    assert.match(
      (await loadAgentContext(dir, config, 'review')).content ?? '',
      /## Shared Context\n\nUTC everywhere\./,
    );
  });
});

test('a compiled file older than a source is replaced by the sources in memory; a newer one is used as it is', async () => {
  await inTempWorkspace(
    { ...SOURCES, '.claude/context/backend.context.md': '# Backend Compiled Context\nold compile' },
    async (dir) => {
      const past = new Date(Date.now() - 60_000);
      await utimes(join(dir, '.claude/context/backend.context.md'), past, past);
      const stale = await loadAgentContext(dir, config, 'backend');
      assert.match(
        stale.warning ?? '',
        /^\.claude\/context\/backend\.context\.md is older than its sources: "backend" uses its 3 source files compiled in memory/,
      );
      assert.match(stale.content ?? '', /Services never import controllers\./);

      const future = new Date(Date.now() + 60_000);
      await utimes(join(dir, '.claude/context/backend.context.md'), future, future);
      assert.deepEqual(await loadAgentContext(dir, config, 'backend'), {
        path: '.claude/context/backend.context.md',
        content: '# Backend Compiled Context\nold compile',
      });
    },
  );
});

test('a compiled file whose compiled-from-hash matches its sources is used even when its time says older (a fresh clone)', async () => {
  const own = [SOURCES['.claude/context/backend/backend.core.md'], SOURCES['.claude/context/backend/routes.md']].join(
    '\n',
  );
  const hash = createHash('sha256').update(own, 'utf8').digest('hex');
  const compiled = `<!-- compiled-from-hash: ${hash} -->\n<!-- compiled-at: 2026-11-01T10:00:00.000Z -->\n# Backend Compiled Context\nfrom the project's compiler`;
  await inTempWorkspace({ ...SOURCES, '.claude/context/backend.context.md': compiled }, async (dir) => {
    const past = new Date(Date.now() - 60_000);
    await utimes(join(dir, '.claude/context/backend.context.md'), past, past);
    assert.deepEqual(await loadAgentContext(dir, config, 'backend'), {
      path: '.claude/context/backend.context.md',
      content: compiled,
    });
  });
});
