import assert from 'node:assert/strict';
import test from 'node:test';
import { describeEvent } from '../../../src/cli/cliHost';
import { catalogue, meaningOf, wordsOf } from '../../../src/core/catalogue';
import type { EventOf } from '../../../src/core/catalogue/words';
import type { EngineEvent } from '../../../src/core/events';
import type { AuditSettings, Discovery } from '../../../src/core/auditTypes';
import type { TraceMatrix } from '../../../src/core/traceMatrix';
import { formatEvent } from '../../../src/extension/log/formatEvent';

const usage = { input: 10, output: 5, cacheRead: 0, cacheWrite: 0 };
const github = (type: EventOf<'github.pushed'>['type']) => ({ type, url: 'https://github.com/o/r/pull/1' });

/** One event of every type: the type checker refuses this table when a type of EngineEvent is missing. */
const samples: { [K in EngineEvent['type']]: EventOf<K> } = {
  'run.started': { type: 'run.started', runId: 'r1', kind: 'feature', request: 'add tags' },
  'sandbox.off': { type: 'sandbox.off' },
  'sandbox.denied': { type: 'sandbox.denied', layer: 'backend', kind: 'write', target: '/etc/passwd' },
  'run.completed': { type: 'run.completed', runId: 'r1', summary: { status: 'completed' } },
  'run.stopped': { type: 'run.stopped', runId: 'r1', reason: 'validation failed', report: 'the report' },
  'phase.started': { type: 'phase.started', phase: 'IMPLEMENT' },
  'phase.completed': { type: 'phase.completed', phase: 'IMPLEMENT', ms: 12 },
  'phase.closed': { type: 'phase.closed', phase: 'PLAN', documents: ['plan.md'] },
  'phase.approved': { type: 'phase.approved', phase: 'PLAN' },
  'phase.saved': { type: 'phase.saved', phase: 'PLAN', documents: ['plan.md'] },
  'phase.changes-requested': { type: 'phase.changes-requested', phase: 'PLAN', feedback: 'shorter' },
  'phase.awaiting': { type: 'phase.awaiting', phase: 'PLAN', documents: ['plan.md'] },
  'phase.decided': { type: 'phase.decided', phase: 'PLAN', action: 'approve', by: 'ada' },
  'phase.retry': { type: 'phase.retry', phase: 'PLAN', attempt: 1, max: 2, report: 'no heading' },
  'wave.started': { type: 'wave.started', wave: 1, of: 2, layers: ['backend'] },
  'agent.started': { type: 'agent.started', agent: 'backend', attempt: 1, mode: 'implement' },
  'agent.completed': { type: 'agent.completed', agent: 'backend', attempt: 1, outcome: 'submitted', summary: 'done' },
  'agent.session': {
    type: 'agent.session',
    agent: 'backend',
    attempt: 1,
    runner: 'claude-code',
    session: 's1',
    worktree: '/w',
  },
  'tool.called': {
    type: 'tool.called',
    agent: 'backend',
    tool: 'Write',
    input: { file_path: 'a.ts' },
    isError: false,
    result: 'ok',
    runner: 'claude-code',
  },
  'file.written': { type: 'file.written', agent: 'backend', path: 'a.ts', created: true, bytes: 3 },
  'file.deleted': { type: 'file.deleted', agent: 'backend', path: 'b.ts', lines: 4 },
  'llm.usage': { type: 'llm.usage', agent: 'backend', model: 'm', usage, costUsd: 0.01, ms: 5 },
  'llm.retry': { type: 'llm.retry', agent: 'backend', reason: 'overloaded', attempt: 1 },
  'validation.started': { type: 'validation.started', layer: 'backend', command: 'npm test' },
  'validation.passed': { type: 'validation.passed', layer: 'backend' },
  'validation.failed': {
    type: 'validation.failed',
    layer: 'backend',
    command: 'npm test',
    output: '1 failing',
    exitCode: 1,
  },
  'command.ran': {
    type: 'command.ran',
    kind: 'proof',
    command: 'npx jest --verbose test/acceptance/tags.test.js',
    layer: 'backend',
    criteria: ['REQ-1.1'],
    exitCode: 1,
    ms: 840,
  },
  retry: { type: 'retry', layer: 'backend', attempt: 1, max: 3 },
  'review.skipped': { type: 'review.skipped', reason: 'no diff' },
  'attempt.started': {
    type: 'attempt.started',
    layer: 'backend',
    k: 2,
    of: 3,
    runner: 'agent',
    model: 'claude-haiku-4-5',
  },
  'attempt.judged': {
    type: 'attempt.judged',
    layer: 'backend',
    k: 2,
    proofGreen: 2,
    proofTotal: 3,
    validate: 'passed',
    retries: 1,
    costUsd: 0.12,
    durationMs: 4200,
  },
  'attempt.picked': {
    type: 'attempt.picked',
    layer: 'backend',
    k: 2,
    why: 'most proof tests green (3/3)',
    by: 'judged',
  },
  'attempt.skipped': { type: 'attempt.skipped', layer: 'backend', k: 3, reason: 'the budget is spent' },
  'proof.started': { type: 'proof.started', round: 1, criteria: ['REQ-1.1'] },
  'proof.test': {
    type: 'proof.test',
    criterion: 'REQ-1.1',
    file: 'test/acceptance/tags.test.js',
    name: 'REQ-1.1 tags a product',
    red: 'failed',
    output: 'AssertionError',
  },
  'proof.sentBack': {
    type: 'proof.sentBack',
    round: 1,
    tests: [{ criterion: 'REQ-1.1', file: 'test/acceptance/tags.test.js', red: 'passed', output: 'ok 1' }],
  },
  'proof.frozen': { type: 'proof.frozen', hashes: { 'test/acceptance/tags.test.js': 'ab12' } },
  'proof.green': {
    type: 'proof.green',
    criterion: 'REQ-1.1',
    file: 'test/acceptance/tags.test.js',
    green: 'passed',
    layer: 'backend',
  },
  'proof.strengthStarted': { type: 'proof.strengthStarted', seed: '5eed', round: 0, criteria: ['REQ-1.1'] },
  'proof.strength': {
    type: 'proof.strength',
    criterion: 'REQ-1.1',
    round: 0,
    tried: 3,
    killed: 2,
    survived: 1,
    survivors: [{ id: 'm1', file: 'src/tags.js', line: 4, change: 'EqualityOperator: a > b → a >= b' }],
  },
  'proof.strengthen': { type: 'proof.strengthen', round: 1, criteria: ['REQ-1.1'] },
  'proof.strengthRefused': {
    type: 'proof.strengthRefused',
    round: 1,
    tests: [
      { criterion: 'REQ-1.1', file: 'test/a/tags2.test.js', why: 'passes on the base (vacuous)', output: 'ok 1' },
    ],
  },
  'proof.equivalent': {
    type: 'proof.equivalent',
    criterion: 'REQ-1.1',
    mutant: 'm1',
    file: 'src/tags.js',
    line: 4,
    change: 'EqualityOperator: a > b → a >= b',
    why: 'a equals b never reaches here',
  },
  'review.verdict': {
    type: 'review.verdict',
    round: 1,
    verdict: 'rejected',
    issues: [{ file: 'a.ts', severity: 'major', problem: 'p', fix: 'f' }],
  },
  'budget.exceeded': { type: 'budget.exceeded', spentUsd: 2, limitUsd: 1 },
  'spec.saved': { type: 'spec.saved', specId: 's', path: 'spec/active/s/spec.md' },
  'spec.approved': { type: 'spec.approved', specId: 's' },
  'tasks.assigned': {
    type: 'tasks.assigned',
    specId: 's',
    tasks: [{ task: 'T1', layer: 'backend', source: 'name', reason: 'r' }],
    notImplementable: [],
  },
  'checkpoint.created': { type: 'checkpoint.created', ref: 'refs/x', commit: 'abc' },
  confirmation: { type: 'confirmation', question: 'delete?', answer: true },
  log: { type: 'log', level: 'warn', message: 'careful' },
  understood: { type: 'understood', entity: 'Tag', known: false, layers: ['backend'], pattern: null },
  diagnosis: {
    type: 'diagnosis',
    rootCause: 'off by one',
    proposedFix: 'add one',
    files: ['a.ts'],
    layers: ['backend'],
  },
  'spec.changes-requested': { type: 'spec.changes-requested', specId: 's', feedback: 'more' },
  'spec.completed': { type: 'spec.completed', specId: 's', path: 'spec/done/s/spec.md' },
  'agent.blocked': { type: 'agent.blocked', agent: 'backend', reason: 'needs the web layer' },
  'change.requested': { type: 'change.requested', changeId: 'c1', request: 'also dates' },
  'change.approved': {
    type: 'change.approved',
    changeId: 'c1',
    specId: 's',
    version: 2,
    requirements: ['REQ-1'],
    layers: ['backend'],
  },
  'change.declined': { type: 'change.declined', changeId: 'c1', reason: 'no' },
  'followup.started': {
    type: 'followup.started',
    of: 'r0',
    runs: ['r0'],
    base: 'abcdef0123456789',
    kept: [{ layer: 'web' }],
  },
  'run.rolled-back': { type: 'run.rolled-back', restored: ['a.ts'], removed: [] },
  'audit.started': {
    type: 'audit.started',
    settings: {
      target: '.',
      dimension: 'backend',
      targetScore: 80,
      maxIterations: 3,
      maxBudgetUsd: 5,
    } as AuditSettings,
  },
  'audit.discovered': {
    type: 'audit.discovered',
    discovery: { files: 3, loc: 40, languages: [{ language: 'TypeScript' }], dependencies: [] } as unknown as Discovery,
  },
  'audit.scored': {
    type: 'audit.scored',
    iteration: 0,
    score: 60,
    findings: [{ id: 'F1', severity: 'P1', description: 'd', recommendation: 'r' }],
  },
  'audit.job.started': {
    type: 'audit.job.started',
    job: 'j1',
    iteration: 1,
    phase: 'CLOSE GAPS',
    layer: 'backend',
    role: 'fix',
    findings: ['F1'],
  },
  'audit.job.ended': { type: 'audit.job.ended', job: 'j1', outcome: 'done', summary: 'fixed' },
  'audit.skipped': { type: 'audit.skipped', iteration: 1, phase: 'CLOSE GAPS', findings: ['F2'], reason: 'no file' },
  'audit.tested': {
    type: 'audit.tested',
    iteration: 1,
    runs: [{ command: 'npm test', exitCode: 0, passed: 3, failed: 0, ms: 9 }],
  },
  'audit.report': { type: 'audit.report', reason: 'target', path: 'audit.md' },
  'trace.updated': {
    type: 'trace.updated',
    specId: 's',
    matrix: {
      rows: [],
      requirementsWithoutFile: [],
      criteriaWithoutTest: [],
      notLinked: [],
      doneBeforeImport: [],
    } as unknown as TraceMatrix,
  },
  'trace.by-hand': { type: 'trace.by-hand', files: { backend: ['a.ts'] } },
  'trace.waived': { type: 'trace.waived', phase: 'TEST', requirements: ['REQ-2'] },
  'block.reported': { type: 'block.reported', block: 1, from: 'web', to: 'backend', request: 'an endpoint' },
  'block.resolved': { type: 'block.resolved', block: 1, from: 'web', to: 'backend', summary: 'added', files: ['a.ts'] },
  'cto.engineer.request': {
    type: 'cto.engineer.request',
    phase: 'PLAN',
    round: 1,
    from: 'cto',
    to: 'engineer',
    request: 'more detail',
  },
  'engineer.cto.response': {
    type: 'engineer.cto.response',
    phase: 'PLAN',
    round: 1,
    from: 'engineer',
    to: 'cto',
    documents: ['plan.md'],
    accepted: true,
  },
  'module.planned': {
    type: 'module.planned',
    phase: 'PLAN',
    squad: 'api',
    layers: ['backend'],
    documents: ['backlog.md'],
  },
  'phase.layer.done': { type: 'phase.layer.done', phase: 'DESIGN', layer: 'backend', documents: ['design.md'] },
  'pm.cto.dependency_request': {
    type: 'pm.cto.dependency_request',
    block: 2,
    from: 'web',
    to: 'api',
    request: 'a route',
  },
  'monitor.alert': { type: 'monitor.alert', alert: 'budget.burn', message: 'half spent' },
  'queue.task': { type: 'queue.task', layer: 'mobile', taskId: 't1' },
  'deploy.completed': { type: 'deploy.completed', commands: ['make deploy'], ms: 3 },
  'smoke.passed': { type: 'smoke.passed', commands: ['make smoke'], ms: 3 },
  'smoke.failed': { type: 'smoke.failed', command: 'make smoke', exitCode: 2, output: 'down' },
  'llm.waiting': {
    type: 'llm.waiting',
    agent: 'backend',
    model: 'm',
    kind: 'overloaded',
    reason: '529',
    attempt: 1,
    retryInMs: 2000,
    windowLeftMs: 600_000,
  },
  'llm.recovered': { type: 'llm.recovered', agent: 'backend', model: 'm', attempts: 2, waitedMs: 2000 },
  'worktree.created': { type: 'worktree.created', path: '/w', ref: 'refs/w', commit: 'abcdef0123456789' },
  'worktree.ready': { type: 'worktree.ready', linked: ['node_modules'], ms: 3 },
  'worktree.applied': {
    type: 'worktree.applied',
    ref: 'refs/a',
    files: [{ path: 'a.ts', before: null, after: 'b1' }],
    merged: [],
  },
  'worktree.branched': { type: 'worktree.branched', branch: 'orchestrator/r1', commit: 'abcdef0123456789' },
  'worktree.discarded': { type: 'worktree.discarded' },
  'github.issue.linked': github('github.issue.linked'),
  'github.spec.posted': github('github.spec.posted'),
  'github.spec.decided': github('github.spec.decided'),
  'github.decision.refused': github('github.decision.refused'),
  'github.pushed': github('github.pushed'),
  'github.pr.opened': github('github.pr.opened'),
  'github.pr.updated': github('github.pr.updated'),
  'github.ci.failed': github('github.ci.failed'),
  'github.ci.fixed': github('github.ci.fixed'),
  'github.ci.limit': github('github.ci.limit'),
  'github.change.requested': github('github.change.requested'),
  'github.cancelled': github('github.cancelled'),
  'github.confirmation.asked': github('github.confirmation.asked'),
  'github.confirmation.decided': github('github.confirmation.decided'),
  'llm.compacted': {
    type: 'llm.compacted',
    agent: 'backend',
    model: 'm',
    reason: 'window',
    stubbed: 3,
    tokensBefore: 900,
    tokensAfter: 300,
  },
};

test('every event type has its catalogue entry, and reads in words', () => {
  assert.deepEqual(Object.keys(catalogue).sort(), Object.keys(samples).sort());
  for (const event of Object.values(samples) as EngineEvent[]) {
    const words = wordsOf(event);
    assert.ok(words.text.length > 0, event.type);
    assert.ok(!words.text.startsWith('event '), `${event.type} reads as its bare type`);
  }
});

test('every event type has its run-state entry: what it means to the run, read once for every fold', () => {
  for (const [type, entry] of Object.entries(catalogue)) assert.equal(typeof entry.state, 'function', type);
  for (const event of Object.values(samples) as EngineEvent[])
    assert.equal(typeof meaningOf(event), 'object', event.type);
  assert.deepEqual(meaningOf(samples['run.completed']), {
    completed: { status: 'completed', summary: { status: 'completed' } },
  });
  assert.equal(
    meaningOf({ type: 'run.completed', runId: 'r1', summary: { status: 'spec-saved' } }).completed?.status,
    'spec-saved',
  );
  assert.equal(
    meaningOf({ type: 'run.completed', runId: 'r1', summary: { status: 'mystery' } }).completed?.status,
    'completed',
  );
  assert.equal(meaningOf({ ...samples['run.stopped'], reason: 'cancelled' }).stopped?.cancelled, true);
  assert.equal(meaningOf(samples['agent.started']).agentStarted?.onLayer, true);
  assert.equal(meaningOf({ ...samples['agent.started'], mode: 'spec' }).agentStarted?.onLayer, false);
  assert.equal(
    meaningOf(samples['llm.usage']).usage?.provider,
    'anthropic',
    "journals from before providers were all Anthropic's",
  );
  assert.deepEqual(meaningOf(samples['file.written']).file, {
    agent: 'backend',
    path: 'a.ts',
    deleted: false,
    created: true,
  });
  assert.deepEqual(meaningOf(samples['log']), {}, 'a log line changes nothing of the run');
  assert.deepEqual(
    meaningOf({ type: 'from.the.future' } as unknown as EngineEvent),
    {},
    'a type this build does not know',
  );
  for (const type of ['constructor', 'toString', '__proto__']) {
    assert.deepEqual(
      meaningOf({ type } as unknown as EngineEvent),
      {},
      `${type}: a journal anyone could edit names no entry of the catalogue's prototype`,
    );
    assert.equal(wordsOf({ type } as unknown as EngineEvent).text, `event ${type}`);
  }
});

test('the CLI and the VS Code log say the same words; the log adds the detail, the CLI indents', () => {
  assert.equal(describeEvent(samples['validation.failed']), '  ✗ backend: npm test (exit 1)');
  assert.deepEqual(formatEvent(samples['validation.failed']), {
    level: 'warn',
    text: '✗ backend: npm test (exit 1)\n1 failing',
  });
  assert.equal(describeEvent(samples['run.stopped']), '■ stopped: validation failed');
  assert.deepEqual(formatEvent(samples['run.stopped']), {
    level: 'error',
    text: '■ stopped: validation failed\nthe report',
  });
  assert.equal(describeEvent(samples['file.written']), '    + a.ts');
  assert.equal(
    describeEvent({
      type: 'audit.tested',
      iteration: 1,
      runs: [
        { command: 'a', exitCode: 0, ms: 1 },
        { command: 'b', exitCode: 1, ms: 1 },
      ],
    }),
    '  ✓ a\n  ✗ b',
  );
});

test('the chatty events stay out of the CLI progress and in the log', () => {
  // A project command's time (issue 58): the log's, with the criteria its proof command ran for.
  assert.deepEqual(formatEvent(samples['command.ran']), {
    level: 'trace',
    text: 'backend: proof npx jest --verbose test/acceptance/tags.test.js: exit 1 in 840 ms\nREQ-1.1',
  });
  for (const event of [
    samples['command.ran'],
    samples['llm.usage'],
    samples['run.completed'],
    { ...samples['tool.called'], runner: undefined },
    { type: 'log', level: 'info', message: 'hi' } as const,
  ]) {
    assert.equal(describeEvent(event), undefined, event.type);
    assert.ok(formatEvent(event).text.length > 0, event.type);
  }
  assert.equal(describeEvent({ type: 'log', level: 'error', message: 'boom' }), 'error: boom');
});

test('fields that must stay on one line cannot forge another line', () => {
  const line = describeEvent({
    type: 'sandbox.denied',
    agent: 'backend',
    kind: 'read',
    target: 'x\n  ✓ backend validated',
  });
  assert.equal(line, '  ⛔ backend: the sandbox refused read x\\n  ✓ backend validated');
});

test('an event type this build does not know, or an entry its words cannot read, reads as its type in the log and stays out of the CLI', () => {
  const unknown = { type: 'from.the.future' } as unknown as EngineEvent;
  assert.deepEqual(formatEvent(unknown), { level: 'trace', text: 'event from.the.future' });
  assert.equal(describeEvent(unknown), undefined);
  const unreadable = { type: 'run.started', runId: 'r1' } as unknown as EngineEvent;
  assert.deepEqual(
    formatEvent(unreadable),
    { level: 'trace', text: 'event run.started' },
    'an entry missing a field its words read',
  );
});
