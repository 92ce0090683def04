import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/core/project/config';
import { contextPathFor, loadAgentContext } from '../../../src/core/project/context';
import { tempWorkspace } from './tempWorkspace';

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
  const { dir, cleanup } = await tempWorkspace({
    '.claude/context/backend.core.md': 'SOURCE — must not be used',
    '.claude/context/backend.context.md': '# Backend\ncompiled',
    'docs/agents/web.context.md': '# Web',
  });
  try {
    assert.deepEqual(await loadAgentContext(dir, config, 'backend'), { path: '.claude/context/backend.context.md', content: '# Backend\ncompiled' });
    assert.equal((await loadAgentContext(dir, config, 'web')).content, '# Web');
  } finally {
    await cleanup();
  }
});

test('a missing context file gives undefined content and a warning', async () => {
  const { dir, cleanup } = await tempWorkspace({ '.claude/context/review.core.md': 'source only' });
  try {
    const context = await loadAgentContext(dir, config, 'review');
    assert.equal(context.content, undefined);
    assert.match(context.warning ?? '', /no context file for "review" at \.claude\/context\/review\.context\.md/);
  } finally {
    await cleanup();
  }
});

test('a hand-built config pointing at a .core.md source is refused with a warning', async () => {
  const { dir, cleanup } = await tempWorkspace({ 'x.core.md': 'source' });
  try {
    const bad = { ...config, layers: { ...config.layers, api: { owns: ['api/**'], validate: [], after: [], context: 'x.core.md' } } };
    const context = await loadAgentContext(dir, bad, 'api');
    assert.equal(context.content, undefined);
    assert.match(context.warning ?? '', /only compiled \.context\.md/);
  } finally {
    await cleanup();
  }
});
