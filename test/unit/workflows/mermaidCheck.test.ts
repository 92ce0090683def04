import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { engine } from '../../../src/core/engine';
import { mermaidProblems } from '../../../src/core/mermaid/room';
import { productAgents } from '../../support/engine/agentScript';
import { harness, journalOf } from '../../support/engine/harness';

const fence = '```';

/** Seed 000's phase B documents: the happy path and the rollback as sequences, the order's states. */
const DIAGRAMS = `# Checkout diagrams

## Happy path
${fence}mermaid
sequenceDiagram
  participant C as Client
  participant API
  C->>API: POST /orders
  API-->>C: 201 Created
${fence}

## Rollback
${fence}mermaid
---
title: The supplier fails after payment
---
%% the outbox retries, then the payment is refunded
sequenceDiagram
  API->>Supplier: reserve
  Supplier-->>API: 503
  API->>Payments: refund
${fence}

## States
- The order:

  ~~~mermaid
  stateDiagram-v2
    [*] --> Draft
    Draft --> Paid: pay
    Paid --> Refunded: supplier failed
    Paid --> [*]
  ~~~

${fence}mermaid
flowchart LR
  Client --> API --> Supplier
${fence}
`;

/** The rollback's refund arrow lost its target (line 21), and the state block lost its closing brace (the block's last line, 33). */
const BROKEN = DIAGRAMS.replace('  API->>Payments: refund', '  API->>: refund').replace(
  '    Paid --> [*]\n',
  '    state Paid {\n      Reserved --> Confirmed\n',
);

test("mermaid: sequence, state and flowchart blocks parse with Mermaid's parser; an error is placed on the document's line (front matter, comments, fences in lists counted)", async () => {
  assert.deepEqual(await mermaidProblems(DIAGRAMS), []);
  const problems = await mermaidProblems(BROKEN);
  assert.equal(BROKEN.split('\n')[20], '  API->>: refund');
  assert.equal(BROKEN.split('\n')[32], '      Reserved --> Confirmed');
  assert.deepEqual(
    problems.map((p) => [p.line, p.severity]),
    [
      [21, 'error'],
      [33, 'error'],
    ],
  );
  assert.equal(
    problems[0]!.message,
    "Mermaid block (sequenceDiagram) at line 13 does not parse: Parse error on line 4 of the diagram: Expecting 'link', '+', '-', '()', 'ACTOR', got 'TXT'",
  );
  assert.match(
    problems[1]!.message,
    /^Mermaid block \(stateDiagram-v2\) at line 27 does not parse: Parse error on line 6 of the diagram: Expecting .*'STRUCT_STOP'.*, got the end of the diagram$/,
  );
});

test('mermaid: an unknown diagram type is a warning; a document meant for diagrams with none is a problem', async () => {
  const unknown = await mermaidProblems(`# D\n\n${fence}mermaid\nnotADiagramYet\n  a -> b\n${fence}\n`);
  assert.deepEqual(
    unknown.map((p) => [p.line, p.severity]),
    [[3, 'warning']],
  );
  assert.match(
    unknown[0]!.message,
    /^Mermaid block \(notADiagramYet\) at line 3: unknown diagram type "notADiagramYet", not checked/,
  );
  assert.deepEqual(await mermaidProblems('# D\nno diagrams\n'), []);
  assert.deepEqual(await mermaidProblems('# D\nno diagrams\n', { required: true }), [
    { line: 1, severity: 'error', message: 'no Mermaid block (a ```mermaid fence) in the document' },
  ]);
});

const SHIPPED_FEATURE = readFileSync(resolve(__dirname, '../../../.claude/workflows/feature.yaml'), 'utf8');
/** The review phase named B and made to leave seed 000's diagrams, checked by its gate. */
const DESIGNED = SHIPPED_FEATURE.replace('  - name: REVIEW\n', '  - name: B\n').replace(
  '    gate: { check: [review] }\n',
  '    outputs:\n      - document: diagrams\n        path: docs/design/diagrams.md\n        sections: [Happy path, Rollback, States]\n        checks: [mermaid]\n    gate: { check: [review, mermaid] }\n',
);

test("mermaid: a broken block fails B's gate naming the file and line; fixed by hand, resume passes the gate; an unknown diagram only warns", async () => {
  assert.match(DESIGNED, /name: B\n[\s\S]*checks: \[mermaid\]/);
  const agents = productAgents();
  const withUnknown = `${BROKEN}\n${fence}mermaid\nnotADiagramYet\n${fence}\n`;
  const h = await harness(agents, {
    files: { '.claude/workflows/designed.yaml': DESIGNED, 'docs/design/diagrams.md': withUnknown },
  });
  try {
    const stopped = await engine.runFeature(
      'Add a Product entity with name and price',
      h.options({ workflow: 'designed' }),
    );
    assert.equal(stopped.status, 'stopped');
    const lines = stopped.report!.split('\n');
    assert.equal(lines[0], '## Pipeline stopped: the gate of phase B did not pass');
    assert.match(
      lines[1]!,
      /^- docs\/design\/diagrams\.md:21: Mermaid block \(sequenceDiagram\) at line 13 does not parse: Parse error on line 4 of the diagram: Expecting 'link'/,
    );
    assert.match(
      lines[2]!,
      /^- docs\/design\/diagrams\.md:33: Mermaid block \(stateDiagram-v2\) at line 27 does not parse: /,
    );
    assert.equal(lines[3], '### Action needed');
    const warned = journalOf(h.shop, stopped.runId).filter(
      (e) => e.type === 'log' && e.level === 'warn' && /unknown diagram type/.test(String(e.message)),
    );
    assert.equal(warned.length, 1);
    assert.match(
      String(warned[0]?.message),
      /^docs\/design\/diagrams\.md:41: Mermaid block \(notADiagramYet\) at line 41: unknown diagram type/,
    );

    h.shop.write('docs/design/diagrams.md', DIAGRAMS);
    const resumed = await engine.resumeRun(stopped.runId, h.options());
    assert.equal(resumed.status, 'completed', resumed.error);
    assert.equal(h.callsOf('review').length, 1, 'the review was not run again');
    const closed = journalOf(h.shop, resumed.runId).filter((e) => e.type === 'phase.closed');
    assert.deepEqual(closed.find((e) => e.phase === 'B')?.documents, ['docs/design/diagrams.md']);
  } finally {
    await h.close();
  }
});
