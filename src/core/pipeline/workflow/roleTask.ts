/**
 * What a role is given (issue 29): the phase's inputs as the workflow names them — the request,
 * the approved spec, the census (layers, what they own, the schema files), an earlier phase's
 * documents (all of them, or `<phase>.<document>`), the files a code phase changed — and the
 * documents it must leave, with their required sections. Feedback (a failed gate's report, the
 * human's requested changes, the reviewer's request) comes first, since it is what changed.
 */
import { join } from 'node:path';
import { censusRoom } from '../../census';
import { filesChanged } from '../../journal';
import { readOptionalText } from '../../project/sources';
import { loadSpec } from '../../project/specs';
import type { WorkflowDocument, WorkflowPhase } from '../../project/workflows';
import type { RunContext } from '../kernel';
import { documentPaths, phaseDocuments } from './documents';
import type { WorkflowSession } from './steps';

/** A document longer than this is cut (the role can read the whole file with its tools). */
const DOCUMENT_CHARS = 40_000;

export interface RoleFeedback {
  /** `gate`: the phase's checks failed; `human`: changes requested at its gate; `reviewer`: the reviewer asked again; `change`: the spec was amended. */
  kind: 'gate' | 'human' | 'reviewer' | 'change';
  text: string;
}

const FEEDBACK_HEADINGS: Record<RoleFeedback['kind'], string> = {
  gate: '## GATE FAILED — FIX THE DOCUMENTS\nThe orchestrator checked your documents and they did not pass. Fix each problem below (the documents are on disk: read, then rewrite them), then call submit_result again.',
  human:
    '## CHANGES REQUESTED\nThe human who signs this phase off asked for changes. Revise your documents accordingly, then call submit_result again.',
  change:
    '## THE SPEC WAS AMENDED\nA change request was approved after you wrote your documents. Revise them for the amended spec (keep what it does not change), then call submit_result again.',
  reviewer:
    '## THE REVIEWER ASKS AGAIN\nYour reviewer did not accept this version. Address each point in a new version of your documents, then call submit_result again.',
};

/** `item`: the squad or layer this run of a fanned-out phase writes for. */
export async function roleTask(
  ctx: RunContext,
  session: WorkflowSession,
  phase: WorkflowPhase,
  documents: string[],
  item: string | undefined,
  feedback: RoleFeedback | undefined,
): Promise<string> {
  const parts: string[] = [];
  if (feedback) parts.push(`${FEEDBACK_HEADINGS[feedback.kind]}\n${feedback.text.trim()}`);
  const wanted = (phase.outputs ?? []).filter((output): output is WorkflowDocument => output !== 'code');
  const lines = wanted.flatMap((output) =>
    documentPaths(ctx, output, /\{(squad|layer)\}/.test(output.path) ? item : undefined).map(
      (path) =>
        `- ${path}${output.title ? ` (${output.title})` : ''}${output.sections?.length ? `: sections ${output.sections.map((s) => `"${s}"`).join(', ')}` : ''}${output.checks?.includes('adr') ? '; every ADR with Context, Decision and Consequences' : ''}${output.checks?.includes('mermaid') ? '; Mermaid blocks that parse' : ''}`,
    ),
  );
  const perLayer = phase.fanOut === 'layers' && item !== undefined;
  const itemNote =
    item === undefined
      ? ''
      : perLayer
        ? ` for layer ${item} (it owns: ${(ctx.config.layers[item]?.owns ?? []).join(', ')})`
        : ` for squad ${item} (its layers: ${(session.workflow.squads?.[item] ?? [item]).join(', ')})`;
  const codeNote = (phase.outputs ?? []).includes('code')
    ? perLayer
      ? `\nCode changes go within layer ${item}'s owns.`
      : "\nCode changes go within the layers' owns."
    : '';
  parts.push(
    `## TASK\nPhase ${phase.name}${phase.title ? ` — ${phase.title}` : ''}${itemNote}.\n${documents.length > 0 ? `Write:\n${lines.join('\n')}` : 'Give your answer with submit_result.'}${codeNote}`,
  );
  for (const input of phase.inputs ?? []) parts.push(await inputSection(ctx, session, input));
  return parts.join('\n\n');
}

async function inputSection(ctx: RunContext, session: WorkflowSession, input: string): Promise<string> {
  if (input === 'request') return `## INPUT: the request\n${ctx.request}`;
  if (input === 'spec') return `## INPUT: the spec\n${await specText(ctx, session)}`;
  if (input === 'census') return `## INPUT: the census\n${await censusText(ctx)}`;
  const [name, document] = input.split('.');
  const phase = session.workflow.phases.find((p) => p.name === name);
  if (!phase) return `## INPUT: ${input}\n(unknown)`;
  const outputs = (phase.outputs ?? []).filter(
    (output): output is WorkflowDocument =>
      output !== 'code' && (document === undefined || output.document === document),
  );
  // The spec phase's document is the spec itself.
  if (phase.uses === 'spec') return `## INPUT: ${input} (the spec)\n${await specText(ctx, session)}`;
  const texts = await Promise.all(
    outputs
      .flatMap((output) => documentPaths(ctx, output))
      .map(
        async (path) => `### ${path}\n${cut((await readOptionalText(join(ctx.workspace, path))) ?? '(not written)')}`,
      ),
  );
  const code =
    (phase.outputs ?? []).includes('code') || phase.uses === 'implement' || phase.uses === 'fix'
      ? [
          `### Files this run changed\n${
            filesChanged(ctx.state())
              .map((f) => `- ${f}`)
              .join('\n') || '(none)'
          }`,
        ]
      : [];
  const body =
    [...texts, ...code].join('\n\n') ||
    `(phase ${name} left no document: ${phaseDocuments(ctx, phase).join(', ') || 'none'})`;
  return `## INPUT: ${input}\n${body}`;
}

async function specText(ctx: RunContext, session: WorkflowSession): Promise<string> {
  if (session.spec) return cut(session.spec.body);
  const id = ctx.facts().specId;
  if (!id) return '(no spec yet)';
  return cut((await loadSpec(ctx.workspace, id)).body);
}

/** The layers and what each owns, and where the schema is (what the data dictionary is checked against). */
async function censusText(ctx: RunContext): Promise<string> {
  const layers = Object.entries(ctx.config.layers).map(([name, layer]) => `- ${name}: owns ${layer.owns.join(', ')}`);
  let schema: string[] = [];
  try {
    schema = (await censusRoom().takeCensus(ctx.workspace)).schema.map((entry) => `- ${entry.glob}`);
  } catch (error) {
    ctx.warn(
      `The census could not be taken for a role's input: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return [
    `### Layers\n${layers.join('\n') || '(none configured)'}`,
    `### Schema files\n${schema.join('\n') || '(none found)'}`,
  ].join('\n\n');
}

function cut(text: string): string {
  return text.length <= DOCUMENT_CHARS ? text : `${text.slice(0, DOCUMENT_CHARS)}\n… (cut: read the file for the rest)`;
}
