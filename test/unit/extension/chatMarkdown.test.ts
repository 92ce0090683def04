// Untrusted text in the chat (issue 38): agent output, spec text and file names escaped so the
// response shows them as text. Rendered with `marked`, the parser VS Code's markdown renderer
// uses: no link, no image, no HTML survives; a spec keeps its headings, lists, tables and code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { marked } from 'marked';
import { codeSpan, escapeInline, inertMarkdown } from '../../../src/extension/chat/markdown';
import { chatOut } from '../../../src/extension/chat/chatStream';
import { fileTree, placementMarkdown, reviewMarkdown, traceMarkdown } from '../../../src/extension/chat/runReport';

const html = (md: string) => marked.parse(md, { async: false, gfm: true });
const HOSTILE = [
  '[click](command:orchestrator.approveSpec?%5B%22x%22%5D)',
  '![pixel](https://evil.example/p.png)',
  '<img src="https://evil.example/p.png">',
  '<a href="command:workbench.action.terminal.new">x</a>',
  '<command:orchestrator.rollbackRun>',
  '[ref]: command:orchestrator.discardRun\n[ref]',
  '<!-- hidden --><script>alert(1)</script>',
  '&lt;img src=x&gt;',
  'see https://evil.example/x or www.evil.example or mail me@evil.example',
];

function assertInert(rendered: string, what: string): void {
  assert.doesNotMatch(rendered, /<a\b|<img\b|<script\b|<!--/i, `${what} rendered live: ${rendered}`);
}

test('escapeInline: every hostile line renders as its own text, on one line', () => {
  for (const text of HOSTILE) {
    const rendered = html(escapeInline(text));
    assertInert(rendered, text);
    assert.doesNotMatch(escapeInline(text), /\n/);
  }
  assert.equal(escapeInline('a\nb\r\n\tc'), 'a b c');
  assert.equal(escapeInline('x'.repeat(600)).length, 500);
  // What a reader sees is the text itself.
  assert.equal(
    html(escapeInline('server/entities/product_v2.js (*new*)')).trim(),
    '<p>server/entities/product_v2.js (*new*)</p>',
  );
});

test('codeSpan: a command with backticks stays one code span', () => {
  for (const text of ['npm test', 'echo `date`', '``x``', '`']) {
    const rendered = html(codeSpan(text));
    assert.equal((rendered.match(/<code>/g) ?? []).length, 1, rendered);
    assertInert(rendered, text);
  }
  assert.equal(html(codeSpan('<img src=x>')).trim(), '<p><code>&lt;img src=x&gt;</code></p>');
});

test('inertMarkdown: a spec keeps its structure, links, images and HTML become text', () => {
  const spec = [
    '## Spec: Product entity',
    '',
    '- [ ] 1. Backend: `server/entities/product.js`',
    '- see [the docs](https://example.com) and ![img](https://evil.example/x.png)',
    '',
    '| a | b |',
    '|---|---|',
    '| <b>x</b> | [y](command:z) |',
    '',
    '```js',
    'const a = "<img src=x>";',
    '```',
    ...HOSTILE,
  ].join('\n');
  const rendered = html(inertMarkdown(spec));
  assertInert(rendered, 'the spec');
  assert.doesNotMatch(rendered, /<b>/);
  assert.match(rendered, /<h2[^>]*>Spec: Product entity<\/h2>/);
  assert.match(rendered, /<li>\[ \] 1\. Backend: <code>server\/entities\/product\.js<\/code><\/li>/);
  assert.match(rendered, /<table>/);
  assert.match(rendered, /<code class="language-js">const a = &quot;&lt;img src=x&gt;&quot;;/);
});

test('inertMarkdown: an unclosed or hostile fence cannot swallow the rest or carry an info string', () => {
  const rendered = html(inertMarkdown('```js onload=x\ncode\n'));
  assert.match(rendered, /<code class="language-js">code/);
  assert.doesNotMatch(rendered, /onload/);
  assertInert(html(inertMarkdown('````\n```\n[x](command:y)\n````\n[z](command:w)')), 'fences');
});

test('the run report: review per criterion, traceability, file tree', () => {
  const review = reviewMarkdown({
    round: 1,
    verdict: 'approved',
    issues: [],
    criteria: [
      { id: 'REQ-1.1', verdict: 'met' },
      { id: 'REQ-1.2', verdict: 'unmet', problem: 'no [link](command:x)' },
    ],
  });
  assert.match(html(review), /REQ-1\.1: met/);
  assertInert(html(review), 'review');
  const trace = traceMarkdown({
    specId: 's',
    title: 't',
    runIds: [],
    requirementsWithoutFile: [],
    notLinked: [],
    doneBeforeImport: [],
    unlinkedTasks: [],
    criteriaWithoutTest: ['REQ-1.2'],
    byHand: {},
    rows: [
      {
        requirement: 'REQ-1',
        requirementTitle: 'x',
        criterion: 'REQ-1.1',
        criterionText: '',
        tasks: [],
        layers: [],
        files: ['a.js'],
        validation: [],
        review: 'met',
        tests: ['t.js'],
        gaps: [],
        changes: [],
      },
      {
        requirement: 'REQ-1',
        requirementTitle: 'x',
        criterion: 'REQ-1.2',
        criterionText: '',
        tasks: [],
        layers: [],
        files: ['a.js'],
        validation: [],
        review: 'met',
        tests: [],
        gaps: ['no-test'],
        changes: [],
      },
    ],
  });
  assert.match(trace, /2 criteria: 2 met in review, 2 with files, 1 with tests\./);
  assert.match(html(trace), /REQ-1\.2: no-test/);
  assert.deepEqual(fileTree(['web/src/main.js', 'db/m.sql', 'web/a.js', 'README.md', '../x']), [
    { name: 'db', children: [{ name: 'm.sql' }] },
    { name: 'web', children: [{ name: 'src', children: [{ name: 'main.js' }] }, { name: 'a.js' }] },
    { name: 'README.md' },
    { name: 'x' },
  ]);
});

test('a progress part (markdown in VS Code) holding workspace text renders as that text', () => {
  const out = chatOut(undefined, { request: 'audit', at: 0, parts: [] });
  for (const text of HOSTILE) out.progress(`Audit of ${text} (security) to 90/100`);
  out.progress('Phase SPEC');
  const sent = out.transcript.parts.map((p) => (p.kind === 'progress' ? p.value : ''));
  sent.slice(0, HOSTILE.length).forEach((value, i) => assertInert(html(value), HOSTILE[i]!));
  assert.equal(html(sent.at(-1)!).trim(), '<p>Phase SPEC</p>');
});

test("placementMarkdown: the model's layer per task naming no file and what nothing placed, shown at the chat's gate; a hostile task id or reason stays text", () => {
  const md = placementMarkdown({
    proposed: [
      { task: 'T020', layer: 'backend', reason: 'the invitation queries live in the server' },
      ...HOSTILE.map((text, i) => ({ task: `T9${i}${text.slice(0, 12)}`, layer: 'frontend', reason: text })),
    ],
    unplaced: `task T021 names no file and no layer could be told for it (layers: database owns db/**; backend owns server/**) ${HOSTILE[1]}`,
  });
  assertInert(html(md), md);
  assert.match(
    md,
    /^\*\*Where the tasks naming no file go\*\* \(the model's proposal; approving accepts it, the sidebar's layer picker changes a task\):\n- `T020` → `backend`: the invitation queries live in the server\n/,
  );
  assert.match(
    html(md),
    /<strong>Not placed:<\/strong> task T021 names no file and no layer could be told for it \(layers: database owns db\/\*\*; backend owns server\/\*\*\)/,
  );
});
