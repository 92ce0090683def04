import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confirmationsNeeded } from '../../../src/core/pipeline/agent/confirmations';
import { isDocumentation, routeFindings } from '../../../src/core/pipeline/audit/findingJobs';
import { resolveAuditSettings } from '../../../src/core/pipeline/audit/auditSettings';
import { iterationsWithoutImprovement, loopEnd, strategyNote } from '../../../src/core/pipeline/audit/stopRule';
import type { Finding } from '../../../src/core/auditTypes';
import { parseConfig } from '../../../src/core/project/config/config';
import { tempWorkspace } from '../../support/tempWorkspace';

const settings = { targetScore: 100, maxIterations: 4 };

test('loop end: target first, then two iterations in a row without improvement, then the iteration cap', () => {
  assert.equal(loopEnd([], settings), undefined);
  assert.equal(loopEnd([75], settings), undefined);
  assert.equal(loopEnd([100], settings), 'target', 'a baseline at the target needs no iteration');
  assert.equal(loopEnd([75, 82, 91], settings), undefined);
  assert.equal(loopEnd([75, 82, 91, 100], settings), 'target');
  assert.equal(loopEnd([75, 82, 82], settings), undefined, 'one iteration without improvement: go on, differently');
  assert.equal(loopEnd([75, 82, 82, 80], settings), 'no-improvement');
  assert.equal(loopEnd([75, 75, 80, 80], settings), undefined, 'improvement in between resets the count');
  assert.equal(loopEnd([75, 76, 77, 78, 79], settings), 'max-iterations');
  assert.equal(loopEnd([75, 95], { targetScore: 90, maxIterations: 10 }), 'target');
  // --max-iterations 0 (the CI gate, init --ci github): the baseline alone judges the tree; nothing is changed.
  assert.equal(loopEnd([75], { targetScore: 90, maxIterations: 0 }), 'max-iterations');
  assert.equal(loopEnd([92], { targetScore: 90, maxIterations: 0 }), 'target');
  assert.equal(iterationsWithoutImprovement([75, 82, 82, 80]), 2);
  assert.equal(iterationsWithoutImprovement([75, 75, 80]), 0);
});

test('strategy note: only right after the first iteration without improvement', () => {
  assert.equal(strategyNote([75]), undefined);
  assert.equal(strategyNote([75, 82]), undefined);
  assert.match(strategyNote([75, 82, 80]) ?? '', /THE LAST STRATEGY DID NOT WORK[\s\S]*82 → 80/);
  assert.equal(strategyNote([75, 82, 80, 79]), undefined, 'the loop ends there');
});

const finding = (over: Partial<Finding>): Finding => ({
  id: 'F',
  severity: 'P2',
  description: 'd',
  recommendation: 'r',
  ...over,
});

test('routing: the layer owning the file; no file → the one layer owning the whole target; the rest left for a human', () => {
  const config = parseConfig('layers:\n  backend: { owns: ["server/**"] }\n  frontend: { owns: ["web/**"] }\n');
  const one = {
    target: 'server',
    files: 2,
    loc: 2,
    languages: [],
    dependencies: [],
    layers: [{ layer: 'backend', files: 2 }],
    unowned: 0,
    listing: [],
    truncated: false,
    warnings: [],
  };
  const routed = routeFindings({ config }, one, [
    finding({ id: 'a', file: 'server/a.js' }),
    finding({ id: 'b' }),
    finding({ id: 'c', file: 'README.md' }),
  ]);
  assert.deepEqual(
    [...routed.byLayer].map(([layer, fs]) => [layer, fs.map((f) => f.id)]),
    [['backend', ['a', 'b']]],
  );
  assert.deepEqual(
    routed.unrouted.map((u) => [u.finding.id, u.reason]),
    [['c', 'no layer owns README.md']],
  );
  const spread = { ...one, layers: [...one.layers, { layer: 'frontend', files: 1 }] };
  assert.deepEqual(
    routeFindings({ config }, spread, [finding({ id: 'b' })]).unrouted.map((u) => u.reason),
    ['no file named and the target spans several layers'],
  );
});

test('documentation findings: a doc file, or described and recommended as documentation', () => {
  assert.equal(isDocumentation(finding({ file: 'docs/api.md' })), true);
  assert.equal(isDocumentation(finding({ file: 'server/README' })), true);
  assert.equal(
    isDocumentation(
      finding({
        file: 'server/a.py',
        description: 'Public functions lack docstrings.',
        recommendation: 'Add docstrings with args and returns.',
      }),
    ),
    true,
  );
  assert.equal(
    isDocumentation(
      finding({
        file: 'server/a.py',
        description: 'SQL injection in query().',
        recommendation: 'Use parameters and document why.',
      }),
    ),
    false,
  );
});

test('confirmations: an audit also asks before a new module or folder, a migration and a core file; a feature run does not', async () => {
  const ws = await tempWorkspace({ 'server/app.js': '', 'server/pkg/__init__.py': '', 'db/001.sql': '' });
  try {
    const config = parseConfig(
      'layers:\n  backend: { owns: ["server/**"] }\nschema: ["db/**"]\naudit:\n  core: ["**/__init__.py"]\n',
    );
    const effects = {
      agent: 'backend',
      paths: [
        'server/app.js',
        'server/migrations/0002_add_index.py',
        'server/new/thing.js',
        'server/pkg/__init__.py',
        'server/pkg/sub/__init__.py',
        'tools/x.js',
      ],
      created: [
        'server/migrations/0002_add_index.py',
        'server/new/thing.js',
        'server/pkg/sub/__init__.py',
        'tools/x.js',
      ],
      deletedLines: 0,
    };
    const audit = await confirmationsNeeded({ config, kind: 'audit', workspace: ws.dir }, effects);
    assert.deepEqual(
      audit.map((a) => [a.kind, a.paths]),
      [
        ['many-files', effects.paths],
        ['new-module', ['server/migrations/', 'server/new/', 'server/pkg/sub/', 'tools/']],
        ['migration', ['server/migrations/0002_add_index.py']],
        ['core-file', ['server/pkg/__init__.py', 'server/pkg/sub/__init__.py']],
      ],
    );
    assert.match(
      audit[1]!.question,
      /The backend agent will create a new module or folder: server\/migrations\/, server\/new\/, server\/pkg\/sub\/, tools\/\. Allow it\?/,
    );
    const manifest = await confirmationsNeeded(
      { config, kind: 'audit', workspace: ws.dir },
      { agent: 'backend', paths: ['server/package.json'], created: ['server/package.json'], deletedLines: 0 },
    );
    assert.deepEqual(
      manifest.map((a) => [a.kind, a.paths]),
      [['new-module', ['server/package.json']]],
    );
    const schema = await confirmationsNeeded(
      { config, kind: 'audit', workspace: ws.dir },
      { agent: 'database', paths: ['db/001.sql'], created: [], deletedLines: 60 },
    );
    assert.deepEqual(
      schema.map((a) => a.kind),
      ['delete-lines', 'schema-change'],
      'a schema path is asked once, as a schema change',
    );
    const feature = await confirmationsNeeded({ config, kind: 'feature', workspace: ws.dir }, effects);
    assert.deepEqual(
      feature.map((a) => a.kind),
      ['many-files'],
    );
  } finally {
    await ws.cleanup();
  }
});

test('the iteration cap: 0 scores the tree and changes nothing (the CI gate of init --ci github); below 0 is refused', async () => {
  const ws = await tempWorkspace({ 'server/app.js': '', '.claude/audit/backend.md': '# Backend\n' });
  try {
    const config = parseConfig('layers:\n  backend: { owns: ["server/**"] }\n');
    const settings = await resolveAuditSettings(
      ws.dir,
      config,
      { target: 'server', dimension: 'backend', maxIterations: 0, targetScore: 90 },
      undefined,
    );
    assert.equal(settings.maxIterations, 0);
    assert.equal(loopEnd([75], settings), 'max-iterations');
    await assert.rejects(
      resolveAuditSettings(ws.dir, config, { target: 'server', dimension: 'backend', maxIterations: -1 }, undefined),
      /the iteration cap must be a whole number ≥ 0 \(got -1\)/,
    );
  } finally {
    await ws.cleanup();
  }
});
