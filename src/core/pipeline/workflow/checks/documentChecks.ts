/**
 * The built-in checks of a document a phase must leave (a gate's `sections` and `adr`): its
 * required sections are there, and every ADR in it has the standard Context / Decision /
 * Consequences sections. Headings are compared as people write them: any level, any case,
 * numbered or emphasised (`## 2. **Decision**`), in English, Spanish or Portuguese (the seeds').
 */

export interface DocumentProblem {
  /** 1-based line the problem is about (the ADR's heading, or 1 for the whole document). */
  line: number;
  message: string;
}

interface Heading {
  level: number;
  /** Normalized for comparison. */
  text: string;
  /** As written, without emphasis marks (for messages). */
  title: string;
  line: number;
}

/** ATX headings outside fenced code blocks. */
export function headingsOf(markdown: string): Heading[] {
  const headings: Heading[] = [];
  let fenced = false;
  markdown.split(/\r?\n/).forEach((raw, index) => {
    if (/^\s*(```|~~~)/.test(raw)) fenced = !fenced;
    const match = fenced ? null : /^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$/.exec(raw);
    if (match)
      headings.push({
        level: match[1]!.length,
        text: normalize(match[2]!),
        title: match[2]!.replace(/[`*_]/g, '').trim(),
        line: index + 1,
      });
  });
  return headings;
}

/** `2. **Decision**:` → `decision`. */
function normalize(text: string): string {
  return text
    .replace(/[`*_]/g, '')
    .replace(/^(\d+(\.\d+)*\.?|[A-Z]\.)\s+/, '')
    .replace(/[:.]\s*$/, '')
    .trim()
    .toLowerCase();
}

/** A heading that is the section (exactly, or starting with it: "Happy path (sequence)"). */
const names = (heading: Heading, section: string) =>
  heading.text === normalize(section) ||
  heading.text.startsWith(`${normalize(section)} `) ||
  heading.text.startsWith(`${normalize(section)}:`);

/** Required sections the document lacks. */
export function missingSections(markdown: string, sections: readonly string[]): DocumentProblem[] {
  const headings = headingsOf(markdown);
  return sections
    .filter((section) => !headings.some((heading) => names(heading, section)))
    .map((section) => ({ line: 1, message: `missing section "${section}"` }));
}

const ADR_SECTIONS: Record<string, string[]> = {
  Context: ['context', 'contexto'],
  Decision: ['decision', 'decisión', 'decisão', 'decisao'],
  Consequences: ['consequences', 'consecuencias', 'consequências', 'consequencias'],
};
const ADR_HEADING = /^(adr|decision record)\b/i;

/**
 * Each ADR — a heading that starts with "ADR" (`## ADR-001: Adapter per supplier`), else the whole
 * document — has Context, Decision and Consequences below it, before the next ADR.
 */
export function adrProblems(markdown: string): DocumentProblem[] {
  const headings = headingsOf(markdown);
  const adrs = headings.filter((heading) => ADR_HEADING.test(heading.text));
  const blocks =
    adrs.length === 0
      ? [{ title: 'the document', line: 1, inside: headings }]
      : adrs.map((adr, index) => ({
          title: adr.title,
          line: adr.line,
          inside: headings.filter((h) => h.line > adr.line && h.line < (adrs[index + 1]?.line ?? Infinity)),
        }));
  const problems: DocumentProblem[] = [];
  for (const block of blocks) {
    const lacking = Object.entries(ADR_SECTIONS)
      .filter(
        ([, words]) =>
          !block.inside.some((heading) =>
            words.some((word) => heading.text === word || heading.text.startsWith(`${word} `)),
          ),
      )
      .map(([section]) => section);
    if (lacking.length > 0)
      problems.push({
        line: block.line,
        message: `${block.title} lacks ${lacking.join(', ')} (an ADR has Context, Decision and Consequences)`,
      });
  }
  return problems;
}
