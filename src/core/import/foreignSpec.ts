/**
 * What a Kiro or Spec Kit folder says, in one shape: requirements with their ids and
 * acceptance criteria, tasks with the ids they cite (their own numbering kept), and the
 * design/plan text. Both readers (kiro.ts, specKit.ts) produce it; importSpec.ts turns it
 * into our spec.
 */
export interface ForeignRequirement {
  /** Our id: `REQ-7` for Kiro's "Requirement 7", `US-1` for Spec Kit's [US1], `FR-001` kept. */
  id: string;
  title: string;
  story?: string;
  criteria: { id: string; text: string }[];
}

export interface ForeignTask {
  /** The folder's own task id (`2.1`, `T012`). */
  ref: string;
  text: string;
  done: boolean;
  /** Our ids of what it serves (requirements or criteria). */
  cites: string[];
}

export interface ForeignSpec {
  format: 'kiro' | 'speckit';
  title: string;
  summary: string;
  requirements: ForeignRequirement[];
  tasks: ForeignTask[];
  /** design.md / plan.md, as written. */
  design?: { file: string; text: string };
  /** Lines we could read but not place: warnings, not stops. */
  warnings: string[];
}

export interface MdLine {
  /** 1-based in the file (front matter included). */
  line: number;
  text: string;
  heading?: { level: number; text: string };
  item?: { indent: number; checked?: boolean; text: string };
}

const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const ITEM = /^(\s*)(?:[-*+]|\d+[.)])\s+(?:\[([ xX])\]\s*)?(.*)$/;
const FENCE = /^\s*(```|~~~)/;

/** The lines of a markdown file with headings and list items recognised; front matter and fenced code skipped. */
export function scanMarkdown(text: string): MdLine[] {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  let start = 0;
  if (lines[0]?.trim() === '---') {
    const close = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
    if (close > 0) start = close + 1;
  }
  const result: MdLine[] = [];
  let fenced = false;
  for (let i = start; i < lines.length; i++) {
    const raw = lines[i]!;
    if (FENCE.test(raw)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const heading = HEADING.exec(raw);
    if (heading) {
      result.push({ line: i + 1, text: raw, heading: { level: heading[1]!.length, text: plain(heading[2]!) } });
      continue;
    }
    const item = ITEM.exec(raw);
    if (item) {
      result.push({ line: i + 1, text: raw, item: { indent: item[1]!.replace(/\t/g, '    ').length, ...(item[2] ? { checked: item[2].toLowerCase() === 'x' } : {}), text: item[3]!.trim() } });
      continue;
    }
    result.push({ line: i + 1, text: raw });
  }
  return result;
}

/** Markup a title does not need: bold, italics markers, backticks, trailing `*(mandatory)*`. */
export function plain(text: string): string {
  return text.replace(/\s*[*_]+\((?:mandatory|optional|obligatorio|opcional|obrigat[oó]rio)\)[*_]+\s*$/i, '').replace(/\*\*|__|`/g, '').trim();
}

/** `MUST` → `SHALL`, and a statement without SHALL made one: `THE system SHALL …`. */
export function asEars(text: string): string {
  const shall = text.replace(/\bMUST\b/g, 'SHALL').replace(/\bmust\b/g, 'shall');
  return /\bSHALL\b/i.test(shall) ? shall : `THE system SHALL satisfy: ${shall}`;
}
