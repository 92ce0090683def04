import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adrProblems, missingSections } from '../../../src/core/pipeline/workflow/checks/documentChecks';

const ADRS = `# Architecture decisions

## ADR-001: An adapter per supplier
### Context
Budget speaks SOAP, Hertz REST.
### Decision
One SupplierAdapter interface.
### Consequences
A new supplier is one class.

## ADR-002: Outbox for the supplier call
### Contexto
El pago puede confirmarse y el proveedor fallar.
### 2. **Decisión**
Tabla outbox_events.

\`\`\`
## ADR-003: inside a code block, not an ADR
\`\`\`
`;

test('document checks: required sections by heading (any level, numbered, emphasised); every ADR has Context, Decision, Consequences (also in Spanish and Portuguese)', () => {
  assert.deepEqual(
    missingSections('# PRD\n## 1. Requirements\n### **API Contracts** (failures included)\n', [
      'Requirements',
      'API Contracts',
    ]),
    [],
  );
  assert.deepEqual(
    missingSections('# QA report\n## Integration\n## UAT:\n', ['Integration', 'Concurrency', 'Stress', 'UAT']),
    [
      { line: 1, message: 'missing section "Concurrency"' },
      { line: 1, message: 'missing section "Stress"' },
    ],
  );
  assert.deepEqual(adrProblems(ADRS), [
    {
      line: 11,
      message:
        'ADR-002: Outbox for the supplier call lacks Consequences (an ADR has Context, Decision and Consequences)',
    },
  ]);
  assert.deepEqual(adrProblems('# Decisão\n## Contexto\n## Decisão\n## Consequências\n'), []);
  assert.deepEqual(adrProblems('# Notes\nno sections at all\n'), [
    {
      line: 1,
      message: 'the document lacks Context, Decision, Consequences (an ADR has Context, Decision and Consequences)',
    },
  ]);
});
