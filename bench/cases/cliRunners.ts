/**
 * Issue 27's rows: layers on Claude Code (the real binary from node_modules, against the
 * scripted Messages API with a fixed latency per call).
 *   - A layer on Claude Code vs the same CLI run bare (`claude -p`, stream-json) on the same
 *     scripted task: the runner's own cost (the agent's worktree, the owns gate, bringing the
 *     files back, the journal) as a wall-time ratio.
 *   - Three layers on Claude Code in one wave: one after another ÷ in parallel (IMPLEMENT).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startMessagesApiServer, reply, block, type ScriptedReply } from '../../test/support/messagesApiServer';
import { CLAUDE_BINARY, claudeCwd, claudeEnvironment, onClaudeCode } from '../../test/support/runners/claudeCode';
import { featureRun } from '../support/featureRun';
import {
  PRODUCT_MIGRATION,
  PRODUCT_MODULE,
  PRODUCT_REQUEST,
  PRODUCT_VIEW,
  productAgents,
} from '../support/productFeature';
import type { AgentCall, AgentScript } from '../support/scriptedAgents';
import { FIRST_EVENT_SHARE } from '../support/scriptedAgents';
import { makeShop, setLimit, withoutAfter } from '../support/shop';
import { median } from '../support/stats';
import { timelineOf } from '../support/timeline';
import type { BenchCase } from '../types';

const LATENCY_MS = 1500;
const RUNS = 3;

/** The scripted task: three files, one model call each, then the answer (4 calls). */
const TASK_FILES = (module: string): Record<string, string>[] => [
  { 'server/entities/product.js': module },
  { 'server/entities/productNotes.md': '# Product\nA simple entity: name and price.\n' },
  { 'server/entities/productFields.json': '{ "name": "string", "price": "number" }\n' },
];

const writeIn = (cwd: string, files: Record<string, string>): ScriptedReply =>
  reply.turn(
    Object.entries(files).map(([path, content]) => block.toolUse('Write', { file_path: join(cwd, path), content })),
  );

/** The layer on Claude Code: the task's writes, then its structured answer. */
function claudeLayer(files: Record<string, string>[]): AgentScript {
  return (call: AgentCall) =>
    call.turn < files.length
      ? writeIn(claudeCwd(call), files[call.turn]!)
      : reply.toolUse('StructuredOutput', { status: 'done', summary: 'Wrote the files.' });
}

/** The same CLI, bare: `claude -p` in a fresh copy of the shop on the same scripted task. */
async function bareMs(): Promise<number> {
  const shop = makeShop();
  const files = TASK_FILES(PRODUCT_MODULE);
  let turn = 0;
  const api = await startMessagesApiServer((req) => {
    const cwd = /Primary working directory: ([^\n"\\]+)/.exec(JSON.stringify(req.body))![1]!.trim();
    const next = turn < files.length ? writeIn(cwd, files[turn]!) : reply.text('Wrote the files.');
    turn++;
    return reply.slow(next, {
      beforeMs: LATENCY_MS * FIRST_EVENT_SHARE,
      streamMs: LATENCY_MS * (1 - FIRST_EVENT_SHARE),
    });
  });
  const env = claudeEnvironment(api.url);
  try {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        CLAUDE_BINARY,
        [
          '-p',
          'Add a Product entity module and its notes.',
          '--output-format',
          'stream-json',
          '--verbose',
          '--permission-mode',
          'acceptEdits',
          '--setting-sources',
          '',
        ],
        {
          cwd: shop.dir,
          env: {
            PATH: process.env.PATH,
            HOME: env.home,
            ANTHROPIC_BASE_URL: api.url,
            ANTHROPIC_API_KEY: 'test-key',
            CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          },
          stdio: ['ignore', 'ignore', 'ignore'],
        },
      );
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`claude -p exited ${code}`))));
    });
    const ms = performance.now() - started;
    if (turn !== files.length + 1) throw new Error(`the bare run made ${turn} calls, expected ${files.length + 1}`);
    return ms;
  } finally {
    env.restore();
    await api.close();
    shop.cleanup();
  }
}

/** The backend layer on Claude Code inside a feature run: agent.started → agent.completed. */
async function layerMs(): Promise<number> {
  const env = claudeEnvironment('');
  try {
    let ms = 0;
    await featureRun({
      request: PRODUCT_REQUEST,
      agents: { ...productAgents(), backend: claudeLayer(TASK_FILES(PRODUCT_MODULE)) },
      latencyMs: LATENCY_MS,
      shop: { config: onClaudeCode(['backend']) },
      onServer: (url) => void (process.env.ANTHROPIC_BASE_URL = url),
      onEvents: (events) => {
        const start = events.find((e) => e.event.type === 'agent.started' && e.event.agent === 'backend');
        const end = events.find((e) => e.event.type === 'agent.completed' && e.event.agent === 'backend');
        ms = end!.at - start!.at;
      },
    });
    return ms;
  } finally {
    env.restore();
  }
}

/** IMPLEMENT time of the three layers on Claude Code in one wave, at `concurrency`. */
async function waveMs(concurrency: number): Promise<number> {
  const env = claudeEnvironment('');
  try {
    const run = await featureRun({
      request: PRODUCT_REQUEST,
      agents: {
        ...productAgents({ independentFrontend: true }),
        database: claudeLayer([
          { 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION },
          { 'db/migrations/003_notes.md': '# 003\nproducts table\n' },
        ]),
        backend: claudeLayer([
          { 'server/entities/product.js': PRODUCT_MODULE },
          { 'server/entities/productNotes.md': '# Product\n' },
        ]),
        frontend: claudeLayer([
          { 'web/src/products.js': PRODUCT_VIEW },
          { 'web/src/productNotes.md': '# Product view\n' },
        ]),
      },
      latencyMs: LATENCY_MS,
      shop: {
        config: (yaml) =>
          onClaudeCode(['database', 'backend', 'frontend'])(setLimit('concurrency', concurrency)(withoutAfter(yaml))),
      },
      onServer: (url) => void (process.env.ANTHROPIC_BASE_URL = url),
    });
    return timelineOf(run.host.events).phaseMs('IMPLEMENT');
  } finally {
    env.restore();
  }
}

export default {
  title: "Layers on Claude Code: the runner's overhead, and three in parallel",
  order: 25,
  async run(ctx) {
    const bare: number[] = [];
    const layer: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      bare.push(await bareMs());
      layer.push(await layerMs());
      ctx.log(
        `  run ${i + 1}: bare claude -p ${bare[i]!.toFixed(0)} ms, the layer on claude-code ${layer[i]!.toFixed(0)} ms`,
      );
    }
    const par = await waveMs(3);
    const seq = await waveMs(1);
    ctx.log(`  three layers on claude-code: parallel ${par.toFixed(0)} ms, one after another ${seq.toFixed(0)} ms`);
    const overhead = median(layer) / median(bare);
    const speedup = seq / par;
    return [
      {
        name: `A layer on Claude Code ÷ the same CLI run bare on the same task (4 model calls, ${LATENCY_MS} ms each; median of ${RUNS})`,
        value: overhead,
        unit: '×',
        target: '≤ 1.05×',
        pass: overhead <= 1.05,
        note: `Bare: \`claude -p\` (stream-json, acceptEdits) in a copy of the shop, spawn to exit: ${median(bare).toFixed(0)} ms. The layer: agent.started → agent.completed of backend on claude-code in a feature run (its worktree of the run's state, the Agent SDK, the owns gate, its files brought back and journaled): ${median(layer).toFixed(0)} ms.`,
      },
      {
        name: `Three layers on Claude Code in one wave: one after another ÷ in parallel, IMPLEMENT time (${LATENCY_MS} ms per model call)`,
        value: speedup,
        unit: '×',
        target: '≥ 2.5×',
        pass: speedup >= 2.5,
        note: `IMPLEMENT phase: concurrency 3 ${par.toFixed(0)} ms vs concurrency 1 ${seq.toFixed(0)} ms; each layer 3 model calls (two writes, the answer) on its own Claude Code process in its own worktree, then its validate command.`,
      },
    ];
  },
} satisfies BenchCase;
