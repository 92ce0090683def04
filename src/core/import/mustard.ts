/**
 * Mustard's spec folders (`.claude/spec/{slug}/`) become one of our specs, like a Kiro or a
 * Spec Kit folder: its acceptance criteria as requirements, its plan's waves and roles kept
 * (mustardPlan.ts), spec.md as written, and its change requests as the spec's history.
 * Mustard's `.approved-by-user` marker is shown, never taken as our approval; a finished
 * folder (Completed, Cancelled, Superseded) is refused.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { cleanLine, markdownText, type MustardSpecFolder, readGrainModel, readMustardSpecFolder } from '../mustard';
import type { OrchestratorConfig } from '../project/config';
import { createSpec, specWork, withTemplateHeader } from '../project/specs';
import { EngineUsageError } from '../errors';
import { DONE_BEFORE_IMPORT } from '../trace';
import { asEars } from './foreignSpec';
import type { ImportedSpec } from './importedSpec';
import { planOnLayers, type PlanOnLayers } from './mustardPlan';

/** Longest text kept of Mustard's spec.md, a wave's spec.md and change-log.md. */
const MAX_DOCUMENT = 20_000;
const MAX_WAVE_DOCUMENT = 4_000;
const MAX_CHANGE_LOG = 6_000;

export async function importMustardFolder(
  workspace: string,
  folder: string,
  config: OrchestratorConfig,
): Promise<ImportedSpec> {
  const absolute = isAbsolute(folder) ? folder : resolve(workspace, folder);
  const dir = relative(workspace, absolute).split('\\').join('/');
  if (dir === '' || dir.startsWith('..')) throw new EngineUsageError(`${folder} is not a folder inside the workspace`);
  const source = await readMustardSpecFolder(workspace, dir);
  if (source.refusal) throw new EngineUsageError(source.refusal);
  const { model } = await readGrainModel(workspace);
  const plan = planOnLayers(source.waves, config, model);
  const criteria = acceptanceCriteria(source);
  const today = new Date().toISOString().slice(0, 10);
  const markdown = withTemplateHeader(
    renderMustard(source, plan, criteria, config),
    source.title,
    today,
    'awaiting-approval',
  );
  // Every wave done (Mustard's QA review): the layers whose waves they were are the ones checked before COMPLETE.
  const layers = plan.steps.length > 0 ? plan.steps.flat() : [...new Set(plan.waves.flatMap((p) => p.writers))];
  const spec = await createSpec(workspace, {
    title: source.title,
    slug: source.slug.replace(/^\d{4}-\d{2}-\d{2}-/, ''),
    kind: 'feature',
    layers: layers.length > 0 ? layers : Object.keys(config.layers),
    ...(plan.steps.length > 0 ? { waves: plan.steps } : {}),
    source: dir,
    markdown,
  });
  const notes = source.approvedByUser
    ? [
        `Mustard's approval marker (.approved-by-user) is in ${dir}: it is shown in the spec; approving here is still your decision.`,
      ]
    : [];
  return {
    specId: spec.id,
    specPath: spec.path,
    format: 'mustard',
    source: dir,
    requirements: criteria.length,
    tasks: source.waves.reduce((n, w) => n + Math.max(1, w.tasks.length), 0),
    unowned: specWork(readFileSync(resolve(workspace, spec.path), 'utf8'), config).unowned,
    warnings: [
      ...source.warnings,
      ...plan.orderNotes,
      ...plan.waves.flatMap((p) => p.mismatches.map((m) => `${p.wave.folder}: ${m}`)),
    ],
    ...(notes.length ? { notes } : {}),
  };
}

/** `AC-1: …` lines of spec.md (bullets, bold ids, table rows), then ids the plan cites that spec.md does not state. */
function acceptanceCriteria(source: MustardSpecFolder): { id: string; text: string }[] {
  const found = new Map<string, string>();
  for (const line of (source.spec ?? '').split(/\r?\n/)) {
    const match =
      /^\s*(?:[-*+]|\d+[.)]|\|)?\s*(?:\[[ xX]\]\s*)?(?:\*\*|`)?(AC-\d+)(?:\*\*|`)?\s*[:.)|–—-]?\s*(?:\*\*)?\s*(.+?)\s*\|?\s*$/.exec(
        line,
      );
    if (match?.[1] && match[2] && !found.has(match[1])) found.set(match[1], cleanLine(match[2].replace(/\*\*|`/g, '')));
  }
  for (const wave of source.waves)
    for (const id of wave.satisfies)
      if (/^AC-\d+$/.test(id) && !found.has(id)) found.set(id, `${id} as the Mustard spec states it`);
  return [...found].map(([id, text]) => ({ id, text }));
}

function renderMustard(
  source: MustardSpecFolder,
  plan: PlanOnLayers,
  criteria: { id: string; text: string }[],
  config: OrchestratorConfig,
): string {
  const state = [
    source.stage && `stage ${source.stage}`,
    source.outcome && `outcome ${source.outcome}`,
    source.scope && `scope ${source.scope}`,
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [
    `## Spec: ${oneLine(source.title)}`,
    '',
    '### Summary',
    `${summaryOf(source.spec)}(Imported from the Mustard spec folder \`${source.dir}\`${state ? ` (${state})` : ''}: ${[source.spec !== undefined ? 'spec.md' : '', source.waves.length ? `${source.waves.length} wave(s), their roles kept` : ''].filter(Boolean).join(', ')}.)`,
    '',
  ];
  if (source.approvedByUser)
    lines.push(
      "Mustard's approval marker `.approved-by-user` is present. It is shown for information: this orchestrator's own approval still decides.",
      '',
    );
  if (criteria.length > 0) {
    lines.push('### Requirements', '');
    for (const c of criteria)
      lines.push(
        `#### ${c.id}: ${oneLine(c.text).slice(0, 120)}`,
        '**Acceptance criteria**',
        `- ${c.id}.1: ${asEars(oneLine(c.text))}`,
        '',
      );
  }
  lines.push('### Waves (Mustard plan, in order)', '');
  for (const p of plan.waves) {
    const w = p.wave;
    lines.push(`#### Wave ${w.n}: ${w.role}${p.writers.length ? ` → ${p.writers.join(', ')}` : ' → no layer'}`);
    lines.push(`- Status: ${w.done ? 'done in Mustard' : 'to do'}`);
    lines.push(`- Role ${w.role} maps to ${p.roleLayer ? `layer ${p.roleLayer} (${p.roleMatch})` : p.roleMatch}`);
    lines.push(
      `- Depends on: ${w.dependsOn.length ? w.dependsOn.map((n) => plan.waves.find((o) => o.wave.n === n)?.wave.folder ?? `wave ${n}`).join(', ') : 'nothing'}`,
    );
    if (w.satisfies.length) lines.push(`- Satisfies: ${w.satisfies.join(', ')}`);
    if (w.summary) lines.push(`- Summary: ${oneLine(w.summary)}`);
    if (w.files.length) lines.push(`- Lists: ${w.files.map((f) => `\`${f}\``).join(', ')}`);
    for (const mismatch of p.mismatches) lines.push(`- Mismatch: ${mismatch}`);
    if (w.spec) lines.push('', ...fenced(`${w.folder}/spec.md`, w.spec, MAX_WAVE_DOCUMENT));
    lines.push('');
  }
  if (plan.steps.length > 0)
    lines.push(
      `Layer order kept from the plan: ${plan.steps.map((step, i) => `step ${i + 1} ${step.join(' + ')}`).join('; ')}.`,
      '',
    );
  for (const note of plan.orderNotes) lines.push(`- Note: ${note}`);
  if (plan.orderNotes.length) lines.push('');
  if (source.spec) lines.push(...fenced('Mustard spec (spec.md)', source.spec, MAX_DOCUMENT), '');

  lines.push('### Files to Create/Modify', '');
  const unowned: string[] = [];
  for (const layer of Object.keys(config.layers)) {
    const items = plan.waves.flatMap((p) =>
      p.owners
        .filter((o) => o.layer === layer)
        .map((o) => `- [${p.wave.done ? 'x' : ' '}] \`${o.path}\`: ${p.wave.folder}`),
    );
    if (items.length) lines.push(`#### ${layer.charAt(0).toUpperCase()}${layer.slice(1)}`, ...[...new Set(items)], '');
  }
  for (const p of plan.waves)
    for (const o of p.owners)
      if (o.layer === undefined) unowned.push(`- [${p.wave.done ? 'x' : ' '}] \`${o.path}\`: ${p.wave.folder}`);
  if (unowned.length) lines.push('#### Not owned by any layer', ...unowned, '');

  lines.push('### Tasks', '');
  let number = 0;
  const writers = [...new Set(plan.waves.flatMap((p) => p.writers))];
  for (const layer of writers) {
    lines.push(`#### ${layer}`);
    for (const p of plan.waves) {
      const cites = p.wave.satisfies.length ? ` (${p.wave.satisfies.join(', ')})` : '';
      for (const task of p.tasks.filter((t) => t.layers.includes(layer))) {
        const shared =
          task.layers.length > 1
            ? ` (with ${task.layers.filter((l) => l !== layer).join(', ')}: nothing in it tells one layer)`
            : '';
        lines.push(
          `${++number}. [${p.wave.done ? 'x' : ' '}] ${p.wave.folder}: ${oneLine(task.text)}${shared}${cites}${p.wave.done ? ` — ${DONE_BEFORE_IMPORT} (done in Mustard)` : ''}`,
        );
      }
    }
    lines.push('');
  }
  // Waves no layer writes, and tasks naming only files no layer owns: listed apart, so the gate names them.
  const homeless = plan.waves.flatMap((p) =>
    (p.writers.length === 0
      ? p.wave.tasks.length
        ? p.wave.tasks
        : [p.wave.summary ?? p.wave.role]
      : p.tasks.filter((t) => t.layers.length === 0).map((t) => t.text)
    ).map((task) => ({ p, task })),
  );
  if (homeless.length) {
    lines.push('#### Not owned by any layer');
    for (const { p, task } of homeless)
      lines.push(`${++number}. [${p.wave.done ? 'x' : ' '}] ${p.wave.folder}: ${oneLine(task)}`);
    lines.push('');
  }
  if (source.changeRequests.length || source.changeLog) {
    lines.push('### History', '');
    if (source.changeRequests.length)
      lines.push(
        'Change requests (change-requests.ndjson, oldest first):',
        ...source.changeRequests.map((r) => `- ${r.at ? `${markdownText(r.at)}: ` : ''}${markdownText(r.text)}`),
        '',
      );
    if (source.changeLog)
      lines.push(
        'Mustard keeps spec.md frozen; what changed is in change-log.md:',
        ...fenced('change-log.md', source.changeLog, MAX_CHANGE_LOG),
        '',
      );
  }
  lines.push('### Dependencies', '- None', '');
  return lines.join('\n');
}

/** The first paragraph of spec.md that is not a heading, on one line. */
function summaryOf(spec: string | undefined): string {
  const paragraph = (spec ?? '')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .find((p) => p !== '' && !p.startsWith('#') && !p.startsWith('<!--') && !p.startsWith('|') && !/^[-*+]\s/.test(p));
  return paragraph ? `${oneLine(paragraph).slice(0, 600)} ` : '';
}

/** A document quoted as written, in a fence longer than any inside it, cut when too long. */
function fenced(title: string, text: string, max: number): string[] {
  const body = text.length > max ? `${text.slice(0, max).trimEnd()}\n… (cut; the full text is in the folder)` : text;
  const fence = '`'.repeat(Math.max(3, ...[...body.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return [`**${title}**`, `${fence}markdown`, body.trim(), fence];
}

/** Untrusted prose on one markdown line: no control characters, no fences that would swallow what follows. */
function oneLine(text: string): string {
  return cleanLine(text).replace(/`{3,}|~{3,}/g, '`');
}
