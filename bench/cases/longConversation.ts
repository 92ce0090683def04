/**
 * Issue 8 point 10: prompt tokens per request over a 40-turn agent that reads large files.
 * One backend agent (runAgent, the real Anthropic client, claude-sonnet-5-5 with its 200k
 * window) reads 40 generated modules of ~64 KB each, one a turn, then submits. The
 * Messages-API test server enforces the 200k window ("prompt is too long") and counts tokens
 * as ~4 characters each. Without compaction the 40th request would carry every file read so
 * far (~650k tokens) and the agent would die at about the 12th; with it, the prompt must stay
 * under the window and stop growing: the mean of the last 10 requests is compared with the
 * mean of requests 11–20.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAgent } from '../../src/core/agents';
import type { EngineEvent } from '../../src/core/events';
import { createAnthropicClient } from '../../src/core/llm/anthropic/client';
import { Budget } from '../../src/core/llm/budget';
import { createPricing } from '../../src/core/llm/pricing';
import { routingClient } from '../../src/core/llm/router';
import { promptTokens } from '../../src/core/llm/types';
import { reply, startMessagesApiServer } from '../../test/support/messagesApiServer';
import type { BenchCase } from '../types';

const TURNS = 40;
const WINDOW = 200_000;
const FILE_BYTES = 64_000;

const moduleText = (n: number): string =>
  `// server/modules/m${n}.ts — generated\n` +
  `export function handler${n}(input: { id: number; name: string }) { return { ...input, n: ${n}, label: "module ${n} handler" }; }\n`.repeat(
    Math.ceil(FILE_BYTES / 110),
  );

const kTokens = (n: number): string => `${Math.round(n / 1000)}k`;
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

export default {
  title: 'Long conversation: prompt tokens per request, 40 turns reading large files',
  order: 45,
  async run() {
    const base = mkdtempSync(join(tmpdir(), 'orch-bench-long-'));
    mkdirSync(join(base, 'server/modules'), { recursive: true });
    for (let i = 0; i < TURNS; i++) writeFileSync(join(base, `server/modules/m${i}.ts`), moduleText(i));
    const api = await startMessagesApiServer(
      (_req, i) =>
        i < TURNS
          ? reply.toolUse('read_file', { path: `server/modules/m${i}.ts` })
          : reply.toolUse('submit_result', { status: 'done', summary: 'read every module' }),
      { contextWindow: WINDOW },
    );
    const events: EngineEvent[] = [];
    try {
      const client = routingClient(
        new Map([['anthropic', createAnthropicClient({ apiKey: 'bench', baseURL: api.url })]]),
        createPricing(),
      );
      const result = await runAgent(
        {
          name: 'backend',
          mode: 'implement',
          attempt: 1,
          model: 'claude-sonnet-5-5',
          maxTokens: 16_384,
          system: 'You are the backend agent.',
          task: 'Read every module under server/modules.',
          owns: ['server/**'],
          finalTool: 'submit_result',
          maxTurns: TURNS + 5,
        },
        { workspace: base, client, budget: new Budget(1000), emit: (e) => events.push(e) },
      );
      if (result.outcome !== 'submitted') throw new Error(`the agent ended ${result.outcome}: ${result.error ?? ''}`);
      const prompts = events.flatMap((e) => (e.type === 'llm.usage' ? [promptTokens(e.usage)] : []));
      const compactions = events.filter((e) => e.type === 'llm.compacted').length;
      const refused = api.requests.length - prompts.length;
      const peak = Math.max(...prompts);
      const middle = mean(prompts.slice(10, 20));
      const last = mean(prompts.slice(-10));
      const growth = last / middle;
      const bounded = peak < WINDOW && refused === 0 && growth <= 1.25;
      return [
        {
          name: `Prompt tokens per request, ${TURNS}-turn agent reading ${TURNS} × ${FILE_BYTES / 1000} KB files (200k window)`,
          value: `max ${kTokens(peak)}; last 10 ${growth.toFixed(2)}× turns 11–20`,
          unit: '',
          target: 'max < 200k, last 10 ≤ 1.25× turns 11–20',
          pass: bounded,
          note: `per request: ${prompts.map(kTokens).join(' ')}; ${compactions} compactions, ${refused} requests refused as too long; without compaction the last request would carry ~${kTokens(prompts[1]! + (TURNS - 1) * (prompts[2]! - prompts[1]!))} tokens`,
        },
      ];
    } finally {
      await api.close();
      rmSync(base, { recursive: true, force: true });
    }
  },
} satisfies BenchCase;
