/**
 * The runners' record (issue 47) at the size of a busy repository's year: 10,000 outcomes (8
 * layers, 6 runners and models) in its file. Two costs every run may pay: `runner: auto`'s choice
 * (the record read, each line checked, the rule applied) when a layer's job starts, and a run's
 * end keeping its outcomes (one append, one fsync).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunnerOutcome } from '../../src/core/catalogue';
import { chooseAuto, fileRecord } from '../../src/core/runners';
import { median, sample, spread } from '../support/stats';
import type { BenchCase } from '../types';

const OUTCOMES = 10_000;
const RUNS = 9;
const TARGET_MS = 100;
const LAYERS = ['database', 'backend', 'frontend', 'api', 'worker', 'mobile', 'docs', 'infra'];
const PICKS = [
  { runner: 'agent' as const, model: 'claude-haiku-4-5' },
  { runner: 'agent' as const, model: 'claude-sonnet-5-5' },
  { runner: 'claude-code' as const },
  { runner: 'codex' as const, model: 'gpt-5.5' },
  { runner: 'gemini' as const },
  { runner: 'opencode' as const, model: 'openai/gpt-5.5' },
];

function outcome(i: number): RunnerOutcome {
  // Every layer on every runner and model: the layers turn fastest, then the picks.
  const pick = PICKS[Math.floor(i / LAYERS.length) % PICKS.length]!;
  return {
    runId: `20261101-${String(100000 + Math.floor(i / LAYERS.length)).padStart(6, '0')}-beef`,
    layer: LAYERS[i % LAYERS.length]!,
    attempt: 0,
    runner: pick.runner,
    ...(pick.model ? { model: pick.model } : {}),
    firstTry: i % 3 !== 0,
    retries: i % 3 === 0 ? 1 : 0,
    proofGreen: i % 5,
    proofTotal: 4,
    ...(i % 4 === 0 ? { review: 'approved' as const } : {}),
    costUsd: 0.01 * (1 + (i % 7)),
    durationMs: 20_000 + (i % 11) * 1000,
    at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
  };
}

export default {
  title: "The runners' record: auto's choice and a run's end, 10,000 outcomes",
  order: 47,
  async run(ctx) {
    const home = await mkdtemp(join(tmpdir(), 'orchestrator-bench-record-'));
    const data = await mkdtemp(join(tmpdir(), 'orchestrator-bench-record-data-'));
    const before = process.env.ORCHESTRATOR_DATA_DIR;
    process.env.ORCHESTRATOR_DATA_DIR = data;
    ctx.onCleanup(async () => {
      if (before === undefined) delete process.env.ORCHESTRATOR_DATA_DIR;
      else process.env.ORCHESTRATOR_DATA_DIR = before;
      await Promise.all([home, data].map((dir) => rm(dir, { recursive: true, force: true })));
    });
    const record = fileRecord(home);
    await record.add(Array.from({ length: OUTCOMES }, (_, i) => outcome(i)));
    let chose = '';
    const choosing = await sample(RUNS, async () => {
      const { pick, choice } = chooseAuto(
        PICKS,
        await record.read({ layer: 'backend' }),
        '20261126-120000-cafe',
        'backend',
      );
      chose = `${pick.runner}${pick.model ? `:${pick.model}` : ''} (${choice.by})`;
    });
    let run = 0;
    const ending = await sample(RUNS, async () => {
      run++;
      await record.add(
        LAYERS.slice(0, 3).map((layer, i) => ({ ...outcome(i), runId: `20261126-12000${run}-dead`, layer })),
      );
    });
    const kept = (await record.read()).length;
    return [
      {
        name: `runner: auto's choice for a layer from a ${OUTCOMES.toLocaleString('en')}-outcome record: read, the layer's lines checked, chosen (median of ${RUNS})`,
        value: Number(median(choosing).toFixed(1)),
        unit: 'ms',
        target: `≤ ${TARGET_MS} ms`,
        pass: median(choosing) <= TARGET_MS,
        note: `${LAYERS.length} layers × ${PICKS.length} runners and models in runners/record.jsonl; chose ${chose} for backend; ${spread(choosing)}.`,
      },
      {
        name: `A run's end keeping its 3 layers' outcomes in that record: appended, fsync'd (median of ${RUNS})`,
        value: Number(median(ending).toFixed(1)),
        unit: 'ms',
        target: `≤ ${TARGET_MS} ms`,
        pass: median(ending) <= TARGET_MS && kept === OUTCOMES + 3 * RUNS,
        note: `${kept.toLocaleString('en')} outcomes kept after ${RUNS} runs' ends (none twice); ${spread(ending)}.`,
      },
    ];
  },
} satisfies BenchCase;
