import { parseDocument, stringify } from 'yaml';
import * as z from 'zod/mini';
import { checkSchema, parseYamlSource, ProjectFileError } from '../sources';

/** The YAML front matter of `spec.md` (docs/configuration.md) and how it is split from the body. */
export const SPEC_STATUSES = [
  'draft',
  'awaiting-approval',
  'saved',
  'approved',
  'implementing',
  'completed',
  'stopped',
] as const;
export type SpecStatus = (typeof SPEC_STATUSES)[number];

export const SPEC_ID = /^\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$/;

const utcTime = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/, {
    error: 'expected a UTC ISO-8601 time such as 2026-03-01T09:30:00Z',
  }),
  z.refine((value) => !Number.isNaN(Date.parse(value)), { error: 'not a real date and time' }),
);
const nullText = z._default(z.nullable(z.string()), null);

export const specFrontMatterSchema = z.looseObject({
  id: z.string().check(z.regex(SPEC_ID, { error: 'expected YYYY-MM-DD-slug' })),
  title: z.string().check(z.minLength(1)),
  kind: z.enum(['feature', 'bugfix']),
  status: z.enum(SPEC_STATUSES),
  entity: nullText,
  pattern: nullText,
  layers: z._default(z.array(z.string()), []),
  created: utcTime,
  approved: z._default(z.nullable(utcTime), null),
  /** The order the layers run in, kept from the plan the spec was imported from (Mustard's waves); else `after:` decides. */
  waves: z.optional(z.array(z.array(z.string()))),
  /** The Kiro, Spec Kit or Mustard folder the spec was imported from (workspace-relative): `specs` lists the spec, not the folder. */
  source: z.optional(z.string()),
  /**
   * What the model's layer proposal cost (layerProposal.ts), made before any run: owed by the run
   * that implements the spec, which journals it as `llm.usage` and charges its budget, then drops it.
   */
  layerProposalCost: z.optional(
    z.array(
      z.object({
        model: z.string(),
        provider: z.string(),
        costUsd: z.number().check(z.nonnegative()),
        priced: z.optional(z.literal(false)),
        ms: z.number(),
        usage: z.object({ input: z.number(), output: z.number(), cacheWrite: z.number(), cacheRead: z.number() }),
      }),
    ),
  ),
});

export type SpecFrontMatter = z.output<typeof specFrontMatterSchema>;

export interface SplitSpec {
  /** The YAML between the `---` lines. */
  yaml: string;
  body: string;
}

/** Splits `---\n<yaml>\n---\n<body>`; the front matter is required. */
export function splitFrontMatter(markdown: string, file: string): SplitSpec {
  const lines = markdown.split('\n');
  if (lines[0]?.replace(/\r$/, '') !== '---') {
    throw new ProjectFileError(
      { file, line: 1, column: 1 },
      'missing YAML front matter (the file must start with ---)',
    );
  }
  const close = lines.findIndex((line, index) => index > 0 && /^(---|\.\.\.)\s*$/.test(line));
  if (close < 0) throw new ProjectFileError({ file, line: 1, column: 1 }, 'front matter is not closed with ---');
  const body = lines.slice(close + 1).join('\n');
  return { yaml: lines.slice(1, close).join('\n'), body: body.startsWith('\n') ? body.slice(1) : body };
}

/**
 * Parses and checks the front matter; errors carry the line in spec.md (after the first
 * `---`). The id must equal the folder name, which is what every command refers to.
 */
export function parseFrontMatter(yaml: string, file: string, folderId: string): SpecFrontMatter {
  const source = parseYamlSource(yaml, file, { lineOffset: 1 });
  const frontMatter = checkSchema(specFrontMatterSchema, source);
  if (frontMatter.id !== folderId) {
    const at = source.locate(['id']);
    throw new ProjectFileError(
      { file, line: at.line, column: at.column, key: 'id' },
      `"${frontMatter.id}" does not match its folder "${folderId}"`,
    );
  }
  return frontMatter;
}

export function joinSpec(yaml: string, body: string): string {
  const head = yaml.endsWith('\n') ? yaml : `${yaml}\n`;
  return `---\n${head}---\n\n${body}`;
}

export function stringifyFrontMatter(frontMatter: SpecFrontMatter): string {
  return stringify(frontMatter, { lineWidth: 0 });
}

/** Changes keys in place, keeping comments, order and keys we do not know about. */
export function updateFrontMatterYaml(yaml: string, changes: Partial<SpecFrontMatter>): string {
  const doc = parseDocument(yaml);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) doc.delete(key);
    else doc.set(key, value);
  }
  return doc.toString({ lineWidth: 0 });
}
