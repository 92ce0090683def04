// Issue 38, point 3: our runs among VS Code's agent sessions. Which runs, once each, with which
// status; and the build that may declare the proposed API: the Marketplace manifest declares none.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { SessionStatus } from '../../../src/extension/chat/sessions/proposedSessions';
import { sessionEntries } from '../../../src/extension/chat/sessions/sessionEntries';
import type { RunView } from '../../../src/shared/viewState';
// @ts-expect-error: a plain .mjs script without types
import { insidersManifest, PROPOSALS } from '../../../scripts/proposedApi.mjs';

const view = (over: Partial<RunView>): RunView => ({
  kind: 'feature',
  request: 'Add a Product entity',
  status: 'running',
  live: true,
  phases: [],
  waves: [],
  agents: [],
  usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  costUsd: 0,
  filesChanged: [],
  activity: [],
  ...over,
});

test('every run once, the live view first, with the sessions list status', () => {
  const entries = sessionEntries(
    [
      view({ runId: 'r-live', status: 'awaiting-approval' }),
      view({ runId: 'r-lane', lane: 'lane-1', status: 'running' }),
    ],
    [
      {
        runId: 'r-pool',
        specId: null,
        status: 'queued',
        phase: null,
        wave: null,
        worker: null,
        costUsd: 0,
        kind: 'bugfix',
        request: 'Fix totals',
        updatedAt: '2026-11-24T08:00:00Z',
        attempts: 0,
      },
    ],
    [
      { runId: 'r-live', request: 'x', status: 'running', started: '2026-11-24T07:00:00Z', kind: 'feature' },
      { runId: 'r-done', request: 'Done one', status: 'completed', started: '2026-11-24T06:00:00Z', kind: 'feature' },
      {
        runId: 'r-cut',
        request: 'Cut short',
        status: 'running',
        started: '2026-11-24T05:00:00Z',
        kind: 'feature',
        worktree: { path: '/w', outcome: 'pending' },
      },
      { runId: 'r-stop', request: 'Stopped', status: 'stopped', started: '2026-11-24T04:00:00Z', kind: 'feature' },
    ],
  );
  const by = Object.fromEntries(entries.map((e) => [e.runId, e]));
  assert.deepEqual(entries.map((e) => e.runId).sort(), ['r-cut', 'r-done', 'r-lane', 'r-live', 'r-pool', 'r-stop']);
  assert.equal(by['r-live']!.status, SessionStatus.NeedsInput);
  assert.equal(by['r-live']!.label, 'Add a Product entity');
  assert.equal(by['r-lane']!.status, SessionStatus.InProgress);
  assert.equal(by['r-lane']!.description, 'feature · worktree lane-1');
  assert.equal(by['r-pool']!.status, SessionStatus.NeedsInput);
  assert.equal(by['r-pool']!.description, 'bugfix · pool');
  assert.equal(by['r-done']!.status, SessionStatus.Completed);
  // A journal saying running with no live run here was cut short: not "in progress".
  assert.equal(by['r-cut']!.status, SessionStatus.Failed);
  assert.equal(by['r-cut']!.detail, 'interrupted');
  assert.equal(by['r-cut']!.description, 'feature · worktree');
  assert.equal(by['r-stop']!.status, SessionStatus.Failed);
});

test('the Marketplace manifest declares no proposed API; the Insiders one declares the chat sessions and the tool set', () => {
  const manifest = JSON.parse(readFileSync(join(resolve(__dirname, '../../..'), 'package.json'), 'utf8'));
  assert.equal(manifest.enabledApiProposals, undefined);
  assert.equal(manifest.contributes.chatSessions, undefined);
  assert.equal(manifest.contributes.languageModelToolSets, undefined);
  assert.deepEqual(
    manifest.contributes.chatParticipants.map((p: { id: string; name: string }) => [p.id, p.name]),
    [['orchestrator.chat', 'orchestrator']],
  );
  const insiders = insidersManifest(manifest);
  assert.deepEqual(insiders.enabledApiProposals, PROPOSALS);
  assert.ok(PROPOSALS.includes('chatSessionsProvider'));
  assert.equal(insiders.contributes.chatSessions[0].type, 'orchestrator-run');
  assert.deepEqual(insiders.contributes.languageModelToolSets[0].tools, [
    'orchestrator_startFeature',
    'orchestrator_startBugfix',
    'orchestrator_runStatus',
    'orchestrator_listSpecs',
    'orchestrator_verifySpec',
  ]);
  assert.equal(manifest.enabledApiProposals, undefined, 'the input manifest is untouched');
});
