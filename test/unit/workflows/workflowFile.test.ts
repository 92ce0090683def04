import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EngineUsageError } from '../../../src/core/errors';
import { PHASES } from '../../../src/core/pipeline/kernel/phase';
import { ProjectFileError } from '../../../src/core/project/sources/errors';
import { parseWorkflow } from '../../../src/core/project/workflows/workflowFile';
import { workflowJsonSchema } from '../../../src/core/project/workflows/workflowJsonSchema';
import { listWorkflows, loadWorkflow, shippedWorkflowsDir } from '../../../src/core/project/workflows/workflows';
import { checkWorkflowFile } from '../../../src/core/project/workflows/workflowCheck';
import { tempWorkspace } from '../../support/tempWorkspace';

const ROOT = resolve(__dirname, '../../..');
const FILE = '.claude/workflows/broken.yaml';

/** The error a broken workflow text gives: its file:line:column key and message. */
function problemOf(text: string): ProjectFileError {
  try {
    parseWorkflow(text, FILE);
  } catch (error) {
    assert.ok(error instanceof ProjectFileError, String(error));
    return error;
  }
  assert.fail('the workflow parsed');
}

test("workflows: the shipped feature, slice and squads parse; feature lists today's phases in order", async () => {
  const dir = shippedWorkflowsDir();
  assert.equal(dir, join(ROOT, '.claude', 'workflows'));
  const feature = await loadWorkflow(ROOT, 'feature', join(ROOT, '.claude'));
  assert.equal(feature.origin, 'workspace'); // this repository is a workspace that has the file
  assert.deepEqual(
    feature.phases.map((p) => p.name),
    [PHASES.sync, PHASES.understand, PHASES.spec, PHASES.implement, PHASES.review, PHASES.complete, PHASES.deploy],
  );
  const slice = await loadWorkflow(ROOT, 'slice');
  assert.deepEqual(
    slice.phases.map((p) => p.name),
    ['SYNC', 'UNDERSTAND', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'COMPLETE'],
  );
  assert.deepEqual(slice.phases.find((p) => p.name === 'E')?.gate, { human: ['pm'] });
  assert.deepEqual(slice.phases.find((p) => p.name === 'F')?.gate, { check: ['sections', 'dictionary', 'trace'] });
  const squads = await loadWorkflow(ROOT, 'squads');
  const proposal = squads.phases.find((p) => p.name === 'PROPOSAL');
  assert.deepEqual([proposal?.reviewer, proposal?.maxRounds], ['cto', 3]);
  assert.equal(squads.phases.find((p) => p.name === 'BACKLOG')?.fanOut, 'squads');
});

test("workflows: a workspace file wins over the shipped one; the listing marks each and shows a broken file's problem", async () => {
  const ws = await tempWorkspace({
    '.claude/workflows/feature.yaml': 'phases:\n  - name: ONLY\n    gate: none\n',
    '.claude/workflows/broken.yaml': 'phases:\n  - name: A\n    gates: none\n',
    '.claude/workflows/notes.txt': 'not a workflow',
  });
  try {
    const feature = await loadWorkflow(ws.dir, 'feature');
    assert.deepEqual(
      [feature.origin, feature.file, feature.phases.map((p) => p.name)],
      ['workspace', '.claude/workflows/feature.yaml', ['ONLY']],
    );
    const listed = await listWorkflows(ws.dir);
    assert.deepEqual(
      listed.map((w) => [w.name, w.origin]),
      [
        ['broken', 'workspace'],
        ['feature', 'workspace'],
        ['slice', 'shipped'],
        ['squads', 'shipped'],
      ],
    );
    assert.equal(
      listed[0]?.problem,
      '.claude/workflows/broken.yaml:3:5 phases[0].gates: unknown key; did you mean `gate`?',
    );
    assert.deepEqual(
      listed.find((w) => w.name === 'slice')?.phases.find((p) => p.name === 'B'),
      {
        name: 'B',
        title: 'Architecture and resilience — ADRs, happy-path and rollback sequences, states',
        role: 'architect',
        gate: 'check (sections, adr, mermaid)',
        documents: ['{spec}/adr.md', '{spec}/diagrams.md'],
      },
    );
    await assert.rejects(
      loadWorkflow(ws.dir, 'nope'),
      (error: unknown) =>
        error instanceof EngineUsageError &&
        /No workflow "nope".*one of: broken, feature, slice, squads/.test(error.message),
    );
    await assert.rejects(loadWorkflow(ws.dir, '../x'), EngineUsageError);
  } finally {
    await ws.cleanup();
  }
});

test('workflows: a broken file names its file, line, column and key', () => {
  const cases: [string, string][] = [
    [
      'phases:\n  - name: A\n    gate: none\n  - name: B\n    gate: humann\n',
      '.claude/workflows/broken.yaml:5:5 phases[1].gate: expected "none", "human" or a mapping, got "humann"',
    ],
    [
      'phases:\n  - name: A\n    inputs: [request, Z.prd]\n',
      '.claude/workflows/broken.yaml:3:23 phases[0].inputs[1]: unknown input "Z.prd": an input is one of request, spec, census, or <phase>.<document> of an earlier phase',
    ],
    [
      'phases:\n  - name: A\n    outputs:\n      - document: prd\n        path: docs/prd.md\n  - name: B\n    inputs: [A.adr]\n',
      '.claude/workflows/broken.yaml:7:14 phases[1].inputs[0]: phase A has no document "adr" (it has: prd)',
    ],
    [
      'phases:\n  - name: A\n  - name: A\n',
      '.claude/workflows/broken.yaml:3:5 phases[1].name: phase "A" is named twice',
    ],
    [
      'phases:\n  - name: SPEC\n    uses: spec\n    gate: none\n',
      '.claude/workflows/broken.yaml:4:5 phases[0].gate: spec: the spec waits for approval: gate: human',
    ],
    [
      'phases:\n  - name: IMPLEMENT\n    uses: implement\n    gate: { check: [validate] }\n',
      '.claude/workflows/broken.yaml:3:5 phases[0].uses: implement needs the approved spec: put a phase with "uses: spec" before it',
    ],
    [
      'phases:\n  - name: A\n    outputs:\n      - document: x\n        path: .claude/x.md\n',
      '.claude/workflows/broken.yaml:5:9 phases[0].outputs[0].path: no agent writes .claude/**: choose a path outside it',
    ],
    [
      'phases:\n  - name: A\n    outputs:\n      - document: x\n        path: "docs/{squad}.md"\n',
      '.claude/workflows/broken.yaml:5:9 phases[0].outputs[0].path: {squad} needs fanOut: squads',
    ],
    [
      'phases:\n  - name: A\n    reviewer: cto\n',
      '.claude/workflows/broken.yaml:3:5 phases[0].reviewer: a reviewed phase needs maxRounds (how many rounds before it stops)',
    ],
    [
      'phases:\n  - name: A\n    budgetShare: 0.7\n  - name: B\n    budgetShare: 0.6\n',
      ".claude/workflows/broken.yaml:5:5 phases[1].budgetShare: the phases' budget shares add up to 1.30, more than the whole budget (1)",
    ],
    [
      'phases:\n  - name: A\n    maxRounds: two\n',
      '.claude/workflows/broken.yaml:3:5 phases[0].maxRounds: expected a number, got "two"',
    ],
    [
      'phases:\n  - name: A\n    role: { agent: cto, acess: write }\n',
      '.claude/workflows/broken.yaml:3:25 phases[0].role.acess: unknown key',
    ],
    [
      'phases:\n  - name: A\n    role: { agent: cto, runner: codx }\n',
      '.claude/workflows/broken.yaml:3:25 phases[0].role.runner: unknown runner "codx": a role\'s runner is one of agent, claude-code, codex, gemini, copilot, opencode',
    ],
    [
      'phases:\n  - name: A\n   gate: none\n',
      '.claude/workflows/broken.yaml:3:1 YAML syntax error: Sequence item without - indicator',
    ],
    ['phases: []\n', '.claude/workflows/broken.yaml:1:1 phases: must have at least 1 items'],
    ['# nothing yet\n', '.claude/workflows/broken.yaml:1 phases: missing (expected a list of phases)'],
  ];
  assert.deepEqual(
    cases.map(([text]) => problemOf(text).message),
    cases.map(([, message]) => message),
  );
});

test('workflows: workflow check names the file as given, relative to the workspace', async () => {
  const ws = await tempWorkspace({
    'flows/x.yaml': 'phases:\n  - name: A\n    gate: { check: [] }\n',
    'flows/ok.yaml':
      'description: two steps\nphases:\n  - name: A\n  - name: B\n    gate: { check: [mermaid, npm test] }\n',
  });
  try {
    await assert.rejects(checkWorkflowFile(ws.dir, join(ws.dir, 'flows/x.yaml')), {
      message: 'flows/x.yaml:3:13 phases[0].gate.check: must have at least 1 items',
    });
    await assert.rejects(checkWorkflowFile(ws.dir, 'flows/missing.yaml'), {
      message: 'cannot read flows/missing.yaml: ENOENT',
    });
    const ok = await checkWorkflowFile(ws.dir, 'flows/ok.yaml');
    assert.deepEqual(ok, {
      name: 'ok',
      file: 'flows/ok.yaml',
      description: 'two steps',
      phases: [
        { name: 'A', gate: 'none', documents: [] },
        { name: 'B', gate: 'check (mermaid, npm test)', documents: [] },
      ],
    });
  } finally {
    await ws.cleanup();
  }
});

test('workflows: media/workflow.schema.json is the schema the engine checks with (node scripts/workflow-schema.mjs rewrites it)', () => {
  const committed = JSON.parse(readFileSync(join(ROOT, 'media', 'workflow.schema.json'), 'utf8')) as unknown;
  assert.deepEqual(committed, workflowJsonSchema());
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { yamlValidation: { fileMatch: string; url: string }[] };
  };
  assert.deepEqual(
    pkg.contributes.yamlValidation.find((v) => v.url === './media/workflow.schema.json'),
    { fileMatch: '**/.claude/workflows/*.yaml', url: './media/workflow.schema.json' },
  );
  const schema = workflowJsonSchema() as {
    properties: { phases: { items: { properties: Record<string, { description?: string }> } } };
  };
  assert.match(schema.properties.phases.items.properties.gate?.description ?? '', /human/);
});
