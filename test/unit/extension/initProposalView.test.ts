// Initialize Workspace: the engine returns the census, the extension shapes the sidebar's view of
// it (src/extension/init/proposalView.ts), and the user's edits go back to the engine as accepted
// layers (src/core/census/init/applyEdits.ts). The view parses under the UI contract's schema.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { remainderWarning } from '../../../src/core/census/commands/remainderLines';
import { applyEdits } from '../../../src/core/census/init/applyEdits';
import type { Census, ProposedLayer, VerifyOutcome } from '../../../src/core/census/types';
import { proposalView } from '../../../src/extension/init/proposalView';
import { initProposalSchema } from '../../../src/shared/initProposal';

const layer = (name: string, extra: Partial<ProposedLayer>): ProposedLayer => ({
  name,
  dirs: [name],
  owns: [`${name}/**`],
  validate: [],
  after: [],
  origin: 'package.json',
  stack: [],
  frameworks: [],
  conventions: [],
  ...extra,
});

const census: Census = {
  layers: [
    layer('api', {
      role: 'backend',
      validate: [
        { command: 'npm test', origin: 'package.json' },
        { command: 'npm run lint', origin: 'package.json' },
      ],
      verified: [
        { status: 'failed', ms: 900, firstLines: ['1 failing'] },
        { status: 'passed', ms: 1200 },
      ],
    }),
    layer('web', { after: ['api'], validate: [{ command: 'npm run build', origin: 'ci.yml' }] }),
  ],
  schema: [{ glob: 'db/**', origin: 'db/' }],
  unowned: ['tools/x.js'],
  sourceFiles: 12,
  ownedFiles: 11,
  files: 20,
  projects: [],
  warnings: ['a \u001b[2Jwarning'],
  ms: 5,
};

test("the census as the sidebar shows it: each command's verification in words, warnings escaped", () => {
  const view = proposalView(census, 'shop', true);
  assert.ok(initProposalSchema.safeParse(view).success);
  assert.deepEqual(view.layers[0], {
    name: 'api',
    role: 'backend',
    owns: ['api/**'],
    after: [],
    commands: [
      { command: 'npm test', origin: 'package.json', status: 'failed', detail: 'fails before any change\n1 failing' },
      { command: 'npm run lint', origin: 'package.json', status: 'passed', detail: 'passed in 1.2 s' },
    ],
  });
  assert.deepEqual(view.layers[1]!.commands, [
    { command: 'npm run build', origin: 'ci.yml', status: 'not-verified', detail: 'not verified' },
  ]);
  assert.deepEqual(
    [view.status, view.workspace, view.configExists, view.schema, view.unowned],
    ['ready', 'shop', true, ['db/**'], ['tools/x.js']],
  );
  assert.deepEqual(view.warnings, ['a \\x1b[2Jwarning']);
});

test('while verification runs, the proposal shows each command as it goes: running, then its verdict (issue 70)', () => {
  const proposed: Census = { ...census, layers: census.layers.map(({ verified: _v, ...l }) => l) };
  const live = new Map<string, VerifyOutcome | 'running'>([
    ['npm test', 'running'],
    ['npm run lint', { status: 'passed', ms: 1200 }],
  ]);
  const view = proposalView(proposed, 'shop', false, live);
  assert.ok(initProposalSchema.safeParse(view).success);
  assert.equal(view.status, 'verifying');
  assert.deepEqual(
    view.layers.flatMap((l) => l.commands.map((c) => [c.command, c.status])),
    [
      ['npm test', 'running'],
      ['npm run lint', 'passed'],
      ['npm run build', 'not-verified'],
    ],
  );
  // Stopped before it ended: kept unverified, said so.
  live.set('npm test', { status: 'skipped', reason: 'verification was stopped before it ended' });
  const stopped = proposalView(proposed, 'shop', false, live).layers[0]!.commands[0]!;
  assert.equal(stopped.status, 'skipped');
  assert.match(stopped.detail, /verification was stopped before it ended; kept unverified/);
});

test('accepted layers: renamed, a command dropped and one added, a layer dropped with what ran after it', () => {
  const edited = applyEdits(census, [
    { from: 'api', name: 'server', owns: ['server/**'], validate: ['npm run lint', 'npm run check'] },
  ]);
  assert.deepEqual(
    edited.layers.map((l) => l.name),
    ['server'],
  );
  const server = edited.layers[0]!;
  assert.deepEqual(server.owns, ['server/**']);
  assert.deepEqual(server.validate, [
    { command: 'npm run lint', origin: 'package.json' },
    { command: 'npm run check', origin: 'Initialize Workspace (edited)' },
  ]);
  assert.deepEqual(server.verified, [
    { status: 'passed', ms: 1200 },
    { status: 'skipped', reason: 'added in Initialize Workspace' },
  ]);
  assert.throws(
    () => applyEdits(census, [{ from: 'nope', name: 'x', owns: ['x/**'], validate: [] }]),
    /no layer "nope"/,
  );
});

test('a layer the census found no check for is shown first, with what it read and could not; its warning is not said twice (issue 75)', () => {
  const docs = layer('docs', {
    remainder: {
      read: ['docs/requirements.txt', '.github/workflows/docs.yaml (job build)'],
      unread: [
        { what: 'default.nix', why: 'Nix, whose commands and checks the census does not read' },
        { what: '.woodpecker/', why: 'Woodpecker \u001b[2JCI, a CI kind the census does not read' },
      ],
    },
  });
  const withRemainder: Census = {
    ...census,
    layers: [...census.layers, docs],
    warnings: [...census.warnings, remainderWarning(docs)],
  };
  const view = proposalView(withRemainder, 'shop', false);
  assert.ok(initProposalSchema.safeParse(view).success);
  assert.deepEqual(view.remainders, [
    {
      layer: 'docs',
      dirs: 'docs/',
      lines: [
        'read: docs/requirements.txt; .github/workflows/docs.yaml (job build)',
        'could not use default.nix: Nix, whose commands and checks the census does not read',
        'could not use .woodpecker/: Woodpecker \\x1b[2JCI, a CI kind the census does not read',
      ],
    },
  ]);
  assert.deepEqual(view.warnings, ['a \\x1b[2Jwarning']);
  // A command the user adds ends the remainder; a layer left without one keeps it.
  const edited = applyEdits(withRemainder, [
    { from: 'docs', name: 'docs', owns: ['docs/**'], validate: ['make -C docs html'] },
    { from: 'web', name: 'web', owns: ['web/**'], validate: [] },
  ]);
  assert.deepEqual(
    edited.layers.map((l) => [l.name, l.remainder !== undefined]),
    [
      ['docs', false],
      ['web', false],
    ],
  );
  const kept = applyEdits(withRemainder, [{ from: 'docs', name: 'docs', owns: ['docs/**'], validate: [] }]);
  assert.deepEqual(kept.layers[0]!.remainder, docs.remainder);
});
