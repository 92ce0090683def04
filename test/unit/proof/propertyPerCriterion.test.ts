import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunContext } from '../../../src/core/pipeline/kernel';
import { propertyLibraries } from '../../../src/core/pipeline/proof/proofInputs';
import { proofTask } from '../../../src/core/pipeline/proof/proofPrompts';
import { loadConfigText } from '../../../src/core/project/config';
import { parseRequirements } from '../../../src/core/trace';
import { json, makeRepo } from '../../support/census';

// PROVE reads only the workspace and the config: a context of those two is the whole input.
test("the proof agent is told each criterion's library: one line when one serves all, else one per group with its language and folder", async () => {
  const repo = await makeRepo({
    'web/package.json': json({ name: 'web', devDependencies: { 'fast-check': '3', typescript: '5' } }),
    'web/src/cart.ts': 'export {};\n',
    'api/pyproject.toml': '[project]\nname = "api"\n[dependency-groups]\ndev = ["pytest", "hypothesis"]\n',
    'api/app/prices.py': '',
  });
  try {
    const config = await loadConfigText(
      repo.dir,
      'version: 1\nlayers:\n  api:\n    owns: ["api/**"]\n  web:\n    owns: ["web/**"]\n    after: [api]\n',
    );
    const spec = [
      '## Spec: Discounts',
      '',
      '### Requirements',
      '',
      '#### REQ-1: Prices',
      '**Acceptance criteria**',
      '- REQ-1.1: For any price THE api SHALL never return a negative discounted price.',
      '',
      '#### REQ-2: Cart',
      '**Acceptance criteria**',
      '- REQ-2.1: For every cart THE web app SHALL show the total.',
      '',
      '### Files to Create/Modify',
      '',
      '#### Api',
      '- [ ] api/app/prices.py: discounts',
      '',
      '#### Web',
      '- [ ] web/src/cart.ts: the total',
      '',
      '### Tasks',
      '1. [ ] Api: api/app/prices.py computes discounts (REQ-1)',
      '2. [ ] Web: web/src/cart.ts shows the total (REQ-2)',
      '',
    ].join('\n');
    const criteria = parseRequirements(spec).requirements.flatMap((r) => r.criteria);
    const ctx = { workspace: repo.dir, config } as unknown as RunContext;
    const properties = await propertyLibraries(ctx, spec, criteria, undefined);
    assert.deepEqual(properties, [
      { criteria: ['REQ-1.1'], library: 'hypothesis', installed: true, language: 'python', unit: 'api' },
      { criteria: ['REQ-2.1'], library: 'fast-check', installed: true, language: 'typescript', unit: 'web' },
    ]);
    const task = proofTask({ criteria, spec, named: [], ...(properties ? { properties } : {}) });
    assert.match(
      task,
      /## PROPERTY-BASED TESTING\nEach criterion's code has its own library \(its language, its folder\): for the quantified ones,\n- REQ-1\.1 \(python, api\/\): use hypothesis\n- REQ-2\.1 \(typescript, web\/\): use fast-check\n/,
    );
    assert.doesNotMatch(task, /The project has fast-check/);
  } finally {
    await repo.cleanup();
  }
});
