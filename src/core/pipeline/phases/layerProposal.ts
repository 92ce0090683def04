/**
 * The model's proposal for an imported spec's tasks that name no file and that nothing at import
 * placed (issue 37): one model call with the task list, the layers and their owns proposes a
 * layer per task (or "not implementable": process, not code), with a one-line reason each. The
 * proposals are written into the task lines for the human to see and change at the approval
 * gate (specOwnership.ts); accepting them (`--yes`, or yes at the gate) marks them accepted, and
 * the run journals every task's layer and where it came from (`tasks.assigned`).
 */
import { join } from 'node:path';
import * as z from 'zod/mini';
import type { RunOptions } from '../../api';
import type { EngineEvent } from '../../events';
import {
  ACCEPTED,
  isPendingProposal,
  MODEL_FOUND_NONE,
  NO_LAYER,
  pendingProposalItems,
  PROPOSED,
  TASK_LINE,
  taskLinesOf,
} from '../../import';
import { loadSpec, type SpecFrontMatter, type UnownedItem, updateSpecFrontMatter } from '../../project/specs';
import { modelFor, type OrchestratorConfig } from '../../project/config';
import { parseModelId } from '../../llm';
import { readOptionalText, writeFileAtomic } from '../../project/sources';
import { NOT_IMPLEMENTABLE } from '../../trace';
import { openRunModels } from '../kernel';

const TOOL = 'propose_layers';
/** What the prompt shows of the spec's task list: enough for a folder of several hundred tasks. */
const MAX_LIST_CHARS = 60_000;
// Room for a proposal per task of a large folder (about 40 tokens each).
const MAX_TOKENS = 8192;

const proposals = z.object({
  proposals: z
    .array(
      z.object({
        task: z.string().check(z.minLength(1), z.maxLength(80)),
        layer: z.string().check(z.minLength(1), z.maxLength(80)),
        reason: z.string().check(z.maxLength(2000)),
      }),
    )
    .check(z.maxLength(2000)),
});

export type TasksAssigned = Extract<EngineEvent, { type: 'tasks.assigned' }>;
/** What the proposal's model call cost: charged to the run that implements the spec (its budget and journal). */
export type ProposalUsage = Extract<EngineEvent, { type: 'llm.usage' }>;
type OwedCost = NonNullable<SpecFrontMatter['layerProposalCost']>[number];

/**
 * Asks the model once about the spec's tasks marked "no layer" and writes its proposals into
 * their lines. A model that cannot be asked (no key, an error) or answers nothing usable leaves
 * the tasks as they were, with a warning: the gate then stops naming them, as without a model.
 */
export async function proposeLayers(input: {
  workspace: string;
  specId: string;
  specPath: string;
  config: OrchestratorConfig;
  opts: RunOptions;
}): Promise<void> {
  const file = join(input.workspace, input.specPath);
  const text = await readOptionalText(file);
  if (text === undefined) return;
  const tasks = taskLinesOf(text);
  // A task the model already placed nowhere is not asked about again: the human picks.
  const open = tasks.filter((t) => t.text.includes(NO_LAYER) && !t.text.includes(MODEL_FOUND_NONE));
  if (open.length === 0) return;
  const { config, opts } = input;
  const say = (level: 'info' | 'warn', message: string) => opts.host.onEvent({ type: 'log', level, message });
  const emit = (event: EngineEvent) => opts.host.onEvent(event);
  let answer: z.infer<typeof proposals>['proposals'];
  let cost = '';
  let spent: OwedCost | undefined;
  try {
    const models = await openRunModels(opts, config, ['spec']);
    const model = modelFor(config, 'spec');
    const started = Date.now();
    const reply = await models.clientFor('spec', emit).send({
      model,
      maxTokens: MAX_TOKENS,
      system: SYSTEM,
      tools: [PROPOSE_TOOL],
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'text',
              text: prompt(
                tasks.map((t) => t.text),
                open.map((t) => t.id),
                config,
              ),
            },
          ],
        },
      ],
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    // Paid for whatever it answered; owed by the run that implements the spec, however long the human takes.
    spent = {
      model: reply.model,
      provider: parseModelId(model).provider,
      costUsd: reply.costUsd ?? 0,
      ms: Date.now() - started,
      usage: reply.usage,
      ...(reply.costUsd === undefined ? { priced: false as const } : {}),
    };
    const call = reply.content.find((part) => part.type === 'tool_call' && part.name === TOOL);
    const parsed = call && call.type === 'tool_call' ? proposals.safeParse(call.input) : undefined;
    if (!parsed?.success) throw new Error(`the model did not call ${TOOL} with a list of proposals`);
    answer = parsed.data.proposals;
    cost = reply.costUsd !== undefined ? `; the call cost $${reply.costUsd.toFixed(4)}` : '';
  } catch (error) {
    say(
      'warn',
      `The model could not propose layers for ${open.map((t) => t.id).join(', ')} (${error instanceof Error ? error.message : String(error)}): pick them yourself.`,
    );
    if (spent) await oweProposalCost(input.workspace, input.specId, spent);
    return;
  }
  const layers = Object.keys(config.layers);
  const byTask = new Map(answer.map((p) => [p.task.trim(), p]));
  const lines = text.split('\n');
  const proposed: string[] = [];
  for (const task of open) {
    const proposal = byTask.get(task.id) ?? { layer: 'none', reason: 'it gave no answer for this task' };
    const reason = oneReason(proposal.reason);
    const layer = proposal.layer.trim();
    const line = lines[task.line - 1]!;
    if (layers.includes(layer))
      lines[task.line - 1] = line.replace(NO_LAYER, `layer: ${layer} (${PROPOSED}: ${reason})`);
    else if (layer === NOT_IMPLEMENTABLE.replace(' ', '-') || layer === NOT_IMPLEMENTABLE)
      lines[task.line - 1] = line
        .replace(` — ${NO_LAYER}`, ` — ${NOT_IMPLEMENTABLE}: ${reason} (${PROPOSED})`)
        .replace(/^(\d+\.\s+)\[ \]/, '$1[x]');
    else {
      lines[task.line - 1] = `${line} — ${MODEL_FOUND_NONE}: ${reason}`;
      continue;
    }
    proposed.push(task.id);
  }
  await writeFileAtomic(file, lines.join('\n'));
  await oweProposalCost(input.workspace, input.specId, spent!);
  say(
    'info',
    `The model proposed a layer for ${proposed.length} of ${open.length} task(s) naming no file${proposed.length > 0 ? ` (${proposed.join(', ')}); they are shown at approval for you to accept or change` : ''}${cost}.`,
  );
}

async function oweProposalCost(workspace: string, specId: string, cost: OwedCost): Promise<void> {
  const owed = (await loadSpec(workspace, specId)).frontMatter.layerProposalCost ?? [];
  await updateSpecFrontMatter(workspace, specId, { layerProposalCost: [...owed, cost] });
}

/**
 * The proposal calls a spec owes, as the `llm.usage` its run journals (on the spec role's model:
 * the spec agent's), taken off the spec: a run charges them once.
 */
export async function takeProposalCosts(workspace: string, specId: string): Promise<ProposalUsage[]> {
  const owed = (await loadSpec(workspace, specId)).frontMatter.layerProposalCost ?? [];
  if (owed.length === 0) return [];
  await updateSpecFrontMatter(workspace, specId, { layerProposalCost: undefined });
  return owed.map((cost) => ({
    type: 'llm.usage',
    agent: 'spec',
    model: cost.model,
    usage: cost.usage,
    costUsd: cost.costUsd,
    ms: cost.ms,
    provider: cost.provider,
    ...(cost.priced === false ? { priced: false as const } : {}),
  }));
}

/** The task lines whose proposal waits for the human (to show at the gate). */
export async function pendingProposals(workspace: string, specPath: string): Promise<UnownedItem[]> {
  const text = await readOptionalText(join(workspace, specPath));
  return text === undefined ? [] : pendingProposalItems(text);
}

/** The human accepted the proposals: their marks say so (the next approval does not ask again). */
export async function acceptProposals(workspace: string, specPath: string): Promise<void> {
  const file = join(workspace, specPath);
  const text = await readOptionalText(file);
  if (text === undefined) return;
  const lines = text
    .split('\n')
    .map((line) =>
      TASK_LINE.test(line) && isPendingProposal(line) ? line.replace(PROPOSED, `${PROPOSED}, ${ACCEPTED}`) : line,
    );
  await writeFileAtomic(file, lines.join('\n'));
}

/**
 * Every task of an imported spec whose layer was decided rather than read from a file it names,
 * and where the decision came from: its siblings, a name it uses, the design, its wording, the
 * model (accepted), the human; and the tasks recorded as not implementable, with the reason.
 * Undefined when there are none (a spec written by the spec agent).
 */
export async function tasksAssigned(
  workspace: string,
  specId: string,
  specPath: string,
): Promise<TasksAssigned | undefined> {
  const text = await readOptionalText(join(workspace, specPath));
  if (text === undefined) return undefined;
  const tasks: TasksAssigned['tasks'] = [];
  const notImplementable: TasksAssigned['notImplementable'] = [];
  for (const { id, text: line } of taskLinesOf(text)) {
    const skipped = new RegExp(`— ${NOT_IMPLEMENTABLE}: (.*?)(?: \\((${PROPOSED}[^)]*)\\))?$`).exec(line);
    if (skipped) {
      notImplementable.push({ task: id, reason: skipped[1]!, source: skipped[2] ? 'model' : 'import' });
      continue;
    }
    const decided = /— layer: ([A-Za-z0-9_-]+) \((.*)\)$/.exec(line);
    if (!decided) continue;
    const note = decided[2]!;
    const source: TasksAssigned['tasks'][number]['source'] = note.startsWith(PROPOSED)
      ? 'model'
      : note === 'chosen when approving'
        ? 'user'
        : note.startsWith('from its sibling tasks')
          ? 'sibling'
          : /^from `[^`]+`, defined in /.test(note)
            ? 'name'
            : /^from (?!the task's wording)/.test(note)
              ? 'design'
              : 'wording';
    tasks.push({
      task: id,
      layer: decided[1]!,
      source,
      reason: note.replace(/^from /, '').replace(new RegExp(`^${PROPOSED}(?:, ${ACCEPTED})?: `), ''),
    });
  }
  return tasks.length + notImplementable.length > 0
    ? { type: 'tasks.assigned', specId, tasks, notImplementable }
    : undefined;
}

// eslint-disable-next-line no-control-regex -- control characters are what it removes
const CONTROLS = /[\u0000-\u001f\u007f]+/g;

/** One line, no parentheses (the mark is read back by them), bounded: the model's words are data. */
function oneReason(reason: string): string {
  const line = reason.replace(CONTROLS, ' ').replace(/[()]/g, '').replace(/\s+/g, ' ').trim();
  return (line.length > 160 ? `${line.slice(0, 157)}...` : line) || 'no reason given';
}

const SYSTEM = [
  '# You are the LAYERS SPECIALIST of the orchestrator.',
  'A spec imported from a Kiro or Spec Kit folder is about to be implemented. Each layer is an agent that may write only the files its globs own.',
  'Some tasks name no file, and neither their siblings, the names they use, the design nor their words told which layer does them.',
  `For each such task, propose the one layer whose files the work changes, or "${NOT_IMPLEMENTABLE.replace(' ', '-')}" when it is process, not code (a meeting, an announcement, a manual check) or belongs to no layer's files; give a one-line reason.`,
  `Answer only by calling ${TOOL} once, with one proposal per task asked about.`,
].join('\n');

const PROPOSE_TOOL = {
  name: TOOL,
  description: 'Propose a layer for each task that names no file.',
  inputSchema: {
    type: 'object' as const,
    properties: {
      proposals: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            task: { type: 'string', description: 'The task id as the list shows it, e.g. "T020" or "3.2".' },
            layer: { type: 'string', description: `A layer name, or "${NOT_IMPLEMENTABLE.replace(' ', '-')}".` },
            reason: { type: 'string', description: 'One line: why this layer.' },
          },
          required: ['task', 'layer', 'reason'],
        },
      },
    },
    required: ['proposals'],
  },
};

function prompt(taskList: readonly string[], asked: readonly string[], config: OrchestratorConfig): string {
  const list = taskList.join('\n');
  return [
    `## TASKS TO PLACE\n${asked.join(', ')}`,
    `## LAYERS\n${Object.entries(config.layers)
      .map(([name, layer]) => `- ${name} owns ${layer.owns.join(', ')}`)
      .join('\n')}`,
    `## THE SPEC'S TASK LIST (the others show the layer they went to)\n${list.length > MAX_LIST_CHARS ? `${list.slice(0, MAX_LIST_CHARS)}\n… (cut)` : list}`,
  ].join('\n\n');
}
