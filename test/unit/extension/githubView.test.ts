// Issue 39 in the sidebar: a run started from a GitHub issue, rebuilt from its journal, shows links
// to the issue, its spec comment, the pushed branch and the pull request (https only, one per kind,
// the latest), and its decisions in the log; the sidebar protocol takes an `openLink` with an https
// address only (never a command: link from the journal's text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/core/events';
import { emptyViewState, parseWebviewMessage, viewStateSchema } from '../../../src/shared/protocol';
import { reduce } from '../../../src/extension/view/reducer';

const ISSUE = 'https://github.example/acme/shop/issues/7';
const journal: EngineEvent[] = [
  { type: 'github.issue.linked', url: ISSUE, by: 'alice' },
  { type: 'run.started', runId: 'r-gh', kind: 'feature', request: 'Add an Invoice entity' },
  { type: 'github.spec.posted', url: `${ISSUE}#issuecomment-5000001` },
  { type: 'github.decision.refused', url: `${ISSUE}#issuecomment-5000002`, by: 'rita', detail: 'approve' },
  { type: 'github.spec.decided', url: `${ISSUE}#issuecomment-5000003`, by: 'alice', detail: 'approve' },
  { type: 'github.pushed', url: 'https://github.example/acme/shop/tree/orchestrator/invoice-api', detail: 'abc123' },
  { type: 'github.pr.opened', url: 'https://github.example/acme/shop/pull/12', detail: '#12' },
  { type: 'run.completed', summary: { status: 'completed' } } as EngineEvent,
];
const info = {
  runId: 'r-gh',
  kind: 'feature' as const,
  request: 'Add an Invoice entity',
  status: 'completed' as const,
  started: '2026-11-24T10:00:00Z',
};

test('a run started from an issue shows its issue, spec comment, branch and pull request, in that order, and its decisions in the log', () => {
  const state = reduce(emptyViewState(), { type: 'run.restored', info, events: journal });
  assert.deepEqual(state.run!.github, [
    { kind: 'issue', url: ISSUE, label: 'Issue #7' },
    { kind: 'spec', url: `${ISSUE}#issuecomment-5000001`, label: 'Spec comment' },
    {
      kind: 'branch',
      url: 'https://github.example/acme/shop/tree/orchestrator/invoice-api',
      label: 'Branch orchestrator/invoice-api',
    },
    { kind: 'pull', url: 'https://github.example/acme/shop/pull/12', label: 'Pull request #12' },
  ]);
  const lines = state.run!.activity.map((l) => `${l.level} ${l.text}`);
  assert.ok(lines.includes('warn GitHub: approve by @rita refused (no write access)'), lines.join('\n'));
  assert.ok(lines.includes('info GitHub: alice answered the spec: approve'));
  assert.equal(viewStateSchema.safeParse(state).success, true);
});

test('only https addresses become links; a later pull request replaces the earlier; a run not from GitHub has none', () => {
  const tampered: EngineEvent[] = [
    { type: 'github.issue.linked', url: 'command:workbench.action.terminal.new', by: 'mallory' },
    { type: 'github.spec.posted', url: 'http://github.example/acme/shop/issues/7#issuecomment-1' },
    { type: 'github.pr.opened', url: 'https://github.example/acme/shop/pull/12', detail: '#12' },
    { type: 'github.pr.updated', url: 'https://github.example/acme/shop/pull/13', detail: '#13' },
  ];
  const state = reduce(emptyViewState(), { type: 'run.restored', info, events: tampered });
  assert.deepEqual(state.run!.github, [
    { kind: 'pull', url: 'https://github.example/acme/shop/pull/13', label: 'Pull request #13' },
  ]);
  const plain = reduce(emptyViewState(), { type: 'run.restored', info, events: [journal[1]!] });
  assert.equal(plain.run!.github, undefined);
});

test('the sidebar protocol: openLink takes an https address only', () => {
  assert.equal(parseWebviewMessage({ type: 'openLink', url: 'https://github.example/acme/shop/pull/12' }).ok, true);
  for (const url of [
    'command:orchestrator.approveSpec',
    'http://github.example/x',
    'https://a b',
    'javascript:alert(1)',
    `https://x/${'a'.repeat(2100)}`,
  ]) {
    assert.equal(parseWebviewMessage({ type: 'openLink', url }).ok, false, url);
  }
});
