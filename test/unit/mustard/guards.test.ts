import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractGuards, guardsForLayer, readGuards } from '../../../src/core/mustard';
import type { OrchestratorConfig } from '../../../src/core/project/config/config';
import { tempWorkspace } from '../../support/tempWorkspace';

const MARKED = `# rt

Runtime crate. See [the docs](../../docs/rt.md).

## Guards
<!-- mustard:guards -->
<!-- facts: kind=cargo; frameworks=tokio,axum -->
- Nunca use \`unwrap()\` fora dos testes.
- Toda rota nova passa pelo middleware de auth.
<!-- /mustard:guards -->

## Links
- [Contributing](../../CONTRIBUTING.md)
`;

test('a guards section between markers: the rules, without the facts comment, the markers or what follows', () => {
  assert.equal(
    extractGuards(MARKED),
    '- Nunca use `unwrap()` fora dos testes.\n- Toda rota nova passa pelo middleware de auth.',
  );
});

test('a guards section without markers runs to the next heading of its level', () => {
  const text =
    '# web\n\n## Guards\n\nComponents never fetch on their own: data comes from the hooks in `src/api`.\n\nKeep every string in the i18n files.\n\n### Why\nHistory.\n\n## Other\n- not a guard\n';
  assert.equal(
    extractGuards(text),
    'Components never fetch on their own: data comes from the hooks in `src/api`.\n\nKeep every string in the i18n files.\n\n### Why\nHistory.',
  );
});

test('[critical] lines are kept as written', () => {
  const text =
    '## Guards\n<!-- mustard:guards -->\n[critical] never println! in apps/translate/src/**\n[warn] prefer tracing spans\n<!-- /mustard:guards -->\n';
  assert.equal(extractGuards(text), '[critical] never println! in apps/translate/src/**\n[warn] prefer tracing spans');
});

test('a root file whose guards hold only a comment has no guards; a file without a section neither', () => {
  assert.equal(
    extractGuards(
      '# shop\n\n## Guards\n<!-- mustard:guards -->\n<!-- kind=workspace; frameworks= -->\n<!-- /mustard:guards -->\n',
    ),
    undefined,
  );
  assert.equal(extractGuards('# shop\n\nJust a readme.\n'), undefined);
  // A "## Guards" heading inside a code block is not the section.
  assert.equal(extractGuards('# x\n```md\n## Guards\n- inside a fence\n```\n'), undefined);
});

test('very long guards are cut with a note', () => {
  const text = `## Guards\n${'- a rule that goes on and on\n'.repeat(400)}`;
  const rules = extractGuards(text) ?? '';
  assert.ok(rules.length < 4200);
  assert.match(rules, /… \(cut: the full rules are in the CLAUDE\.md\)$/);
});

test('guards go to the layer owning their folder; the root ones to every layer', async () => {
  const ws = await tempWorkspace({
    'CLAUDE.md': '# repo\n## Guards\n- Commit messages in English.\n',
    'apps/rt/CLAUDE.md': MARKED,
    'apps/web/CLAUDE.md': '# web\n## Guards\n- No inline styles.\n',
    'apps/unused/CLAUDE.md': '# not looked at: no layer works there\n## Guards\n- x\n',
  });
  try {
    const config = {
      layers: { rt: { owns: ['apps/rt/src/**', 'apps/rt/Cargo.toml'] }, web: { owns: ['apps/web/**'] } },
    } as unknown as OrchestratorConfig;
    const guards = await readGuards(ws.dir, ['apps', 'apps/rt', 'apps/rt/src', 'apps/web']);
    assert.deepEqual(
      guards.map((g) => g.file),
      ['CLAUDE.md', 'apps/rt/CLAUDE.md', 'apps/web/CLAUDE.md'],
    );
    assert.deepEqual(
      guardsForLayer(config, 'rt', guards).map((g) => g.file),
      ['CLAUDE.md', 'apps/rt/CLAUDE.md'],
    );
    assert.deepEqual(
      guardsForLayer(config, 'web', guards).map((g) => g.file),
      ['CLAUDE.md', 'apps/web/CLAUDE.md'],
    );
  } finally {
    await ws.cleanup();
  }
});
