/**
 * The change-set's one spec (issue 73): each member's part, written by its own spec agent in its
 * own repository (its layers, its `owns`), joined into one document at the workspace's root, the
 * one the set's gate shows and its approval covers. Its requirements name their repository
 * (`sdk:REQ-1`), its layers are `repo/layer`, its parts in the order the set is worked: producers first.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChangeSetWorkspace, MemberUse } from '../project/changeSet';

export interface SetPart {
  member: string;
  specId: string;
  /** The member's spec file, relative to the member. */
  specPath: string;
  title: string;
  layers: readonly string[];
  body: string;
}

/** What `.claude/changesets/<setId>/set.json` keeps: the request and each member's saved spec, for `approve <setId>`. */
export interface SetRecord {
  setId: string;
  request: string;
  branch: string;
  parts: { member: string; specId: string }[];
  /** What each member had not committed when the set began: never committed by the set. */
  uncommitted?: Record<string, string[]>;
}

export const setFolder = (root: string, setId: string): string => join(root, '.claude', 'changesets', setId);

/** The set's id: the date and the request's first words, as a spec's. */
export function newSetId(request: string, today = new Date()): string {
  const slug =
    request
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .split('-')
      .slice(0, 6)
      .join('-') || 'change';
  return `${today.toISOString().slice(0, 10)}-${slug}`;
}

/**
 * What a member's spec agent is asked: the request, the set it is a part of, and its producers'
 * parts written already (so a consumer's part uses what its producers change, by their names).
 */
export function memberRequest(
  request: string,
  member: string,
  order: readonly string[],
  uses: readonly MemberUse[],
  producerParts: readonly SetPart[],
): string {
  const edges = uses.filter((u) => u.consumer === member || u.producer === member);
  const lines = [
    request,
    '',
    `This is ${member}'s part of one change across the repositories ${order.join(' → ')} (producers first). Write only what ${member} must change; each other repository has its own part.`,
    ...edges.map((u) => `- ${u.consumer} uses ${u.producer} via ${u.via}${u.package ? ` (${u.package})` : ''}`),
  ];
  for (const part of producerParts)
    lines.push('', `${part.member}'s part, made before this one (${part.specPath}):`, clipped(part.body, 4000));
  return lines.join('\n');
}

/** The one document: each part with its repository's name on its requirements and layers. */
export function setSpecText(record: SetRecord, workspace: ChangeSetWorkspace, parts: readonly SetPart[]): string {
  const head = [
    `# Change-set ${record.setId}`,
    '',
    `Request: ${record.request}`,
    '',
    `One spec over ${workspace.file}: ${parts.length} repositories, worked and merged producers first, each on branch \`${record.branch}\`.`,
    '',
    ...parts.map(
      (p, i) =>
        `${i + 1}. **${p.member}**: ${p.title} (${p.specPath}); layers ${p.layers.map((l) => `${p.member}/${l}`).join(', ') || '(none)'}`,
    ),
    ...workspace.uses.map((u) => `- ${u.consumer} uses ${u.producer} via ${u.via}`),
  ];
  const sections = parts.map((p) => [`## ${p.member}: ${p.title}`, '', namedIn(p.member, p.body)].join('\n'));
  return `${[head.join('\n'), ...sections].join('\n\n')}\n`;
}

/** A part's headings one level down and its requirement ids named by its repository (`REQ-1.2` → `sdk:REQ-1.2`). */
function namedIn(member: string, body: string): string {
  return body
    .replace(/^(#{1,5}) /gm, '$1# ')
    .replace(/(?<![\w:])REQ-(\d+(?:\.\d+)*)/g, `${member}:REQ-$1`)
    .trim();
}

const clipped = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max)}\n…`);

export function writeSetRecord(root: string, record: SetRecord, specText: string): string {
  const folder = setFolder(root, record.setId);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'set.json'), `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(join(folder, 'spec.md'), specText);
  return join(folder, 'spec.md');
}

export function readSetRecord(root: string, setId: string): SetRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(setFolder(root, setId), 'set.json'), 'utf8')) as SetRecord;
  } catch {
    return undefined;
  }
}
