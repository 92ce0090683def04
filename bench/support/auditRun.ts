/**
 * A scripted 5-iteration audit of examples/shop (the whole workspace, dimension
 * architecture): the auditor reads the code it judges and scores 60 → 68 → 76 → 84 → 92 →
 * 100; each audit reports a P0 in the database and one in the backend (one wave, side by
 * side), a P1 in the frontend (the wave after), and a P2 in the backend (ENHANCE, once the
 * score reaches 80). Fixers make real edits the shop's own validate commands accept, and a
 * test command runs after each iteration. Every model call takes a fixed latency.
 */
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import type { RunSummary } from '../../src/core/api';
import { engine } from '../../src/core/engine';
import { block, reply } from '../../test/support/messagesApiServer';
import { fixer, submitAudit, type ScriptedFinding } from '../../test/support/auditScript';
import { startMessagesApiServer } from '../../test/support/messagesApiServer';
import { BenchHost } from './benchHost';
import { scriptedAgents, type AgentCall, type AgentScript } from './scriptedAgents';
import { makeShop } from './shop';

export const AUDIT_SCORES = [60, 68, 76, 84, 92, 100];
const TEMPLATES = resolve(__dirname, '../../.claude');
/** What the auditor reads on each audit before it submits (the files it judges). */
const READS = [
  'server/index.js',
  'server/entities/customer.js',
  'server/entities/order.js',
  'web/src/api.js',
  'db/migrations/002_create_order.sql',
];

function findingsOf(i: number): ScriptedFinding[] {
  if (i >= AUDIT_SCORES.length - 1) return [];
  return [
    {
      id: `DB-${i}`,
      severity: 'P0',
      description: 'Orders can reference a deleted customer.',
      file: 'db/migrations/002_create_order.sql',
      line: 3,
      recommendation: 'Document the ON DELETE behaviour next to the table.',
    },
    {
      id: `BE-${i}`,
      severity: 'P0',
      description: 'Oversized bodies leave the request hanging.',
      file: 'server/index.js',
      line: 26,
      recommendation: 'Answer 413 instead of destroying the socket.',
    },
    {
      id: `FE-${i}`,
      severity: 'P1',
      description: "ApiError drops the server's field errors.",
      file: 'web/src/api.js',
      line: 12,
      recommendation: 'Keep `errors` from the response body on the error.',
    },
    {
      id: `ST-${i}`,
      severity: 'P2',
      description: 'where() copies the whole table per lookup.',
      file: 'server/store.js',
      line: 27,
      recommendation: 'Iterate the table Map directly.',
    },
  ];
}

/** The auditor: reads READS (one call each), then submits; each audit is one attempt. */
function auditAgent(): AgentScript {
  return ({ turn, attempt }: AgentCall) => {
    const path = READS[turn];
    if (path) return reply.turn([`Reading ${path}.`, block.toolUse('read_file', { path })]);
    const i = Math.min(attempt, AUDIT_SCORES.length) - 1;
    return submitAudit(AUDIT_SCORES[i]!, findingsOf(i));
  };
}

export interface AuditRun {
  summary: RunSummary;
  host: BenchHost;
  wallMs: number;
}

export async function auditRun(latencyMs: number): Promise<AuditRun> {
  const shop = makeShop({ config: (yaml) => `${yaml}\naudit:\n  test: ["node scripts/check-migrations.js db"]\n` });
  const scripted = scriptedAgents(
    { audit: auditAgent(), database: fixer(), backend: fixer(), frontend: fixer() },
    latencyMs,
  );
  const api = await startMessagesApiServer(scripted.script).catch((error: unknown) => {
    shop.cleanup();
    throw error;
  });
  const host = new BenchHost();
  try {
    const started = performance.now();
    const summary = await engine.runAudit(
      { target: '.', dimension: 'architecture' },
      { workspace: shop.dir, host, baseURL: api.url, assumeYes: true, templatesDir: TEMPLATES },
    );
    const wallMs = performance.now() - started;
    if (api.scriptErrors.length > 0)
      throw new Error(`the scripted API failed: ${api.scriptErrors.map((e) => e.message).join('; ')}`);
    if (summary.status !== 'completed' || summary.audit?.reason !== 'target' || summary.audit.iterations.used !== 5) {
      throw new Error(
        `the audit ended ${summary.status} (${summary.audit?.reason}, ${summary.audit?.iterations.used} iterations): ${summary.error ?? ''}`,
      );
    }
    return { summary, host, wallMs };
  } finally {
    await api.close();
    shop.cleanup();
  }
}
