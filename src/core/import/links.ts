/**
 * The ways a task of a foreign spec says what it serves, in the languages seen: Kiro's
 * `_Requirements: 7.1, 7.2_`, `_需求: 1.1, 2.3_`, `需求13`, `**Validates: Requirements 3.2**`,
 * Spec Kit's `[US1]`, and ids written out (`FR-012`, `REQ-7.2`, `US-1.5`).
 */

// "Requirement(s)" in the languages real folders use.
const REQUIREMENT_WORD = String.raw`(?:requirements?|reqs?\.?|requisitos?|requerimientos?|anforderung(?:en)?|exigences?|需求|要求|要件|요구\s?사항|требовани[еяй])`;
const VALIDATES_WORD = String.raw`(?:validates?|verifies|valida|验证|驗證|検証|검증)`;
// `7`, `7.2`, and ids with a letter inserted later (`11b`, `48a`, `2.1c`).
const NUMBER = String.raw`\d+[a-z]?(?:\.\d+[a-z]?)*(?![A-Za-z0-9])`;
// A list of numbers and ranges (`1.1, 1.3-1.5`), or "all" of them.
// A remark after a number or a range (`34a-34j (all), 19.2`) does not end the list.
const REMARK = String.raw`(?:\s*[(（][^()（）\n]{0,24}[)）])?`;
const NUMBERS = String.raw`(${NUMBER}${REMARK}(?:\s*(?:[,，、;；/~～–—-]|\band\b|\bto\b|\by\b|\be\b|和|及|と|至|到)\s*${NUMBER}${REMARK})*|\ball(?![\p{L}\p{N}])|\btodos?(?![\p{L}\p{N}])|全部|所有|すべて|全て)`;
const NUMBERED_LINK = new RegExp(String.raw`${REQUIREMENT_WORD}\s*[:：]?\s*${NUMBERS}`, 'giu');
const LINK_LINE = new RegExp(
  String.raw`^[\s_*>-]*(?:${VALIDATES_WORD}\s*[:：]?\s*)?${REQUIREMENT_WORD}\s*[:：]?\s*${NUMBERS}[\s_*.。)）]*$`,
  'iu',
);
const ID = /(?<![\p{L}\p{N}_-])([A-Z][A-Z0-9]{0,9}-\d+[a-z]?(?:\.\d+[a-z]?)*)(?![\p{L}\p{N}_-]|\.\d)/gu;
const STORY_TAG = /\[\s*(?:US|Story|ストーリー|故事)\s*-?\s*(\d+(?:\.\d+)*)\s*\]/giu;

/** A line that says nothing but what the task serves. */
export function isLinkLine(line: string): boolean {
  return LINK_LINE.test(line.trim());
}

/** Cites every requirement of the spec (`_Requirements: All_`); resolved once the requirements are known. */
export const ALL_REQUIREMENTS = 'REQ-*';

/** Kiro numbers cited by requirement word (`7.1`, `13`, `1.1-1.3`, `All`) → our ids (`REQ-7.1`, `REQ-13`, …). */
export function numberedLinks(text: string): string[] {
  const ids: string[] = [];
  for (const match of text.matchAll(NUMBERED_LINK)) {
    const list = match[1]!;
    if (!/\d/.test(list)) {
      ids.push(ALL_REQUIREMENTS);
      continue;
    }
    for (const part of list
      .replace(/\s*[(（][^()（）\n]*[)）]/gu, '')
      .split(/\s*(?:[,，、;；/]|\band\b|\by\b|\be\b|和|及|と)\s*/u)) {
      const range = /^(\d+[a-z]?(?:\.\d+[a-z]?)*)\s*(?:[~～–—-]|\bto\b|至|到)\s*(\d+[a-z]?(?:\.\d+[a-z]?)*)$/u.exec(
        part,
      );
      if (range) ids.push(...expand(range[1]!, range[2]!));
      else if (/^\d+[a-z]?(?:\.\d+[a-z]?)*$/.test(part)) ids.push(`REQ-${part}`);
    }
  }
  return ids;
}

/**
 * `1.1`…`1.4` → REQ-1.1, REQ-1.2, REQ-1.3, REQ-1.4 (the last number counts); `48a`…`48c` →
 * REQ-48a, REQ-48b, REQ-48c (the letter counts); anything else is taken as its two ends.
 */
function expand(from: string, to: string): string[] {
  const lettered = /^(.*?\d)([a-z])$/;
  const [fromLetter, toLetter] = [lettered.exec(from), lettered.exec(to)];
  if (fromLetter && toLetter && fromLetter[1] === toLetter[1] && fromLetter[2]! <= toLetter[2]!) {
    const first = fromLetter[2]!.charCodeAt(0);
    return Array.from(
      { length: toLetter[2]!.charCodeAt(0) - first + 1 },
      (_, i) => `REQ-${fromLetter[1]}${String.fromCharCode(first + i)}`,
    );
  }
  if (fromLetter || toLetter) return [`REQ-${from}`, `REQ-${to}`];
  const a = from.split('.');
  const b = to.split('.');
  const first = Number(a.at(-1));
  const last = Number(b.at(-1));
  const samePrefix = a.length === b.length && a.slice(0, -1).join('.') === b.slice(0, -1).join('.');
  if (!samePrefix || last < first || last - first > 50) return [`REQ-${from}`, `REQ-${to}`];
  const prefix = a.slice(0, -1).join('.');
  return Array.from({ length: last - first + 1 }, (_, i) => `REQ-${prefix ? `${prefix}.` : ''}${first + i}`);
}

/** Spec Kit's story tags (`[US1]`, `[US1.5]`) → `US-1`, and the text without them. */
export function storyTags(text: string): { ids: string[]; rest: string } {
  const ids: string[] = [];
  const rest = text.replace(STORY_TAG, (_, n: string) => {
    ids.push(`US-${n}`);
    return '';
  });
  return { ids, rest };
}

/** Ids written out in the text (`FR-012`, `REQ-7.2`) that are among `known`. */
export function writtenIds(text: string, known: ReadonlySet<string>): string[] {
  return [...text.matchAll(ID)].map((m) => m[1]!).filter((id) => known.has(id));
}

export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
