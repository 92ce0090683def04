/**
 * No spec work dropped (docs/pipeline.md "Agent tool protocol"): every open task and file of a spec
 * must be owned by a configured layer, or no agent would ever do it. `submit_spec` is refused
 * with the offending lines; a spec a human edited is shown with them and approving it asks
 * first.
 */
import type { FinalCheck, SpecReport } from '../../agents';
import type { Host } from '../../host';
import type { UpFrontAnswers } from '../../questions';
import { askConfirmation, type AskedWhere, type QuestionPlace } from '../kernel';
import type { OrchestratorConfig } from '../../project/config';
import { unownedInSpecFile, type UnownedItem, unownedWork } from '../../project/specs';
import { ApprovalDeclined } from '../../errors';
import { isPendingProposal, MODEL_FOUND_NONE, NO_LAYER } from '../../import';
import type { RunOptions } from '../../api';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../project/sources';
import { NOT_IMPLEMENTABLE } from '../../trace';
import { acceptProposals, pendingProposals, proposeLayers } from './layerProposal';

/** `- line 14: task "Create the customer table"`, one line per item. */
export function describeUnowned(items: readonly UnownedItem[]): string {
  return items
    .map(
      (item) =>
        `- line ${item.line}: ${item.kind} "${item.text.length > 160 ? `${item.text.slice(0, 157)}...` : item.text}"`,
    )
    .join('\n');
}

/** `database owns db/**; backend owns server/**` */
export function describeLayers(config: OrchestratorConfig): string {
  return Object.entries(config.layers)
    .map(([name, layer]) => `${name} owns ${layer.owns.join(', ')}`)
    .join('; ');
}

/** submit_spec's check: the spec agent gets every unowned line back and fixes the spec. */
export function unownedWorkCheck(config: OrchestratorConfig): FinalCheck<SpecReport> {
  return (report) => {
    const items = unownedWork(report.markdown, config);
    if (items.length === 0) return undefined;
    return [
      `refused: ${items.length === 1 ? 'this item of the spec is' : `these ${items.length} items of the spec are`} owned by no configured layer, so no agent would do ${items.length === 1 ? 'it' : 'them'} (layers: ${describeLayers(config)}):`,
      describeUnowned(items),
      'Put each task under its layer\'s heading (e.g. "#### Database" under Tasks), or name in it a file inside that layer\'s owns, or name the layer; list each file under the layer whose owns matches its path. Then call submit_spec again with the whole spec.',
    ].join('\n');
  };
}

/**
 * Before a spec is approved, as the human left it on disk: work no layer owns needs a yes
 * (a modal in the editor; `--yes` in the CLI). With the run's options, an imported spec's tasks
 * marked "no layer" are first proposed a layer by the model (layerProposal.ts), and the proposals
 * need a yes too. Returns the items (and proposals) when approval is declined.
 */
export async function confirmUnownedWork(
  input: {
    workspace: string;
    config: OrchestratorConfig;
    host: Host;
    specId: string;
    specPath: string;
    opts?: RunOptions;
    /** The answers given up front (`--yes`; `placementShown`: the proposals were shown where this approval was given, the run's gate or a pooled run's dispatch, and the approval accepts them). */
    answers: UpFrontAnswers;
  },
  /** Where its questions and answers are journaled (the run's journal, or the host before a run). */
  place: QuestionPlace,
): Promise<UnownedItem[] | undefined> {
  const journal = (question: string, answer: boolean) => place.emit({ type: 'confirmation', question, answer });
  let items = await unownedInSpecFile(input.workspace, input.specPath, input.config);
  // Tasks import could not place: the model is asked once, and its proposals wait for the human below.
  if (input.opts && items.some(isUnassignedTask)) {
    await proposeLayers({
      workspace: input.workspace,
      specId: input.specId,
      specPath: input.specPath,
      config: input.config,
      opts: input.opts,
    });
    items = await unownedInSpecFile(input.workspace, input.specPath, input.config);
  }
  const proposals = await pendingProposals(input.workspace, input.specPath);
  // A task with no layer would be done by nobody and found out only at COMPLETE: no yes approves it, --yes included.
  const unassigned = items.filter(isUnassignedTask);
  if (unassigned.length > 0) {
    journal(`Spec ${input.specId} has ${unassigned.length} task(s) with no layer: pick each one's layer first.`, false);
    return [...items, ...proposals];
  }
  if (proposals.length > 0) {
    const question = `The model proposed the layer of ${proposals.length === 1 ? 'a task' : `${proposals.length} tasks`} of spec ${input.specId} that name no file. Accept ${proposals.length === 1 ? 'it' : 'them'} and approve? (Change any with --assign or the sidebar's layer picker.)`;
    const answer = await askConfirmation(askedWhere(input, place), {
      kind: 'layer-proposal',
      agent: 'spec',
      question,
      paths: describeUnowned(proposals).split('\n'),
    });
    journal(question, answer);
    if (!answer) return proposals;
    await acceptProposals(input.workspace, input.specPath);
  }
  if (items.length === 0) return undefined;
  const question = `Spec ${input.specId} has ${items.length === 1 ? 'an item' : `${items.length} items`} that no layer owns; no agent will do ${items.length === 1 ? 'it' : 'them'}. Approve it anyway?`;
  const answer = await askConfirmation(askedWhere(input, place), {
    kind: 'unowned-work',
    agent: 'spec',
    question,
    paths: describeUnowned(items).split('\n'),
  });
  journal?.(question, answer);
  if (!answer) return items;
  await recordNotToBeDone(input.workspace, input.specPath, items);
  return undefined;
}

/**
 * Open tasks approved with no layer to do them are recorded in the spec as not to be done, ticked
 * with why: the trace then shows them so instead of a run finding out at TRACE that nothing
 * implemented what only they served.
 */
async function recordNotToBeDone(workspace: string, specPath: string, items: readonly UnownedItem[]): Promise<void> {
  const tasks = items.filter((item) => item.kind === 'task');
  if (tasks.length === 0) return;
  const file = join(workspace, specPath);
  const lines = (await readFile(file, 'utf8')).split('\n');
  for (const task of tasks) {
    const line = lines[task.line - 1];
    if (line === undefined || !/^\d+\.\s+\[ \]/.test(line)) continue;
    lines[task.line - 1] =
      `${line.replace(/^(\d+\.\s+)\[ \]/, '$1[x]')} — ${NOT_IMPLEMENTABLE}: no layer owns what it names; approved without one`;
  }
  await writeFileAtomic(file, lines.join('\n'));
}

const askedWhere = (
  input: { config: OrchestratorConfig; host: Host; answers: UpFrontAnswers; opts?: RunOptions },
  place: QuestionPlace,
): AskedWhere => {
  const signal = place.signal ?? input.opts?.signal;
  return {
    emit: place.emit,
    ...(place.events ? { events: place.events } : {}),
    host: input.host,
    config: input.config,
    answers: input.answers,
    ...(signal ? { signal } : {}),
    ...(place.setAside ? { setAside: place.setAside } : {}),
  };
};

/** A task import marked "no layer": it names no file and nothing told its layer. */
function isUnassignedTask(item: UnownedItem): boolean {
  return item.kind === 'task' && item.text.includes(NO_LAYER);
}

function isProposal(item: UnownedItem): boolean {
  return item.kind === 'task' && isPendingProposal(item.text);
}

const taskId = (item: UnownedItem): string => /^(\S+)\s/.exec(item.text)?.[1] ?? '?';

/** The tasks of a spec that name no file and that no layer was found for (import's rules, then the model). */
export function unplacedTasks(items: readonly UnownedItem[]): UnownedItem[] {
  return items.filter(isUnassignedTask);
}

/**
 * The one sentence every surface says of tasks nothing could place (the CLI's error, the GitHub
 * spec comment, a pooled run's reason): which tasks, and the layers there are with what they own.
 */
export function unplaceable(tasks: readonly UnownedItem[], config: OrchestratorConfig): string {
  const ids = tasks.map(taskId);
  const one = ids.length === 1;
  const modelFoundNone = tasks.every((t) => t.text.includes(MODEL_FOUND_NONE));
  return `${one ? 'task' : 'tasks'} ${ids.join(', ')} ${one ? 'names' : 'name'} no file and no layer could be told for ${one ? 'it' : 'them'}${modelFoundNone ? `, the model found no layer owning anything like ${one ? 'it' : 'them'}` : ''} (layers: ${describeLayers(config)})`;
}

/** What the human is told when approval is declined (the CLI's error without --yes; always for tasks with no layer). */
export function approvalDeclined(
  specId: string,
  specPath: string,
  items: readonly UnownedItem[],
  config: OrchestratorConfig,
): ApprovalDeclined {
  const unassigned = items.filter(isUnassignedTask);
  const proposals = items.filter(isProposal);
  const layers = Object.keys(config.layers);
  const proposed =
    proposals.length > 0
      ? ['The model proposed (accepted with the rest once these have a layer):', describeUnowned(proposals)]
      : [];
  if (unassigned.length > 0) {
    const ids = unassigned.map(taskId);
    return new ApprovalDeclined(
      [
        `Spec ${specId} was not approved, and nothing ran: ${unplaceable(unassigned, config)}; pick ${unassigned.length === 1 ? 'its layer' : 'their layers'} (--assign, or the layer picker in the sidebar), then approve again.`,
        describeUnowned(unassigned),
        ...proposed,
        'Neither the words, the siblings, the design, the census nor the model point to one layer, and --yes does not skip this (no agent would do the work). Give each its layer:',
        `  orchestrator approve ${specId} ${ids.map((id) => `--assign "${id}=<layer>"`).join(' ')}    (layers: ${layers.join(', ')})`,
        '  or, in VS Code, the layer picker above the spec in the sidebar (Assign beside each task),',
        `  or write "— layer: <name>" at the end of the task's line in ${specPath}.`,
      ].join('\n'),
    );
  }
  if (proposals.length > 0 && proposals.length === items.length) {
    const ids = proposals.map(taskId);
    return new ApprovalDeclined(
      [
        `Spec ${specId} was not approved, and nothing ran: the model proposed the layer of ${proposals.length === 1 ? 'task' : 'tasks'} ${ids.join(', ')}, which ${proposals.length === 1 ? 'names' : 'name'} no file:`,
        describeUnowned(proposals),
        `Accept ${proposals.length === 1 ? 'it' : 'them'}: orchestrator approve ${specId} --yes`,
        `  or change any: orchestrator approve ${specId} ${ids.map((id) => `--assign "${id}=<layer>"`).join(' ')}    (layers: ${layers.join(', ')})`,
        '  or, in VS Code, the layer picker above the spec in the sidebar (Assign beside each task).',
      ].join('\n'),
    );
  }
  return new ApprovalDeclined(
    [
      `Spec ${specId} was not approved: ${specPath} has work that no configured layer owns (layers: ${describeLayers(config)}):`,
      describeUnowned(items),
      "Put each item under its layer's heading or name a file the layer owns, then approve again; or approve it as it is with --yes.",
    ].join('\n'),
  );
}
